#ifndef NEWSDEDUP_TESTS_STORE_STORE_TESTING_H_
#define NEWSDEDUP_TESTS_STORE_STORE_TESTING_H_

// What the store tests share: per-process store folders removed after the
// run, synthetic snapshot commits, and helper tests run in a second process
// (to be killed, or to hold a store's lock).

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "gtest/gtest.h"
#include "core/match_params.h"
#include "store/story_store.h"
#include "store/version_postings.h"
#include "tests/testing/status_matchers.h"

extern char** environ;

namespace newsdedup {

inline constexpr char kParams[] = "normalizer=1\nshingle_size=3\nnum_hashes=128\n";
// Tells a helper test (run in a second process) which store to use.
inline constexpr char kHelperDirVariable[] = "NEWSDEDUP_STORE_TEST_HELPER_DIR";

// Removes the folders FreshDir() made once all tests have run.
class RemoveFreshDirs : public ::testing::Environment {
 public:
  static std::vector<std::string>& dirs() {
    static auto* const dirs = new std::vector<std::string>;
    return *dirs;
  }
  void TearDown() override {
    for (const std::string& dir : dirs()) std::filesystem::remove_all(dir);
  }
};
inline ::testing::Environment* const remove_fresh_dirs =
    ::testing::AddGlobalTestEnvironment(new RemoveFreshDirs);

// An empty folder path of this process: several builds may run these tests
// at once on one machine.
inline std::string FreshDir(const std::string& name) {
  const std::string dir =
      absl::StrCat(::testing::TempDir(), name, "_", getpid());
  std::filesystem::remove_all(dir);  // TempDir() survives between runs.
  RemoveFreshDirs::dirs().push_back(dir);
  return dir;
}

inline absl::StatusOr<std::unique_ptr<StoryStore>> OpenStore(
    const std::string& dir, StoryStore::Options options = {}) {
  return StoryStore::Open(dir, kParams, options);
}

// A snapshot whose items are all new stories, one new version each, indexed
// under four LSH keys and an exact hash derived from the version id.
inline SnapshotCommit NewStoriesCommit(const StoreCounters& before,
                                const std::string& source,
                                const std::string& captured_at,
                                uint32_t item_count,
                                SnapshotKind kind = SnapshotKind::kListing,
                                size_t body_bytes = 40) {
  SnapshotCommit commit;
  SnapshotRecord& snapshot = commit.snapshot;
  snapshot.id = before.last_snapshot_id + 1;
  snapshot.source = source;
  snapshot.captured_at = captured_at;
  snapshot.file = absl::StrCat(source, ".txt");
  snapshot.content_hash = "00000000000000ff";
  snapshot.kind = kind;
  snapshot.format = kind == SnapshotKind::kArticle ? DumpFormat::kArticle : DumpFormat::kListing;
  snapshot.item_count = item_count;
  for (uint32_t i = 0; i < item_count; ++i) {
    const uint64_t version_id = before.last_version_id + 1 + i;
    const std::string story_id =
        absl::StrFormat("s-%06d", before.last_story_number + 1 + i);
    ItemRecord& item = commit.items.emplace_back();
    item.position = i;
    item.story_id = story_id;
    item.version_id = version_id;
    item.status = StoryStatus::kNew;
    StoryRecord& story = commit.stories.emplace_back();
    story.id = story_id;
    story.title = absl::StrCat("Title ", version_id);
    story.first_seen = story.last_seen = captured_at;
    story.first_snapshot = story.last_snapshot = snapshot.id;
    story.versions = {version_id};
    story.canonical_version = version_id;
    VersionRecord& version = commit.versions.emplace_back();
    version.id = version_id;
    version.story_id = story_id;
    version.title = story.title;
    version.lede = absl::StrCat("Lede of ", version_id);
    version.body = std::string(body_bytes, 'a' + version_id % 26);
    version.matching_hash = version_id ^ 0xabcdef;
    version.canonical_hash = version_id;
    version.first_seen = version.last_seen = captured_at;
    version.snapshots = {snapshot.id};
    for (uint64_t band = 0; band < 4; ++band) {
      commit.postings.push_back(
          {IndexKind::kLshBand, version_id * 16 + band, version_id});
    }
    commit.postings.push_back(
        {IndexKind::kExactHash, version.matching_hash, version_id});
  }
  commit.counters = {.last_snapshot_id = snapshot.id,
                     .last_story_number = before.last_story_number + item_count,
                     .last_version_id = before.last_version_id + item_count};
  return commit;
}

inline absl::Status CommitNewStories(StoryStore& store, const std::string& source,
                              const std::string& captured_at,
                              uint32_t item_count,
                              SnapshotKind kind = SnapshotKind::kListing) {
  absl::StatusOr<StoreCounters> counters = store.GetCounters();
  if (!counters.ok()) return counters.status();
  return store.Commit(
      NewStoriesCommit(*counters, source, captured_at, item_count, kind));
}

inline std::vector<std::string> CheckProblems(StoryStore& store) {
  std::vector<std::string> problems;
  EXPECT_THAT(store.Check(&problems), ::newsdedup::testing::IsOk());
  return problems;
}

// Problems `check --deep` finds (postings recomputed with MatchParams()).
inline std::vector<std::string> DeepCheckProblems(StoryStore& store) {
  const MatchParams params;
  CheckOptions options;
  options.deep = &params;
  std::vector<std::string> problems;
  EXPECT_THAT(store.Check(options, &problems), ::newsdedup::testing::IsOk());
  return problems;
}

// Runs the disabled helper test `test` of this binary in a new process that
// finds `dir` in kHelperDirVariable; its output goes to /dev/null if `quiet`.
inline pid_t SpawnHelper(const std::string& test, const std::string& dir, bool quiet) {
  std::string filter = absl::StrCat("--gtest_filter=", test);
  std::string also_disabled = "--gtest_also_run_disabled_tests";
  std::string exe = "/proc/self/exe";
  char* argv[] = {exe.data(), filter.data(), also_disabled.data(), nullptr};
  std::vector<std::string> environment = {
      absl::StrCat(kHelperDirVariable, "=", dir)};
  for (char** variable = environ; *variable != nullptr; ++variable) {
    environment.emplace_back(*variable);
  }
  std::vector<char*> envp;
  for (std::string& variable : environment) envp.push_back(variable.data());
  envp.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (quiet) {
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null",
                                     O_WRONLY, 0);
  }
  pid_t pid = -1;
  const int error =
      posix_spawn(&pid, exe.c_str(), &actions, nullptr, argv, envp.data());
  posix_spawn_file_actions_destroy(&actions);
  return error == 0 ? pid : -1;
}

