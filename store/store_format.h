#ifndef NEWSDEDUP_STORE_STORE_FORMAT_H_
#define NEWSDEDUP_STORE_STORE_FORMAT_H_

// The on-disk schema of a StoryStore, in one place (as LevelDB's dbformat.h):
// its column families, the keys of each, the meta entries, and the files the
// store keeps beside RocksDB's. Record values are encoded by
// store/record_codec.h; this header says where they live.
//
//   family              key                                   value
//   meta                "schema_version"                      decimal kSchemaVersion
//                       "params"                              MatchParams::Describe()
//                       "counters"                            EncodeCounters
//                       "deleted" + IdKey(snapshot id)        "" (a deleted snapshot)
//                       "removed"                             EncodeRemovedCounts
//                       "has_ledger"                          "" (the ledger file exists)
//                       "index_rebuild"                       "" (a rebuild under way)
//   snapshots           IdKey(id)                             EncodeSnapshot
//   snapshot_keys       source NUL captured_at NUL hash       IdKey(id)
//   snapshot_by_source  source NUL kind NUL captured_at NUL   ""
//                       IdKey(id)
//   items               IdKey(snapshot) BigEndian32(position) EncodeItem
//   stories             story id ("s-000001")                 EncodeStory
//   versions            IdKey(version id)                     EncodeVersion (no texts)
//   texts               IdKey(version id)                     EncodeVersionTexts
//   lsh, exact,         IdKey(64-bit index key)               posting list: varint
//   title, url                                                version ids, oldest first
//   source_texts        source NUL kind byte BigEndian64(hash) EncodeTextHistory
//                       (SourceTextKey; core/source_history.h)
//
// Integers in keys are big-endian so that keys sort in numeric order.
// Internal to store/.

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "store/records.h"

