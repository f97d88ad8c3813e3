#ifndef NEWSDEDUP_STORE_RECORDS_H_
#define NEWSDEDUP_STORE_RECORDS_H_

// The records a StoryStore keeps. Plain values, independent of RocksDB; the
// store encodes them in a versioned binary format (store/record_codec.h).
// Times are ISO-8601 UTC strings ("2025-03-29T00:00:00Z"), which sort in time
// order.

#include <cstdint>
#include <string>
#include <vector>

namespace newsdedup {

// One dump of one source captured at one time.
struct SnapshotRecord {
  uint64_t id = 0;  // 1, 2, 3... in ingest order.
  std::string source;
  std::string captured_at;
  std::string file;          // File name as given ("-" for standard input).
  std::string content_hash;  // 16 hex digits of XXH3-64 of the raw bytes.
  std::string kind;          // "listing" or "article".
  std::string format;        // "listing", "article" or "jsonl".
  uint32_t item_count = 0;
  std::vector<std::string> warnings;  // Parser warnings, kept for reports.
};

// Where one item of a snapshot went, and how it compared with what was known.
struct ItemRecord {
  uint32_t position = 0;
  std::string story_id;
  uint64_t version_id = 0;
  std::string status;  // "new", "updated" or "unchanged".
  // For "updated": edited, retitled, expanded, truncated, minor.
  std::string change;
  // Identity rule that tied the item to its story: "new", "url", "exact",
  // "near_duplicate", "title", "containment", "snapshot" (same story as an
  // earlier item of the same snapshot).
  std::string rule;
  uint64_t previous_version_id = 0;  // Last version seen before; 0 if new.
  double similarity = 0;   // Jaccard with the matched version's text.
  double containment = 0;  // Of the shorter text in the longer one.
  bool returned = false;   // Absent from the previous snapshot of its source.
};

// One distinct text of a story.
struct VersionRecord {
  uint64_t id = 0;  // 1, 2, 3... in creation order.
  std::string story_id;
  std::string title;
  std::string lede;
  std::string body;
  uint64_t matching_hash = 0;   // XXH3 of the matching form of the text.
  uint64_t canonical_hash = 0;  // XXH3 of the canonical form: version identity.
  std::string first_seen;
  std::string last_seen;
  std::vector<uint64_t> snapshots;  // Ids of the snapshots it was seen in.
  // Evidence that made it a version of its story (see ItemRecord).
  std::string rule;
  double similarity = 0;
  double containment = 0;
};

// What a reader would call one news item across snapshots.
struct StoryRecord {
  std::string id;  // "s-000001"...
  std::string title;  // Title of the canonical version.
  std::string url;    // Canonical URL when the input carried one.
  std::string first_seen;
  std::string last_seen;
  uint64_t first_snapshot = 0;
  uint64_t last_snapshot = 0;
  std::vector<uint64_t> versions;  // Version ids, oldest first.
  uint64_t canonical_version = 0;  // Most recent, or most complete.
  // The version seen most recently in a snapshot of each kind: a listing is
  // compared with the last listing text, not with the full article page.
  uint64_t last_listing_version = 0;
  uint64_t last_article_version = 0;
};

// Ids handed out so far; the next ones follow.
struct StoreCounters {
  uint64_t last_snapshot_id = 0;
  uint64_t last_story_number = 0;  // Story ids are "s-%06d" of this.
  uint64_t last_version_id = 0;
};

// Inverted indexes from a 64-bit key to version ids.
enum class IndexKind : uint8_t {
  kLshBand = 1,    // MinHash LSH band key -> versions.
  kExactHash = 2,  // Matching-form hash of the whole text -> versions.
  kTitleHash = 3,  // Matching-form hash of the title -> versions.
  kUrl = 4,        // XXH3 of the canonical URL -> versions.
};

struct Posting {
  IndexKind kind = IndexKind::kLshBand;
  uint64_t key = 0;
  uint64_t version_id = 0;
};

// Everything one snapshot adds or changes, written in one atomic batch.
struct SnapshotCommit {
  SnapshotRecord snapshot;
  std::vector<ItemRecord> items;
  std::vector<StoryRecord> stories;    // New or changed, whole records.
  std::vector<VersionRecord> versions; // New or changed, whole records.
  std::vector<Posting> postings;       // New index entries only.
  StoreCounters counters;              // After this snapshot.
};

struct StoreStats {
  uint64_t snapshots = 0;
  uint64_t stories = 0;
  uint64_t versions = 0;
  uint64_t items = 0;
  // Estimated keys per index kind, by name ("lsh", "exact", "title", "url").
  std::vector<std::pair<std::string, uint64_t>> index_keys;
  uint64_t bytes_on_disk = 0;  // Live SST + WAL bytes.
};

}  // namespace newsdedup

#endif  // NEWSDEDUP_STORE_RECORDS_H_