// The helper's exit code, or -1 if it did not exit on its own.
inline int WaitForExit(pid_t pid) {
  int status = 0;
  if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) return -1;
  return WEXITSTATUS(status);
}

// NewStoriesCommit with the postings real versions of those texts get (and
// their matching hashes), for stores made with MatchParams().Describe():
// their indexes can be rebuilt and checked key by key.
inline SnapshotCommit RealPostingsCommit(const StoreCounters& before, const std::string& source,
                                         const std::string& captured_at, uint32_t item_count) {
  SnapshotCommit commit = NewStoriesCommit(before, source, captured_at, item_count);
  commit.postings.clear();
  VersionPostings postings{MatchParams()};
  for (VersionRecord& version : commit.versions) {
    version.body = absl::StrCat("Body of version ", version.id, " in ", source, " at ",
                                captured_at, ", with words enough for a few shingles.");
    const std::vector<Posting> of_version = postings.Of(version);
    version.matching_hash = of_version.front().key;  // The exact posting comes first.
    commit.postings.insert(commit.postings.end(), of_version.begin(), of_version.end());
  }
  return commit;
}

inline absl::Status CommitRealStories(StoryStore& store, const std::string& source,
                                      const std::string& captured_at, uint32_t item_count) {
  absl::StatusOr<StoreCounters> counters = store.GetCounters();
  if (!counters.ok()) return counters.status();
  return store.Commit(RealPostingsCommit(*counters, source, captured_at, item_count));
}

inline absl::StatusOr<std::unique_ptr<StoryStore>> OpenRealStore(
    const std::string& dir, StoryStore::Options options = {}) {
  return StoryStore::Open(dir, MatchParams().Describe(), options);
}

}  // namespace newsdedup

#endif  // NEWSDEDUP_TESTS_STORE_STORE_TESTING_H_
