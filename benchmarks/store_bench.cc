// StoryStore throughput on a real on-disk RocksDB: committing a night's
// snapshot (synced) and the batched LSH lookups of the matcher.

#include <benchmark/benchmark.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "store/story_store.h"

namespace newsdedup {
namespace {

constexpr char kParams[] = "shingle_size=3\nnum_hashes=128\nbands=20\n";
constexpr int kItemsPerSnapshot = 1000;
constexpr int kBands = 20;
constexpr int kBodyBytes = 1500;

uint64_t SplitMix64(uint64_t x) {
  x += 0x9e3779b97f4a7c15;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9;
  x = (x ^ (x >> 27)) * 0x94d049bb133111eb;
  return x ^ (x >> 31);
}

// LSH keys are hashes: spread over the whole key space like real ones.
uint64_t LshKey(uint64_t version_id, int band) {
  return SplitMix64(version_id * kBands + band);
}

std::string RandomText(uint64_t seed, int bytes) {
  std::string text;
  text.reserve(bytes);
  uint64_t state = seed;
  while (static_cast<int>(text.size()) < bytes) {
    state = SplitMix64(state);
    const int word_length = 2 + state % 9;
    for (int i = 0; i < word_length; ++i) {
      text.push_back(static_cast<char>('a' + (state >> (8 + 4 * i)) % 26));
    }
    text.push_back(' ');
  }
  return text;
}

// A listing snapshot of new stories, each with one new version indexed under
// every LSH band, its exact hash and its title hash.
SnapshotCommit NewStoriesCommit(const StoreCounters& before) {
  SnapshotCommit commit;
  SnapshotRecord& snapshot = commit.snapshot;
  snapshot.id = before.last_snapshot_id + 1;
  snapshot.source = "bench";
  snapshot.captured_at = absl::StrCat("2025-01-01T00:00:00Z#", snapshot.id);
  snapshot.kind = SnapshotKind::kListing;
  snapshot.format = DumpFormat::kListing;
  snapshot.item_count = kItemsPerSnapshot;
  for (int i = 0; i < kItemsPerSnapshot; ++i) {
    const uint64_t version_id = before.last_version_id + 1 + i;
    const std::string story_id =
        absl::StrFormat("s-%06d", before.last_story_number + 1 + i);
    ItemRecord& item = commit.items.emplace_back();
    item.position = i;
    item.story_id = story_id;
    item.version_id = version_id;
    item.status = StoryStatus::kNew;
    VersionRecord& version = commit.versions.emplace_back();
    version.id = version_id;
    version.story_id = story_id;
    version.title = RandomText(version_id, 60);
    version.lede = RandomText(version_id + 1, 200);
    version.body = RandomText(version_id + 2, kBodyBytes);
    version.matching_hash = SplitMix64(~version_id);
    version.canonical_hash = version.matching_hash;
    version.first_seen = version.last_seen = snapshot.captured_at;
    version.snapshots = {snapshot.id};
    StoryRecord& story = commit.stories.emplace_back();
    story.id = story_id;
    story.title = version.title;
    story.first_seen = story.last_seen = snapshot.captured_at;
    story.first_snapshot = story.last_snapshot = snapshot.id;
    story.versions = {version_id};
    story.canonical_version = version_id;
    story.appearances = {{.source = snapshot.source,
                          .kind = SnapshotKind::kListing,
                          .snapshot = snapshot.id,
                          .captured_at = snapshot.captured_at,
                          .versions = {version_id}}};
    for (int band = 0; band < kBands; ++band) {
      commit.postings.push_back(
          {IndexKind::kLshBand, LshKey(version_id, band), version_id});
    }
    commit.postings.push_back(
        {IndexKind::kExactHash, version.matching_hash, version_id});
    commit.postings.push_back(
        {IndexKind::kTitleHash, SplitMix64(version_id ^ 0x7), version_id});
  }
  commit.counters = {
      .last_snapshot_id = snapshot.id,
      .last_story_number = before.last_story_number + kItemsPerSnapshot,
      .last_version_id = before.last_version_id + kItemsPerSnapshot};
  return commit;
}

std::unique_ptr<StoryStore> OpenFresh(const std::string& name,
                                      benchmark::State& state) {
  const std::string dir =
      (std::filesystem::temp_directory_path() / name).string();
  std::filesystem::remove_all(dir);
  absl::StatusOr<std::unique_ptr<StoryStore>> store =
      StoryStore::Open(dir, kParams, StoryStore::Options());
  if (!store.ok()) {
    state.SkipWithError(std::string(store.status().message()).c_str());
    return nullptr;
  }
  return *std::move(store);
}

// One synced WriteBatch per snapshot: items, stories, versions with texts and
// 22 postings per item.
void BM_CommitSnapshotOf1000NewItems(benchmark::State& state) {
  std::unique_ptr<StoryStore> store =
      OpenFresh("newsdedup_store_bench_commit", state);
  if (store == nullptr) return;
  StoreCounters counters;
  for (auto _ : state) {
    state.PauseTiming();
    const SnapshotCommit commit = NewStoriesCommit(counters);
    state.ResumeTiming();
    if (absl::Status status = store->Commit(commit); !status.ok()) {
      state.SkipWithError(std::string(status.message()).c_str());
      return;
    }
    counters = commit.counters;
  }
  state.SetItemsProcessed(state.iterations() * kItemsPerSnapshot);
}
// Real time: the fsync of the write-ahead log is part of the cost.
BENCHMARK(BM_CommitSnapshotOf1000NewItems)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

// 1,000 LSH keys, half of them indexed, in one MultiGet against a store of
// state.range(0) versions read back from its table files.
void BM_LookupPostingsOf1000LshKeys(benchmark::State& state) {
  const std::string name = "newsdedup_store_bench_lookup";
  const int64_t versions = state.range(0);
  std::unique_ptr<StoryStore> store = OpenFresh(name, state);
  if (store == nullptr) return;
  StoreCounters counters;
  while (static_cast<int64_t>(counters.last_version_id) < versions) {
    const SnapshotCommit commit = NewStoriesCommit(counters);
    if (absl::Status status = store->Commit(commit); !status.ok()) {
      state.SkipWithError(std::string(status.message()).c_str());
      return;
    }
    counters = commit.counters;
  }
  // Reopening flushes the memtables: lookups then go through table files,
  // their bloom filters and the block cache, as on a real night.
  store.reset();
  absl::StatusOr<std::unique_ptr<StoryStore>> reopened =
      StoryStore::Open((std::filesystem::temp_directory_path() / name).string(),
                       kParams, StoryStore::Options());
  if (!reopened.ok()) {
    state.SkipWithError(std::string(reopened.status().message()).c_str());
    return;
  }
  store = *std::move(reopened);

  std::vector<std::vector<uint64_t>> batches(16);
  for (size_t b = 0; b < batches.size(); ++b) {
    for (int i = 0; i < 1000; ++i) {
      const uint64_t draw = SplitMix64(b * 1000 + i);
      batches[b].push_back(i % 2 == 0
                               ? LshKey(1 + draw % versions, draw % kBands)
                               : draw);  // Almost surely not indexed.
    }
  }
  size_t batch = 0;
  for (auto _ : state) {
    absl::StatusOr<std::vector<std::vector<uint64_t>>> postings =
        store->LookupPostings(IndexKind::kLshBand, batches[batch]);
    if (!postings.ok()) {
      state.SkipWithError(std::string(postings.status().message()).c_str());
      return;
    }
    benchmark::DoNotOptimize(postings->data());
    batch = (batch + 1) % batches.size();
  }
  state.SetItemsProcessed(state.iterations() * 1000);
}
BENCHMARK(BM_LookupPostingsOf1000LshKeys)
    ->Arg(50000)
    ->UseRealTime()
    ->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace newsdedup
