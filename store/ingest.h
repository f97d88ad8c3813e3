#ifndef NEWSDEDUP_STORE_INGEST_H_
#define NEWSDEDUP_STORE_INGEST_H_

// The nightly job: one dump becomes one snapshot, in stages that `-v` times:
//  parse      cut the dump into items (core/dump_parser.h);
//  features   every item's matching features and band keys, on all cores;
//  candidates batched index lookups (exact text, URL, title, LSH bands), the
//             candidate versions and every version of their stories;
//  resolve    each item's story (core/story_resolver.h, the one identity
//             engine that `diff` and `dups` use too);
//  records    versions, each story's state (the set of its versions seen
//             here against its last appearance in this source and kind),
//             items, postings and story records;
//  commit     one atomic batch.
// Before the features, the checks of the request (store/ingest_checks.h):
// a failed scrape or a time out of order is refused, nothing written.
// One capture (a source at one time) may hold several files, a listing and
// some article pages: each file is its own snapshot, of its own kind, and a
// file already ingested at that time is a no-op.

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "core/dump_parser.h"
#include "core/match_params.h"
#include "store/ingest_checks.h"
#include "store/records.h"
#include "store/story_store.h"

namespace newsdedup {

struct IngestRequest {
  std::string source = "default";
  std::string captured_at;  // ISO-8601 UTC, "2025-03-29T00:00:00Z".
  std::string file_name;    // As shown in reports; "-" for standard input.
  std::string bytes;        // The raw dump.
  ParseOptions parse_options;
  IngestChecks checks;      // Default: none (store/ingest_checks.h).
};

// A dump parsed and checked, not yet written: a multi-file ingest prepares
// every file before it commits the first.
struct PreparedDump {
  IngestRequest request;
  std::string content_hash;
  ParsedDump dump;
  SnapshotKind kind = SnapshotKind::kListing;
  double parse_seconds = 0;
};

struct IngestResult {
  // The same source, time and content was ingested before: nothing written.
  bool already_ingested = false;
  SnapshotRecord snapshot;  // The new snapshot, or the earlier one.
  // Wall seconds per stage, in order (see above), for `-v` logs and
  // benchmarks.
  std::vector<std::pair<std::string, double>> stage_seconds;
};

// What ingesting an item would decide, found without writing anything.
struct ItemMatch {
  // The stored story the item would join; empty when it would start a new
  // story (alone, or with an earlier item of the same dump).
  std::string story_id;
  MatchEvidence evidence;  // Rule kNone for a new story.
  bool in_snapshot = false;  // The evidence was an earlier item of the dump.
};

// Runs the commit of `snapshot`: calls `commit`, which writes it, and
// returns its status. The default just calls it; the CLI runs it where an
// interrupt cannot land halfway (tools/interrupt.h), so that it can say
// whether the snapshot was committed.
using CommitRunner = std::function<absl::Status(const SnapshotRecord& snapshot,
                                                const std::function<absl::Status()>& commit)>;

class Ingester {
 public:
  // `store` must outlive the Ingester and have been opened with
  // params.Describe(). threads <= 0 means one per core.
  Ingester(StoryStore* store, const MatchParams& params, int threads = 0);

  void SetCommitRunner(CommitRunner runner) { commit_runner_ = std::move(runner); }

  // Parses the dump and runs the checks that need nothing else
  // (CheckDumpContent). InvalidArgumentError for a dump the parser or a check
  // refuses, or a source name CheckSourceName refuses; a file name that is
  // not valid UTF-8 is repaired. Reads nothing from the store and writes
  // nothing.
  static absl::StatusOr<PreparedDump> Prepare(IngestRequest request);

  // Ingests a prepared dump (or says it was ingested already), after the
  // checks against the store (IngestChecker). Nothing is written on error.
  absl::StatusOr<IngestResult> Ingest(PreparedDump prepared);

  // Prepare, then Ingest.
  absl::StatusOr<IngestResult> Ingest(const IngestRequest& request);

  // The stages of Ingest up to the resolver, for each item of `dump`: the
  // story it would join and the evidence. Only reads the store.
  absl::StatusOr<std::vector<ItemMatch>> Match(ParsedDump dump) const;

 private:
  StoryStore* store_;
  MatchParams params_;
  int threads_;
  CommitRunner commit_runner_;  // Null: commit directly.
};

// InvalidArgumentError unless `source` is a usable source name: non-empty,
// valid UTF-8, no control characters (it is shown in terminals and JSON).
absl::Status CheckSourceName(std::string_view source);

// 16 lowercase hex digits of XXH3-64 of `bytes`.
std::string ContentHash(std::string_view bytes);

// "s-000042" for story number 42, and back (0 for anything else).
std::string StoryIdFor(uint64_t number);
uint64_t StoryNumberOf(std::string_view story_id);

}  // namespace newsdedup

#endif  // NEWSDEDUP_STORE_INGEST_H_
