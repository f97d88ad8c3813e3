#ifndef NEWSDEDUP_STORE_STORY_STORE_H_
#define NEWSDEDUP_STORE_STORY_STORE_H_

// All snapshots, stories and versions ever ingested, with the indexes that
// find candidate matches. Backed by RocksDB, which never shows outside
// store/ (the schema is in store/store_format.h). One snapshot is committed
// in one atomic write batch, synced, then flushed to table files before
// Commit returns: after a crash a snapshot is either all there or not at
// all, and one that Commit acknowledged no longer depends on the write-ahead
// log. A ledger of snapshot ids beside the database (store/snapshot_ledger.h)
// lets Open and Check tell a deleted snapshot from a lost one. Not
// thread-safe for writes: one writer at a time (RocksDB's LOCK keeps other
// processes out).

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "core/match_params.h"
#include "store/records.h"

namespace newsdedup {

// What Check verifies beyond the invariants it always checks.
struct CheckOptions {
  // Recompute every version's postings from its stored texts with these
  // params (which must be the store's) and compare them with the indexes,
  // key by key. Null: count each version's postings instead (fast).
  const MatchParams* deep = nullptr;
};

struct RebuildResult {
  uint64_t versions = 0;  // Versions whose postings were written.
  uint64_t postings = 0;
};

struct DeleteResult {
  std::vector<uint64_t> snapshots;  // Deleted (or recorded as lost), ascending.
  uint64_t items = 0;
  uint64_t versions = 0;  // No longer seen in any remaining snapshot.
  uint64_t stories = 0;
  uint64_t postings = 0;  // Removed from the indexes.
};

// One backup in a backup folder (store/store_backup.h).
struct StoreBackup {
  uint32_t backup_id = 0;  // 1, 2, 3... within the backup folder.
  int64_t created_at = 0;  // Unix seconds.
  uint64_t last_snapshot_id = 0;  // Of the store when it was taken.
  uint64_t bytes = 0;  // Files of this backup, those shared with others included.
  uint32_t files = 0;
};

// Version ids per looked-up key, in one array: key k's are
// ids[begin[k], begin[k + 1]).
struct PostingLists {
  std::vector<uint64_t> ids;
  std::vector<uint32_t> begin = {0};

  size_t size() const { return begin.size() - 1; }
  std::span<const uint64_t> operator[](size_t key) const {
    return std::span<const uint64_t>(ids).subspan(begin[key], begin[key + 1] - begin[key]);
  }
};

class StoryStore {
 public:
  struct Options {
    // Create the store when `dir` holds none.
    bool create_if_missing = true;
    // Open without the write lock (reports); Commit fails.
    bool read_only = false;
    // Keep everything in memory (no files); for diffs of two dumps.
    bool in_memory = false;
    // Ids a posting list keeps, the newest (MatchParams::max_postings_per_key,
    // which the params recorded at creation name).
    int max_postings_per_key = MatchParams().max_postings_per_key;
    // Follow the process that writes the store (a server beside the nightly
    // ingest): read-only, takes no lock and never blocks a writer, opens
    // while a writer runs, and sees later commits only through CatchUp().
    // Implies read_only.
    bool follow_writer = false;
    // Open for writing although the ledger lists committed snapshots that
    // the store lost, so that DeleteSnapshots can record them as deleted.
    bool accept_lost_snapshots = false;
  };

  // Opens or creates the store in `dir`. `params` describes everything the
  // stored data depends on (normalizer version, shingle size, hashes, seed,
  // bands, thresholds), one "name=value" per line; it is recorded at
  // creation. Errors:
  //  - UnavailableError "store is in use by another process" when another
  //    process (or another StoryStore of this one) holds it: worth retrying;
  //  - FailedPreconditionError naming a read-only filesystem;
  //  - FailedPreconditionError naming the differing parameters when the store
  //    was created with other params (empty `params` skips the check, for
  //    read-only tools), or when an index rebuild was interrupted;
  //  - NotFoundError when `dir` holds no store and !create_if_missing;
  //  - InvalidArgumentError when `dir` exists, is not empty and is not a store;
  //  - DataLossError, for writing, when the ledger lists committed snapshots
  //    the store no longer has (unless accept_lost_snapshots), and when
  //    RocksDB finds its files damaged (naming the file and what to do).
  // A new store is made in a sibling folder and renamed into place once
  // whole, so that an interrupted creation leaves no store rather than a
  // broken one; a folder left by an interrupted creation of an older build
  // (RocksDB's first files, no data) is recognized and created afresh.
  static absl::StatusOr<std::unique_ptr<StoryStore>> Open(
      const std::string& dir, const std::string& params, const Options& options);