namespace newsdedup {
namespace store_format {

// Layout of column families, keys and meta entries. Bump on any change to
// them, or to the posting list format (which carries no version byte).
// 2: records of format version 2 (enums as bytes, stories' appearances),
// snapshot keys with the content hash (several files per capture), and
// snapshot_by_source keys with the capture time. 3: version records hold
// their title (record format 3). 4: records of format version 4 (items'
// transition evidence) and the source_texts family.
inline constexpr int kSchemaVersion = 4;

enum ColumnFamily : int {
  kMeta,
  kSnapshots,
  kSnapshotKeys,
  kSnapshotsBySource,
  kItems,
  kStories,
  kVersions,
  kTexts,
  kLshIndex,
  kExactIndex,
  kTitleIndex,
  kUrlIndex,
  // Per source, what it repeats (core/source_history.h).
  kSourceTexts,
  kNumColumnFamilies,
};

enum class Compression { kNone, kFast, kStrong };

struct ColumnFamilySpec {
  const char* name;  // Recorded in the MANIFEST: never rename.
  // Bloom filters pay off where reads are Gets of whole keys; the others are
  // read by range scans.
  bool point_lookups;
  Compression compression;
  // The index kept in this family, whose values are posting lists appended
  // by merges; nullopt for record families. The one list of index kinds:
  // everything that walks the indexes walks this table.
  std::optional<IndexKind> index;
};

inline constexpr std::array<ColumnFamilySpec, kNumColumnFamilies> kColumnFamilies = {{
    {"meta", true, Compression::kNone, std::nullopt},
    {"snapshots", true, Compression::kFast, std::nullopt},
    {"snapshot_keys", true, Compression::kFast, std::nullopt},
    {"snapshot_by_source", false, Compression::kFast, std::nullopt},
    {"items", false, Compression::kFast, std::nullopt},
    {"stories", true, Compression::kFast, std::nullopt},
    {"versions", true, Compression::kFast, std::nullopt},
    {"texts", true, Compression::kStrong, std::nullopt},
    // Varint id lists barely compress; skipping it saves CPU on every read.
    {"lsh", true, Compression::kNone, IndexKind::kLshBand},
    {"exact", true, Compression::kNone, IndexKind::kExactHash},
    {"title", true, Compression::kNone, IndexKind::kTitleHash},
    {"url", true, Compression::kNone, IndexKind::kUrl},
    {"source_texts", true, Compression::kFast, std::nullopt},
}};

// The family holding `kind`; nullopt for a value outside the enum.
constexpr std::optional<ColumnFamily> IndexFamily(IndexKind kind) {
  for (int cf = 0; cf < kNumColumnFamilies; ++cf) {
    if (kColumnFamilies[cf].index == kind) return static_cast<ColumnFamily>(cf);
  }
  return std::nullopt;
}

constexpr bool IsIndexFamily(int cf) { return kColumnFamilies[cf].index.has_value(); }

// A posting list keeps its newest StoryStore::Options::max_postings_per_key
// ids (MatchParams::max_postings_per_key): a bucket shared by thousands of
// versions is a template (a recurring headline, a boilerplate lede), not
// evidence, and unbounded it would make every lookup of it read and decode
// megabytes. A list that full may have lost its oldest ids, which `check`
// must then not call missing.

// Meta keys.
inline constexpr char kSchemaVersionKey[] = "schema_version";
inline constexpr char kParamsKey[] = "params";
inline constexpr char kCountersKey[] = "counters";
inline constexpr char kDeletedPrefix[] = "deleted";
inline constexpr char kIndexRebuildKey[] = "index_rebuild";
inline constexpr char kRemovedKey[] = "removed";
// Present in stores made with a ledger (older stores get one, and this key,
// at their first open for writing).
inline constexpr char kHasLedgerKey[] = "has_ledger";

// Stories and versions that snapshot deletions removed: the counters say how
// many ids were handed out, these how many of them are gone.
struct RemovedCounts {
  uint64_t stories = 0;
  uint64_t versions = 0;
};
// Two big-endian 64-bit integers.
std::string EncodeRemovedCounts(const RemovedCounts& counts);
absl::StatusOr<RemovedCounts> DecodeRemovedCounts(std::string_view bytes);

// Files of the store folder besides RocksDB's. The ledger lists every
// snapshot id committed or deleted (store/snapshot_ledger.h), outside
// RocksDB so that a damaged write-ahead log or MANIFEST cannot take it along
// with the snapshots it vouches for.
inline constexpr char kLedgerFile[] = "SNAPSHOT-LEDGER";
// A store being created lives in a sibling folder "." + name + this suffix +
// pid until it is whole, then is renamed into place.
inline constexpr char kCreatingSuffix[] = ".creating-";

// Big-endian `bytes` low bytes of `value`.
void AppendBigEndian(uint64_t value, int bytes, std::string* out);
uint64_t ReadBigEndian(std::string_view bytes);

std::string IdKey(uint64_t id);
std::string ItemKey(uint64_t snapshot_id, uint32_t position);
inline constexpr size_t kItemKeySize = 12;
// Sources and times hold no NUL (Commit refuses them), so these are unique.
// One capture (source and time) may hold several files: the content hash
// tells them apart, and re-ingesting one of them finds it.
std::string SnapshotKey(const std::string& source, const std::string& captured_at,
                        const std::string& content_hash);
// snapshot_by_source keys: source, kind, capture time, id; so that the
// snapshots of one source and kind sort by time, then ingest order.
std::string SourceKindPrefix(const std::string& source, SnapshotKind kind);
std::string SourceKindTimePrefix(const std::string& source, SnapshotKind kind,
                                 const std::string& captured_at);
std::string DeletedKey(uint64_t snapshot_id);
// source_texts keys. Sources hold no NUL, so the source ends at the first.
std::string SourceTextKey(const std::string& source, SourceTextKind kind, uint64_t hash);
inline constexpr size_t kSourceTextKeyTail = 1 + 1 + 8;  // NUL, kind, hash.
bool IsSourceTextKind(uint8_t byte);

}  // namespace store_format
}  // namespace newsdedup

#endif  // NEWSDEDUP_STORE_STORE_FORMAT_H_
