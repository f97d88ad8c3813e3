#ifndef NEWSDEDUP_STORE_INGEST_CHECKS_H_
#define NEWSDEDUP_STORE_INGEST_CHECKS_H_

// The validation step of the nightly pipeline (store/ingest.h): what a
// nightly ingest refuses unless told otherwise, because storing it would
// write a failed scrape or a wrong time into the history. A failed scrape
// stored as a snapshot reports every story dropped, and the next night
// every story returned; a capture time out of order puts a story's
// snapshots before its first sighting.

#include <map>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "store/records.h"
#include "store/story_store.h"

namespace newsdedup {

struct PreparedDump;

// The check that refused a dump, carried by its error (RefusedBy), so that a
// caller can say how to override it without reading the message.
enum class IngestCheck { kEmpty, kNoText, kShrunk, kPast, kFuture };

// The check that made `status`, if a check did.
std::optional<IngestCheck> RefusedBy(const absl::Status& status);

// Which checks run. The default checks nothing (diff of two files, the
// quality evaluator, benchmarks); `newsdedup ingest` starts from Nightly().
struct IngestChecks {
  // A dump without a single item: an empty or whitespace-only file.
  bool refuse_empty = false;
  // A dump whose items carry no text beyond their titles: a page that did
  // not load, or a listing scraped without its teasers.
  bool refuse_no_text = false;
  // A listing with fewer items than this share of the largest listing file
  // of the source's previous listing capture: a scrape cut short. 0: off.
  double min_listing_share = 0;
  // A capture time before the source's latest capture.
  bool refuse_past = false;
  // Capture times after this (stored form, "2025-03-30T06:00:00Z") are
  // refused: a clock or an --at that is wrong. Empty: off.
  std::string latest_allowed_time;

  // What `newsdedup ingest` checks by default (latest_allowed_time is set by
  // the caller, who knows the time): an empty dump, no text, a listing below
  // half of the last one, a time in the past.
  static IngestChecks Nightly();
};

// The checks that need nothing but the dump: empty, no text, too late.
// InvalidArgumentError saying what is wrong, with RefusedBy() telling which
// check it was.
absl::Status CheckDumpContent(const PreparedDump& dump);

// Checks dumps against the store and against the dumps checked before by
// the same checker, which count as ingested: so a command that ingests
// several files can check them all before it commits the first.
class IngestChecker {
 public:
  explicit IngestChecker(StoryStore* store) : store_(store) {}

  // CheckDumpContent, then the source's order in time and the listing's
  // size. A dump ingested before (same source, time and content) passes: its
  // ingest is a no-op.
  absl::Status Check(const PreparedDump& dump);

 private:
  // The latest capture time of `source` in the store or checked here.
  absl::StatusOr<std::string> LatestCapture(const std::string& source);
  // Items of the largest listing file of `source`'s last listing capture
  // before `captured_at` (0 if none), with that capture's time.
  absl::StatusOr<std::pair<uint32_t, std::string>> PreviousListing(const std::string& source,
                                                                   const std::string& captured_at);

  StoryStore* store_;
  // Dumps checked here, by source: latest time, and per listing capture
  // time its largest file.
  std::map<std::string, std::string> latest_checked_;
  std::map<std::string, std::map<std::string, uint32_t>> listings_checked_;
};

}  // namespace newsdedup

#endif  // NEWSDEDUP_STORE_INGEST_CHECKS_H_