  virtual ~StoryStore() = default;

  // The params recorded at creation.
  virtual const std::string& params() const = 0;

  // For a store opened with follow_writer: brings in every snapshot the
  // writer committed since the last call, each one whole (a commit is one
  // write batch, applied at once). Returns the store's write position
  // afterwards, which grows with every commit seen: two handles at the same
  // position hold the same state. A commit is never seen without the ones
  // before it (UnavailableError when the writer committed during each of
  // many catch-ups). Other stores only return their position.
  // The state a reader sees changes during this call: callers that need a
  // fixed state across several reads keep readers out meanwhile
  // (store/store_follower.h does).
  virtual absl::StatusOr<uint64_t> CatchUp() = 0;

  virtual absl::StatusOr<StoreCounters> GetCounters() = 0;

  // The snapshot of `source` captured at `captured_at` from a dump with
  // `content_hash`, if any. One capture (source and time) may hold several
  // files: a listing and some article pages scraped together.
  virtual absl::StatusOr<std::optional<SnapshotRecord>> FindSnapshot(
      const std::string& source, const std::string& captured_at,
      const std::string& content_hash) = 0;
  // NotFoundError for an unknown id.
  virtual absl::StatusOr<SnapshotRecord> GetSnapshot(uint64_t id) = 0;
  // All snapshots in id order.
  virtual absl::StatusOr<std::vector<SnapshotRecord>> ListSnapshots() = 0;
  // The latest capture time before `captured_at` of a snapshot of `source`
  // and `kind`, if any.
  virtual absl::StatusOr<std::optional<std::string>> PreviousCaptureTime(
      const std::string& source, SnapshotKind kind, const std::string& captured_at) = 0;
  // The snapshots of `source` and `kind` captured at `captured_at`, in id
  // order (the files of one capture).
  virtual absl::StatusOr<std::vector<SnapshotRecord>> SnapshotsAt(
      const std::string& source, SnapshotKind kind, const std::string& captured_at) = 0;
  // The item records of a snapshot, by position.
  virtual absl::StatusOr<std::vector<ItemRecord>> GetSnapshotItems(uint64_t id) = 0;

  // NotFoundError for an unknown id.
  virtual absl::StatusOr<StoryRecord> GetStory(const std::string& id) = 0;
  // Up to `limit` stories in id order, starting after `start_after` (empty:
  // from the first), for paging through every story.
  virtual absl::StatusOr<std::vector<StoryRecord>> ScanStories(
      const std::string& start_after, size_t limit) = 0;
  // One entry per id, in order; nullopt for unknown ids.
  virtual absl::StatusOr<std::vector<std::optional<StoryRecord>>> MultiGetStories(
      std::span<const std::string> ids) = 0;
  // One entry per id, in order, texts included; nullopt for unknown ids.
  virtual absl::StatusOr<std::vector<std::optional<VersionRecord>>> MultiGetVersions(
      std::span<const uint64_t> ids) = 0;
  // The same without lede and body (the title is there): for reports, which
  // name many versions and show the texts of few.
  virtual absl::StatusOr<std::vector<std::optional<VersionRecord>>> MultiGetVersionHeads(
      std::span<const uint64_t> ids) = 0;

  // For each key, the newest `max_per_key` version ids indexed under it
  // (empty if none), oldest first, in one batched lookup. A posting list
  // keeps only its newest Options::max_postings_per_key ids: a bucket that
  // full is a template. In one array: a night looks up millions of keys,
  // and a vector per key was a third of the lookup.
  virtual absl::StatusOr<PostingLists> LookupPostingLists(IndexKind kind,
                                                          std::span<const uint64_t> keys,
                                                          size_t max_per_key) = 0;
  // The same as one vector per key.
  absl::StatusOr<std::vector<std::vector<uint64_t>>> LookupPostings(
      IndexKind kind, std::span<const uint64_t> keys, size_t max_per_key);
  // Every id of each list.
  absl::StatusOr<std::vector<std::vector<uint64_t>>> LookupPostings(
      IndexKind kind, std::span<const uint64_t> keys) {
    return LookupPostings(kind, keys, SIZE_MAX);
  }

