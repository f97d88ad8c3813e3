#ifndef NEWSDEDUP_STORE_SNAPSHOT_REPORT_H_
#define NEWSDEDUP_STORE_SNAPSHOT_REPORT_H_

// What changed in one snapshot, compared with the previous snapshot of the
// same source and kind: which stories are new, updated, unchanged, and which
// were dropped (in the previous listing, not in this one; an article page
// drops nothing). Every item of the snapshot is in exactly one entry.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "store/records.h"
#include "store/story_store.h"

namespace newsdedup {

struct ReportEntry {
  std::string status;  // "new", "updated", "unchanged", "dropped".
  std::string story_id;
  std::string title;       // This snapshot's title (the last seen for dropped).
  std::string first_seen;  // Of the story.
  std::vector<uint32_t> items;  // Positions in this snapshot; empty if dropped.
  std::string change;           // For updated: edited, retitled, expanded...
  std::string rule;             // Identity rule of the first item.
  double similarity = 0;
  double containment = 0;
  bool returned = false;  // Seen before, but not in the previous snapshot.
  uint64_t version_id = 0;
  uint64_t previous_version_id = 0;
  // For updated: the texts the word diff compares (title, lede and body of
  // the previous and the current version, one paragraph per line).
  std::string before_text;
  std::string after_text;
};

struct SnapshotReport {
  SnapshotRecord snapshot;
  std::optional<SnapshotRecord> previous;
  int new_count = 0, updated_count = 0, unchanged_count = 0, dropped_count = 0;
  // Stories in order of their first item in the dump; dropped ones last.
  std::vector<ReportEntry> stories;
};

// NotFoundError for an unknown snapshot id.
absl::StatusOr<SnapshotReport> BuildSnapshotReport(StoryStore* store, uint64_t snapshot_id);

// The text a word diff shows for a version: title, lede, body on own lines.
std::string VersionText(const VersionRecord& version);

}  // namespace newsdedup

#endif  // NEWSDEDUP_STORE_SNAPSHOT_REPORT_H_
