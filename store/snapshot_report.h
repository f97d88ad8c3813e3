#ifndef NEWSDEDUP_STORE_SNAPSHOT_REPORT_H_
#define NEWSDEDUP_STORE_SNAPSHOT_REPORT_H_

// What changed in one snapshot of a source. A story's state in a snapshot is
// the set of its versions seen there (core/story_status.h): `new` when this
// source never showed it (it may be known from another source), `updated`
// when the set differs from its last appearance in this source and kind,
// `unchanged` otherwise, and `dropped` when it was in the previous listing
// capture of the source and in no listing of this capture so far. An article
// page drops nothing. Every item of the snapshot is in exactly one entry.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "store/records.h"
#include "store/story_store.h"

namespace newsdedup {

// One version seen here that the last appearance did not show, against the
// closest version it did show.
struct VersionChange {
  uint64_t version_id = 0;
  uint64_t previous_version_id = 0;
  ChangeClass change = ChangeClass::kEdited;
  double similarity = 0;
  double containment = 0;
  // What the word diff compares: title, lede, body, one paragraph per line.
  std::string before_text;
  std::string after_text;
};

struct ReportEntry {
  StoryStatus status = StoryStatus::kNew;
  std::string story_id;
  std::string title;         // This snapshot's title (the last seen for dropped).
  std::string first_seen;    // Of the story, in any source.
  std::string first_source;  // Where it was first seen.
  std::vector<uint32_t> items;  // Positions in this snapshot; empty if dropped.
  // Identity rule of the first item, and whether its evidence was an earlier
  // item of this snapshot.
  MatchRule rule = MatchRule::kNone;
  bool in_snapshot = false;
  // The first item's evidence (the first change's, for updated).
  double similarity = 0;
  double containment = 0;
  bool returned = false;  // Seen before, but not in the previous capture.
  uint64_t version_id = 0;  // The first item's (the first change's, for updated).
  std::vector<uint64_t> versions;           // Seen here, sorted.
  std::vector<uint64_t> previous_versions;  // Of the last appearance, sorted.
  std::vector<VersionChange> changes;       // Updated: one per version new here.
  // Rule kTransition: why transition pairing tied it to a story that left the
  // listing (core/transition_pairing.h).
  std::optional<TransitionEvidence> transition;
};

// "snapshot" for an item tied to a story that this snapshot started, else
// the rule's name.
std::string_view EntryRuleName(const ReportEntry& entry);

struct SnapshotReport {
  SnapshotRecord snapshot;
  // The snapshots of the previous capture of this source and kind.
  std::vector<SnapshotRecord> previous;
  int new_count = 0, updated_count = 0, unchanged_count = 0, dropped_count = 0;
  // Stories in order of their first item in the dump; dropped ones last.
  std::vector<ReportEntry> stories;
};

// How much of a report to build: everything, or the entries' statuses,
// items and counts only, without reading story and version records (titles,
// first sightings, texts for diffs): what `snapshots` and `--summary` show.
enum class ReportDetail { kFull, kCounts };

// NotFoundError for an unknown snapshot id. `threads` bounds the threads
// that read and fill the entries (0: one per core), as `--threads` asks.
absl::StatusOr<SnapshotReport> BuildSnapshotReport(StoryStore* store, uint64_t snapshot_id,
                                                   ReportDetail detail = ReportDetail::kFull,
                                                   int threads = 0);

// The text a word diff shows for a version: title, lede, body on own lines.
std::string VersionText(const VersionRecord& version);

}  // namespace newsdedup

#endif  // NEWSDEDUP_STORE_SNAPSHOT_REPORT_H_
