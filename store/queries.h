#ifndef NEWSDEDUP_STORE_QUERIES_H_
#define NEWSDEDUP_STORE_QUERIES_H_

// The questions people and scripts ask of a store, answered once for every
// front end: the CLI (report, story, snapshots) and the server (JSON API,
// HTML pages, Atom feeds) call these and only render what they return.
// Every function only reads; each takes the store as it is, so a caller
// that needs one state across several calls holds one
// StoreFollower::View meanwhile.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "core/dump_parser.h"
#include "core/matcher.h"
#include "core/word_diff.h"
#include "store/records.h"
#include "store/snapshot_report.h"
#include "store/story_store.h"

namespace newsdedup {

// ---- Snapshots ----

// One page of a listing of snapshots.
struct SnapshotListRequest {
  std::string source;  // Only this source's snapshots; empty: every source.
  // Start after this snapshot id in listing order (0: from the start), as
  // returned in SnapshotPage::next.
  uint64_t after = 0;
  size_t limit = 100;  // REQUIRES: limit > 0.
  bool newest_first = false;
};

struct SnapshotPage {
  std::vector<SnapshotRecord> snapshots;
  uint64_t next = 0;  // `after` of the next page; 0 when this is the last.
};

absl::StatusOr<SnapshotPage> ListSnapshots(StoryStore* store, const SnapshotListRequest& request);

// One source of a store, for the home page.
struct SourceSummary {
  std::string name;
  uint64_t snapshots = 0;
  std::string first_captured_at;  // Of its oldest and newest capture.
  std::string last_captured_at;
  std::vector<uint64_t> latest;  // Its newest snapshot ids, newest first.
};

// Every source, by name, with up to `latest` of its newest snapshot ids.
absl::StatusOr<std::vector<SourceSummary>> ListSources(StoryStore* store, size_t latest);

// The newest snapshot id, of `source` when not empty. NotFoundError when
// there is none.
absl::StatusOr<uint64_t> LatestSnapshotId(StoryStore* store, const std::string& source = "");

// The report of snapshot `id` (store/snapshot_report.h). NotFoundError
// "no snapshot N (the store has M)" for an unknown id.
absl::StatusOr<SnapshotReport> GetReport(StoryStore* store, uint64_t id);

// The snapshots of the same source just before and after `id`, of any kind,
// for navigation. NotFoundError for an unknown id.
struct SnapshotNeighbours {
  std::optional<SnapshotRecord> previous;
  std::optional<SnapshotRecord> next;
};
absl::StatusOr<SnapshotNeighbours> GetNeighbours(StoryStore* store, uint64_t id);

// ---- Stories ----

// One version of a story with what changed since the version before it.
struct VersionView {
  VersionRecord version;  // With its texts.
  bool canonical = false;
  // The snapshots it was seen in, in id order.
  std::vector<SnapshotRecord> snapshots;
  // From the previous version of the story (the first version has none):
  // the word diff of VersionText, the change class, and the Jaccard and
  // containment of the word-shingle sets.
  std::vector<DiffChunk> diff;
  ChangeClass change = ChangeClass::kNone;
  double similarity = 0;
  double containment = 0;
};

// A story's timeline: its record and every version, oldest first (by
// first_seen).
struct StoryView {
  StoryRecord story;
  std::vector<VersionView> versions;
};

// NotFoundError "no story ID" for an unknown id; DataLossError when the
// story lists a version the store lacks.
absl::StatusOr<StoryView> GetStoryView(StoryStore* store, const std::string& id);

// Finding stories by their title words or by URL.
struct StorySearch {
  // Every word must be in the story's title (compared in matching form:
  // case, accents and punctuation do not matter). Empty: no word filter.
  std::string words;
  // The story with this URL (canonicalized as ingest does). Empty: none.
  std::string url;
  size_t limit = 50;  // At most this many stories.
  // A word search reads the stories in id order and stops after this many,
  // so that one query cannot read a huge store end to end.
  size_t max_scanned = 200000;
};

struct StorySearchResult {
  std::vector<StoryRecord> stories;  // In id order.
  // The scan stopped at max_scanned before the end of the store.
  bool truncated = false;
};

// InvalidArgumentError when neither words nor url is given.
absl::StatusOr<StorySearchResult> FindStories(StoryStore* store, const StorySearch& search);

// ---- Are these texts known stories? ----

// What ingesting one item would decide.
struct TextMatch {
  uint32_t position = 0;  // Of the item in the dump.
  std::string title;      // Of the item.
  bool known = false;     // It would join `story`; else start a new one.
  StoryRecord story;
  MatchEvidence evidence;  // Rule kNone for a new story.
  // The evidence was an earlier item of the same dump.
  bool in_snapshot = false;
};

// What ingesting `bytes` now would decide for each item, through the same
// parser, features, candidates and resolver as ingest, reading only.
// `format` as ParseOptions::format (nullopt: detected). InvalidArgumentError
// for a dump the parser refuses, with no item or more than `max_items`;
// FailedPreconditionError when the store was made with other match
// parameters than this build's (its answers would not be ingest's).
absl::StatusOr<std::vector<TextMatch>> MatchDump(StoryStore* store, std::string_view bytes,
                                                 std::optional<DumpFormat> format,
                                                 size_t max_items);

}  // namespace newsdedup

#endif  // NEWSDEDUP_STORE_QUERIES_H_
