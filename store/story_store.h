#ifndef NEWSDEDUP_STORE_STORY_STORE_H_
#define NEWSDEDUP_STORE_STORY_STORE_H_

// All snapshots, stories and versions ever ingested, with the indexes that
// find candidate matches. Backed by RocksDB, which never shows outside
// store/. One snapshot is committed in one atomic write batch (WAL on): after
// a crash a snapshot is either all there or not at all. Not thread-safe for
// writes: one ingest at a time (RocksDB's LOCK keeps other processes out).

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
  };

  // Opens or creates the store in `dir`. `params` describes everything the
  // stored data depends on (normalizer version, shingle size, hashes, seed,
  // bands, thresholds), one "name=value" per line; it is recorded at
  // creation. Errors:
  //  - UnavailableError "store is in use by another process" when another
  //    process (or another StoryStore of this one) holds it: worth retrying;
  //  - FailedPreconditionError naming the differing parameters when the store
  //    was created with other params (empty `params` skips the check, for
  //    read-only tools);
  //  - NotFoundError when `dir` holds no store and !create_if_missing;
  //  - InvalidArgumentError when `dir` exists, is not empty and is not a store.
  static absl::StatusOr<std::unique_ptr<StoryStore>> Open(
      const std::string& dir, const std::string& params, const Options& options);

  virtual ~StoryStore() = default;

  // The params recorded at creation.
  virtual const std::string& params() const = 0;

  // For a store opened with follow_writer: brings in every snapshot the
  // writer committed since the last call, each one whole (a commit is one
  // write batch, applied at once). Returns the store's write position
  // afterwards, which grows with every commit seen: two handles at the same
  // position hold the same state. Other stores only return their position.
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
  // full is a template.
  virtual absl::StatusOr<std::vector<std::vector<uint64_t>>> LookupPostings(
      IndexKind kind, std::span<const uint64_t> keys, size_t max_per_key) = 0;
  // Every id of each list.
  absl::StatusOr<std::vector<std::vector<uint64_t>>> LookupPostings(
      IndexKind kind, std::span<const uint64_t> keys) {
    return LookupPostings(kind, keys, SIZE_MAX);
  }

  // Writes everything of one snapshot atomically. InvalidArgumentError if
  // the snapshot id is not counters.last_snapshot_id + 1 of the stored state
  // (a stale or concurrent commit); DataLoss/Internal on I/O failure, with
  // nothing written.
  virtual absl::Status Commit(const SnapshotCommit& commit) = 0;

  virtual absl::StatusOr<StoreStats> Stats() = 0;

  // Checks the invariants (every item points to an existing story and
  // version, every story's versions exist and point back, every snapshot has
  // its items, postings point to existing versions, RocksDB checksums) and
  // appends one line per problem found.
  virtual absl::Status Check(std::vector<std::string>* problems) = 0;
};

}  // namespace newsdedup

#endif  // NEWSDEDUP_STORE_STORY_STORE_H_
