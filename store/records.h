#ifndef NEWSDEDUP_STORE_RECORDS_H_
#define NEWSDEDUP_STORE_RECORDS_H_

// The records a StoryStore keeps. Plain values, independent of RocksDB; the
// store encodes them in a versioned binary format (store/record_codec.h).
// Times are ISO-8601 UTC strings ("2025-03-29T00:00:00Z"), which sort in time
// order.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/dump_parser.h"
#include "core/matcher.h"
#include "core/source_history.h"
#include "core/story_status.h"
#include "core/transition_pairing.h"

namespace newsdedup {

// One dump of one source captured at one time.
struct SnapshotRecord {
  uint64_t id = 0;  // 1, 2, 3... in ingest order.
  std::string source;
  std::string captured_at;
  std::string file;          // File name as given ("-" for standard input).
  std::string content_hash;  // 16 hex digits of XXH3-64 of the raw bytes.
  SnapshotKind kind = SnapshotKind::kListing;
  DumpFormat format = DumpFormat::kListing;
  uint32_t item_count = 0;
  std::vector<std::string> warnings;  // Parser warnings, kept for reports.
};

// Where one item of a snapshot went, and how it compared with what was known.
struct ItemRecord {
  uint32_t position = 0;
  std::string story_id;
  uint64_t version_id = 0;
  // The story's status in this snapshot (the same for all its items).
  StoryStatus status = StoryStatus::kNew;
  // How this item's version differs from previous_version_id (kNone when it
  // is one of the versions seen last time).
  ChangeClass change = ChangeClass::kNone;
  // Identity rule that tied the item to its story (kNone: a new story).
  MatchRule rule = MatchRule::kNone;
  // The rule's evidence was an earlier item of this same snapshot.
  bool in_snapshot = false;
  // The version of the story's last appearance in this source closest to
  // this item's version; 0 if the source never showed the story.
  uint64_t previous_version_id = 0;
  // The versions of that last appearance (sorted): a story is `updated` when
  // its versions seen here differ from these.
  std::vector<uint64_t> previous_versions;
  double similarity = 0;   // Jaccard with the matched version's text.
  double containment = 0;  // Of the shorter text in the longer one.
  bool returned = false;   // Absent from the previous snapshot of its source.
  // Rule kTransition only: why transition pairing tied it to a story that
  // left the listing (stored for that rule alone).
  TransitionEvidence transition;
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
  uint64_t url_hash = 0;        // XXH3 of the canonical URL it came with; 0 if none.
  // XXH3 of the article id that URL carries (core/url.h UrlArticleKey); 0 if
  // none, or stored before it was kept.
  uint64_t url_key_hash = 0;
  std::string first_seen;
  std::string last_seen;
  std::vector<uint64_t> snapshots;  // Ids of the snapshots it was seen in.
  // Evidence that made it a version of its story (see ItemRecord).
  MatchRule rule = MatchRule::kNone;
  double similarity = 0;
  double containment = 0;
};

// A story's last appearance in the snapshots of one source and kind: what
// the next snapshot of that source and kind is compared with.
struct StoryAppearance {
  std::string source;
  SnapshotKind kind = SnapshotKind::kListing;
  uint64_t snapshot = 0;
  std::string captured_at;
  std::vector<uint64_t> versions;  // Sorted distinct ids of the versions seen there.
};

// What a reader would call one news item across snapshots.
struct StoryRecord {
  std::string id;  // "s-000001"...
  std::string title;  // Title of the canonical version.
  std::string url;    // Canonical URL when the input carried one.
  std::string first_seen;
  std::string last_seen;
  std::string first_source;  // Source of the first snapshot.
  uint64_t first_snapshot = 0;
  uint64_t last_snapshot = 0;
  std::vector<uint64_t> versions;  // Version ids, oldest first.
  uint64_t canonical_version = 0;  // Most recent, or most complete.
  // One per (source, kind) that showed the story: a listing is compared with
  // the last listing of its source, not with the full article page.
  std::vector<StoryAppearance> appearances;

  // The appearance for (source, kind), or null.
  const StoryAppearance* FindAppearance(std::string_view source, SnapshotKind kind) const;
  StoryAppearance* FindAppearance(std::string_view source, SnapshotKind kind);
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

// What a source repeats (core/source_history.h): one text of the snapshot's
// source, by kind and hash, with the partners it was seen with. Learned
// statistics, not references: a partner story may since have been deleted.
struct SourceTextRecord {
  SourceTextKind kind = SourceTextKind::kPageLine;
  uint64_t hash = 0;
  TextHistory history;
};

// Everything one snapshot adds or changes, written in one atomic batch.
struct SnapshotCommit {
  SnapshotRecord snapshot;
  std::vector<ItemRecord> items;
  std::vector<StoryRecord> stories;    // New or changed, whole records.
  std::vector<VersionRecord> versions; // New or changed, whole records.
  std::vector<Posting> postings;       // New index entries only.
  // Histories of the snapshot's source that changed, whole records.
  std::vector<SourceTextRecord> source_texts;
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