  // What `source` repeats (core/source_history.h): the history of each of
  // `hashes` of `kind`, in order, in one batched lookup; an empty history
  // for a text the source never showed.
  virtual absl::StatusOr<std::vector<TextHistory>> LookupSourceTexts(
      const std::string& source, SourceTextKind kind, std::span<const uint64_t> hashes) = 0;

  // Writes everything of one snapshot atomically and durably: synced, in the
  // ledger, and flushed to table files. InvalidArgumentError if the snapshot
  // id is not counters.last_snapshot_id + 1 of the stored state (a stale or
  // concurrent commit); DataLoss/Internal/ResourceExhausted on I/O failure,
  // with nothing written, or with a message saying that the snapshot is
  // committed but could not be flushed (it then lives in the write-ahead log
  // until the next open for writing flushes it).
  virtual absl::Status Commit(const SnapshotCommit& commit) = 0;

  virtual absl::StatusOr<StoreStats> Stats() = 0;

  // Checks the invariants and appends one line per problem found: RocksDB
  // checksums (naming the damaged file and its family); every snapshot id up
  // to the last present or recorded as deleted, and agreeing with the
  // ledger; items point to existing stories and versions of them; stories
  // and versions point to each other; every version has its texts and all
  // its postings (counted, or with options.deep recomputed and compared key
  // by key), every posting a version; the counters cover every id; source
  // text histories decode and name no story beyond the counters. A problem
  // that rebuild-index repairs says so.
  virtual absl::Status Check(const CheckOptions& options,
                             std::vector<std::string>* problems) = 0;
  absl::Status Check(std::vector<std::string>* problems) {
    return Check(CheckOptions(), problems);
  }

  // Regenerates every index family from the stored versions' texts: the
  // repair for lost or damaged index data. A rebuild cut short (a crash)
  // leaves the store refusing ingests until it is run again.
  // FailedPreconditionError if `params` are not the store's.
  virtual absl::StatusOr<RebuildResult> RebuildIndexes(const MatchParams& params) = 0;

  // Deletes snapshots in one atomic batch: their items, the versions and
  // stories that no remaining item refers to, those versions' postings
  // (posting lists are rewritten without them), and fixes what remains:
  // each version's snapshots and first/last seen, each story's versions,
  // times, canonical version and last appearances. The ids are recorded as
  // deleted (store and ledger), so that `check` tells them from lost ones.
  // What the sources repeat (LookupSourceTexts) is learned statistics and
  // stays: a menu seen on deleted pages is still the site's menu.
  // An id that the ledger lists but the store lost (see
  // Options::accept_lost_snapshots) is recorded as deleted. NotFoundError
  // for an id never committed; FailedPreconditionError if `params` are not
  // the store's (the postings are recomputed from the texts).
  virtual absl::StatusOr<DeleteResult> DeleteSnapshots(std::span<const uint64_t> ids,
                                                       const MatchParams& params) = 0;

  // Ids the ledger lists as committed that the store neither has nor
  // recorded as deleted (see Options::accept_lost_snapshots), ascending.
  virtual absl::StatusOr<std::vector<uint64_t>> LostSnapshots() = 0;

  // Adds a backup of the store to `backup_dir` (created when missing) with
  // RocksDB's BackupEngine: table files are copied once and shared by later
  // backups, every file checksummed. Consistent: it holds the store's write
  // lock, so no ingest runs halfway through it. Then only the newest
  // `keep_latest` backups stay (0: all). REQUIRES: opened for writing.
  virtual absl::StatusOr<StoreBackup> Backup(const std::string& backup_dir,
                                              uint32_t keep_latest) = 0;
};

}  // namespace newsdedup

#endif  // NEWSDEDUP_STORE_STORY_STORE_H_
