#include "store/story_store.h"

#include <algorithm>
#include <array>
#include <cstdarg>
#include <filesystem>
#include <map>
#include <cstdlib>
#include <mutex>
#include <string_view>
#include <system_error>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "rocksdb/cache.h"
#include "rocksdb/convenience.h"
#include "rocksdb/db.h"
#include "rocksdb/env.h"
#include "rocksdb/filter_policy.h"
#include "rocksdb/merge_operator.h"
#include "rocksdb/table.h"
#include "rocksdb/write_batch.h"
#include "store/record_codec.h"
#include "store/rocksdb_status.h"

namespace newsdedup {
namespace {

// Layout of column families and keys. Bump on any change to either, or to the
// posting list format (which carries no version byte of its own).
// 2: records of format version 2 (enums as bytes, stories' appearances),
// snapshot keys with the content hash (several files per capture), and
// snapshot_by_source keys with the capture time. 3: version records hold
// their title (record format 3).
constexpr int kStoreSchemaVersion = 3;

// Stands for the directory of an in-memory store inside its private Env.
constexpr char kInMemoryPath[] = "/newsdedup-in-memory";

constexpr size_t kBlockCacheBytes = 64 << 20;
constexpr int kBloomBitsPerKey = 10;
// Check() reads references in batches of this many records.
constexpr size_t kCheckBatch = 1024;
// Check() lists at most this many problems, then counts the rest.
constexpr size_t kMaxProblemsListed = 1000;

constexpr char kSchemaVersionKey[] = "schema_version";
constexpr char kParamsKey[] = "params";
constexpr char kCountersKey[] = "counters";

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
  kNumColumnFamilies,
};

enum class Compression { kNone, kFast, kStrong };

struct ColumnFamilySpec {
  const char* name;
  // Bloom filters pay off where reads are Gets of whole keys; the others are
  // read by range scans.
  bool point_lookups;
  Compression compression;
  bool postings;  // Values are posting lists appended by merges.
};

constexpr std::array<ColumnFamilySpec, kNumColumnFamilies> kColumnFamilies = {{
    {"meta", true, Compression::kNone, false},
    {"snapshots", true, Compression::kFast, false},
    {"snapshot_keys", true, Compression::kFast, false},
    {"snapshot_by_source", false, Compression::kFast, false},
    {"items", false, Compression::kFast, false},
    {"stories", true, Compression::kFast, false},
    {"versions", true, Compression::kFast, false},
    {"texts", true, Compression::kStrong, false},
    // Varint id lists barely compress; skipping it saves CPU on every read.
    {"lsh", true, Compression::kNone, true},
    {"exact", true, Compression::kNone, true},
    {"title", true, Compression::kNone, true},
    {"url", true, Compression::kNone, true},
}};

std::optional<ColumnFamily> IndexColumnFamily(IndexKind kind) {
  switch (kind) {
    case IndexKind::kLshBand:
      return kLshIndex;
    case IndexKind::kExactHash:
      return kExactIndex;
    case IndexKind::kTitleHash:
      return kTitleIndex;
    case IndexKind::kUrl:
      return kUrlIndex;
  }
  return std::nullopt;
}

// Discards RocksDB's informational log. Its default LOG file lives in the
// store folder, and when that disk is full Debian's RocksDB (built with
// assertions) aborts on the failed LOG write instead of returning the
// write's NoSpace status. Every failure that matters reaches us as a Status.
class DiscardingLogger : public rocksdb::Logger {
 public:
  using rocksdb::Logger::Logv;
  void Logv(const char* /*format*/, va_list /*args*/) override {}
};

// Appends posting lists: both sides are runs of varints, so concatenation is
// the whole merge, and a commit never reads a list before extending it.
class PostingAppendOperator : public rocksdb::MergeOperator {
 public:
  // Lists keep their newest `max_ids` ids (MatchParams::max_postings_per_key).
  explicit PostingAppendOperator(size_t max_ids) : max_ids_(max_ids) {}

  bool FullMergeV2(const MergeOperationInput& in,
                   MergeOperationOutput* out) const override {
    size_t size = in.existing_value ? in.existing_value->size() : 0;
    for (const rocksdb::Slice& operand : in.operand_list)
      size += operand.size();
    // Iterators hand in the buffer of their previous merge: start afresh.
    out->new_value.clear();
    out->new_value.reserve(size);
    if (in.existing_value) {
      out->new_value.append(in.existing_value->data(),
                            in.existing_value->size());
    }
    for (const rocksdb::Slice& operand : in.operand_list) {
      out->new_value.append(operand.data(), operand.size());
    }
    KeepNewest(&out->new_value);
    return true;
  }

  bool PartialMerge(const rocksdb::Slice& /*key*/, const rocksdb::Slice& left,
                    const rocksdb::Slice& right, std::string* new_value,
                    rocksdb::Logger* /*logger*/) const override {
    new_value->assign(left.data(), left.size());
    new_value->append(right.data(), right.size());
    return true;
  }

  // Recorded in the store's OPTIONS file: never rename.
  const char* Name() const override { return "newsdedup.PostingAppend"; }

 private:
  // Cuts the oldest ids of a list longer than max_ids_. A varint ends at a
  // byte without its high bit, so such bytes count the ids.
  void KeepNewest(std::string* list) const {
    size_t ids = 0;
    for (char byte : *list) ids += (static_cast<unsigned char>(byte) & 0x80) == 0;
    if (ids <= max_ids_) return;
    size_t drop = ids - max_ids_;
    size_t cut = 0;
    while (drop > 0) drop -= (static_cast<unsigned char>((*list)[cut++]) & 0x80) == 0;
    list->erase(0, cut);
  }

  const size_t max_ids_;
};

// Big-endian so that keys sort in numeric order.
void AppendBigEndian(uint64_t value, int bytes, std::string* out) {
  for (int shift = 8 * (bytes - 1); shift >= 0; shift -= 8) {
    out->push_back(static_cast<char>((value >> shift) & 0xff));
  }
}

std::string IdKey(uint64_t id) {
  std::string key;
  AppendBigEndian(id, 8, &key);
  return key;
}

uint64_t ReadBigEndian(std::string_view bytes) {
  uint64_t value = 0;
  for (char byte : bytes) value = (value << 8) | static_cast<uint8_t>(byte);
  return value;
}

std::string ItemKey(uint64_t snapshot_id, uint32_t position) {
  std::string key = IdKey(snapshot_id);
  AppendBigEndian(position, 4, &key);
  return key;
}

// Sources and times hold no NUL (Commit refuses them), so these are unique.
// One capture (source and time) may hold several files: the content hash
// tells them apart, and re-ingesting one of them finds it.
std::string SnapshotKey(const std::string& source, const std::string& captured_at,
                        const std::string& content_hash) {
  const absl::string_view nul("\0", 1);
  return absl::StrCat(source, nul, captured_at, nul, content_hash);
}

// snapshot_by_source keys: source, kind, capture time, id; so that the
// snapshots of one source and kind sort by time, then ingest order.
std::string SourceKindPrefix(const std::string& source, SnapshotKind kind) {
  const absl::string_view nul("\0", 1);
  return absl::StrCat(source, nul, std::string(SnapshotKindName(kind)), nul);
}
std::string SourceKindTimePrefix(const std::string& source, SnapshotKind kind,
                                 const std::string& captured_at) {
  return absl::StrCat(SourceKindPrefix(source, kind), captured_at,
                      absl::string_view("\0", 1));
}

std::string Hex(uint64_t value) { return absl::StrCat("0x", absl::Hex(value)); }

rocksdb::CompressionType PickCompression(Compression wanted) {
  if (wanted == Compression::kNone) return rocksdb::kNoCompression;
  const std::vector<rocksdb::CompressionType> supported =
      rocksdb::GetSupportedCompressions();
  const auto has = [&](rocksdb::CompressionType type) {
    return std::find(supported.begin(), supported.end(), type) !=
           supported.end();
  };
  if (wanted == Compression::kStrong && has(rocksdb::kZSTD)) {
    return rocksdb::kZSTD;
  }
  if (has(rocksdb::kLZ4Compression)) return rocksdb::kLZ4Compression;
  return rocksdb::kNoCompression;
}

rocksdb::ColumnFamilyOptions ColumnFamilyOptions(
    const ColumnFamilySpec& spec, const std::shared_ptr<rocksdb::Cache>& cache,
    const std::shared_ptr<rocksdb::MergeOperator>& posting_append) {
  rocksdb::BlockBasedTableOptions table;
  table.block_cache = cache;
  if (spec.point_lookups) {
    table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(kBloomBitsPerKey));
    table.whole_key_filtering = true;
  }
  rocksdb::ColumnFamilyOptions options;
  options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  options.compression = PickCompression(spec.compression);
  if (spec.postings) options.merge_operator = posting_append;
  return options;
}

// "name=value" lines in order; a line without '=' is a name without value.
std::vector<std::pair<std::string, std::string>> ParseParams(
    const std::string& params) {
  std::vector<std::pair<std::string, std::string>> parsed;
  size_t start = 0;
  while (start < params.size()) {
    size_t end = params.find('\n', start);
    if (end == std::string::npos) end = params.size();
    const std::string line = params.substr(start, end - start);
    start = end + 1;
    if (line.empty()) continue;
    const size_t equals = line.find('=');
    if (equals == std::string::npos) {
      parsed.emplace_back(line, "");
    } else {
      parsed.emplace_back(line.substr(0, equals), line.substr(equals + 1));
    }
  }
  return parsed;
}

// One phrase per parameter that differs; empty when the params agree.
std::vector<std::string> DescribeParamsMismatch(const std::string& stored,
                                                const std::string& requested) {
  const std::map<std::string, std::string> wanted = [&] {
    const auto parsed = ParseParams(requested);
    return std::map<std::string, std::string>(parsed.begin(), parsed.end());
  }();
  std::map<std::string, std::string> had;
  std::vector<std::string> differences;
  for (const auto& [name, value] : ParseParams(stored)) {
    had[name] = value;
    const auto it = wanted.find(name);
    if (it == wanted.end()) {
      differences.push_back(absl::StrCat("store was created with ", name, "=",
                                         value, ", this build does not set ",
                                         name));
    } else if (it->second != value) {
      differences.push_back(absl::StrCat("store was created with ", name, "=",
                                         value, ", this build uses ", name, "=",
                                         it->second));
    }
  }
  for (const auto& [name, value] : wanted) {
    if (!had.contains(name)) {
      differences.push_back(absl::StrCat("store was created without ", name,
                                         ", this build uses ", name, "=",
                                         value));
    }
  }
  return differences;
}

absl::Status NotAStore(const std::string& dir) {
  return absl::InvalidArgumentError(
      absl::StrCat(dir, " is not a newsdedup store"));
}

// Whether `dir` holds a store (true) or may become one (false, creating the
// directory when needed).
absl::StatusOr<bool> InspectDirectory(const std::string& dir,
                                      const StoryStore::Options& options) {
  namespace fs = std::filesystem;
  const bool may_create = options.create_if_missing && !options.read_only;
  const absl::Status no_store =
      absl::NotFoundError(absl::StrCat(dir, " holds no newsdedup store"));
  std::error_code error;
  const fs::file_status status = fs::status(dir, error);
  if (!fs::exists(status)) {
    if (error && error != std::errc::no_such_file_or_directory) {
      return absl::InvalidArgumentError(
          absl::StrCat("cannot inspect ", dir, ": ", error.message()));
    }
    if (!may_create) return no_store;
    if (fs::create_directories(dir, error); error) {
      return absl::InvalidArgumentError(
          absl::StrCat("cannot create ", dir, ": ", error.message()));
    }
    return false;
  }
  if (!fs::is_directory(status)) return NotAStore(dir);
  if (fs::exists(fs::path(dir) / "CURRENT", error)) return true;
  const bool empty = fs::is_empty(dir, error);
  if (error) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot read ", dir, ": ", error.message()));
  }
  if (!empty) return NotAStore(dir);
  if (!may_create) return no_store;
  return false;
}

// A fresh private folder for a secondary instance, under the system's
// temporary folder: RocksDB wants one, and a store folder may be read-only.
absl::StatusOr<std::string> MakeFollowerDir() {
  std::error_code error;
  std::string pattern =
      (std::filesystem::temp_directory_path(error) / "newsdedup-follower-XXXXXX").string();
  if (error || mkdtemp(pattern.data()) == nullptr) {
    return absl::InternalError(absl::StrCat("cannot create a folder for a store follower in ",
                                            std::filesystem::temp_directory_path(error).string()));
  }
  return pattern;
}

// Collects Check() findings, listing the first kMaxProblemsListed.
class ProblemList {
 public:
  explicit ProblemList(std::vector<std::string>* problems)
      : problems_(problems) {}
  ~ProblemList() {
    if (omitted_ > 0) {
      problems_->push_back(
          absl::StrCat("... and ", omitted_, " more problems not listed"));
    }
  }

  template <typename... Parts>
  void Add(const Parts&... parts) {
    if (listed_ == kMaxProblemsListed) {
      ++omitted_;
      return;
    }
    ++listed_;
    problems_->push_back(absl::StrCat(parts...));
  }

 private:
  std::vector<std::string>* problems_;
  size_t listed_ = 0;
  size_t omitted_ = 0;
};

class RocksStoryStore final : public StoryStore {
 public:
  static absl::StatusOr<std::unique_ptr<StoryStore>> Open(
      const std::string& dir, const std::string& params,
      const Options& options);

  ~RocksStoryStore() override {
    // Flushing now writes the memtables once, sorted; left in the WAL they
    // would be replayed into a skiplist (and flushed) by the next open,
    // which is what a nightly job pays for first.
    if (db_ != nullptr && !read_only_) {
      rocksdb::FlushOptions flush;
      flush.allow_write_stall = true;
      // A failed flush loses nothing: the WAL still holds every write.
      db_->Flush(flush, std::vector<rocksdb::ColumnFamilyHandle*>(handles_.begin(), handles_.end()))
          .PermitUncheckedError();
    }
    for (rocksdb::ColumnFamilyHandle* handle : owned_handles_) {
      db_->DestroyColumnFamilyHandle(handle);
    }
    if (db_ != nullptr) db_->Close();
    db_.reset();  // Before the Env it may live in.
    if (!follower_dir_.empty()) {
      std::error_code ignored;
      std::filesystem::remove_all(follower_dir_, ignored);
    }
  }

  const std::string& params() const override { return params_; }

  absl::StatusOr<uint64_t> CatchUp() override;

  absl::StatusOr<StoreCounters> GetCounters() override {
    return ReadCounters();
  }

  absl::StatusOr<std::optional<SnapshotRecord>> FindSnapshot(
      const std::string& source, const std::string& captured_at,
      const std::string& content_hash) override;
  absl::StatusOr<SnapshotRecord> GetSnapshot(uint64_t id) override;
  absl::StatusOr<std::vector<SnapshotRecord>> ListSnapshots() override;
  absl::StatusOr<std::optional<std::string>> PreviousCaptureTime(
      const std::string& source, SnapshotKind kind,
      const std::string& captured_at) override;
  absl::StatusOr<std::vector<SnapshotRecord>> SnapshotsAt(
      const std::string& source, SnapshotKind kind,
      const std::string& captured_at) override;
  absl::StatusOr<std::vector<ItemRecord>> GetSnapshotItems(
      uint64_t id) override;
  absl::StatusOr<StoryRecord> GetStory(const std::string& id) override;
  absl::StatusOr<std::vector<StoryRecord>> ScanStories(
      const std::string& start_after, size_t limit) override;
  absl::StatusOr<std::vector<std::optional<StoryRecord>>> MultiGetStories(
      std::span<const std::string> ids) override;
  absl::StatusOr<std::vector<std::optional<VersionRecord>>> MultiGetVersions(
      std::span<const uint64_t> ids) override {
    return GetVersions(ids, /*with_texts=*/true);
  }
  absl::StatusOr<std::vector<std::optional<VersionRecord>>> MultiGetVersionHeads(
      std::span<const uint64_t> ids) override {
    return GetVersions(ids, /*with_texts=*/false);
  }
  using StoryStore::LookupPostings;
  absl::StatusOr<std::vector<std::vector<uint64_t>>> LookupPostings(
      IndexKind kind, std::span<const uint64_t> keys, size_t max_per_key) override;
  absl::Status Commit(const SnapshotCommit& commit) override;
  absl::StatusOr<StoreStats> Stats() override;
  absl::Status Check(std::vector<std::string>* problems) override;

 private:
  RocksStoryStore(
      std::unique_ptr<rocksdb::Env> env, std::unique_ptr<rocksdb::DB> db,
      std::vector<rocksdb::ColumnFamilyHandle*> owned_handles,
      std::array<rocksdb::ColumnFamilyHandle*, kNumColumnFamilies> handles,
      bool read_only, bool sync)
      : env_(std::move(env)),
        db_(std::move(db)),
        owned_handles_(std::move(owned_handles)),
        handles_(handles),
        read_only_(read_only),
        sync_(sync) {}

  // Reads or records the schema version and params; `created` says whether
  // Open just made the store.
  absl::Status SetUpMeta(const std::string& dir, const std::string& params,
                         bool created);
  absl::StatusOr<bool> AllColumnFamiliesEmpty();

  absl::StatusOr<std::optional<std::string>> Get(ColumnFamily cf,
                                                 const std::string& key);
  // Looks up `keys` in `cf` in one batch and calls found(i, value) for each
  // key present, stopping at the first error it returns. `sorted` says that
  // the keys are in ascending order, which spares RocksDB a comparator sort.
  template <typename Found>
  absl::Status MultiGet(ColumnFamily cf, const std::vector<std::string>& keys,
                        Found found, bool sorted = false);
  // Calls visit(key, value) for each entry of `cf` in [lower, upper) (empty:
  // unbounded), in key order, stopping at the first error it returns.
  template <typename Visit>
  absl::Status Scan(ColumnFamily cf, const std::string& lower,
                    const std::string& upper, Visit visit);
  // Scan's loop: `visit` returns an error, or false to stop early.
  template <typename Visit>
  absl::Status ScanUntil(ColumnFamily cf, const std::string& lower,
                         const std::string& upper, Visit visit);

  absl::StatusOr<StoreCounters> ReadCounters();
  absl::StatusOr<std::vector<std::optional<StoryRecord>>> GetStories(
      std::span<const std::string> ids);
  absl::StatusOr<std::vector<std::optional<VersionRecord>>> GetVersions(
      std::span<const uint64_t> ids, bool with_texts);
  absl::Status ValidateCommit(const SnapshotCommit& commit,
                              const StoreCounters& stored);

  // The Env of an in-memory store, or null; outlives db_.
  std::unique_ptr<rocksdb::Env> env_;
  std::unique_ptr<rocksdb::DB> db_;
  // Every handle Open returned, including column families we do not use.
  std::vector<rocksdb::ColumnFamilyHandle*> owned_handles_;
  std::array<rocksdb::ColumnFamilyHandle*, kNumColumnFamilies> handles_;
  std::string params_;
  const bool read_only_;
  const bool sync_;
  // The folder RocksDB requires of a secondary instance (its own files,
  // never the store's); empty unless the store follows a writer.
  std::string follower_dir_;
  // One commit at a time, and Check() sees no commit halfway.
  std::mutex write_mutex_;
};

absl::StatusOr<std::unique_ptr<StoryStore>> RocksStoryStore::Open(
    const std::string& dir, const std::string& params, const Options& requested) {
  Options options = requested;
  if (options.follow_writer) options.read_only = true;
  if (options.in_memory && options.read_only) {
    return absl::InvalidArgumentError(
        "an in-memory store cannot be opened read-only");
  }
  std::unique_ptr<rocksdb::Env> env;
  std::string path = dir;
  bool exists = false;
  if (options.in_memory) {
    env.reset(rocksdb::NewMemEnv(rocksdb::Env::Default()));
    path = kInMemoryPath;
  } else {
    absl::StatusOr<bool> inspected = InspectDirectory(dir, options);
    if (!inspected.ok()) return inspected.status();
    exists = *inspected;
  }

  rocksdb::DBOptions db_options;
  if (env != nullptr) db_options.env = env.get();
  db_options.create_if_missing = !exists;
  // Also completes a store whose creation was interrupted (see SetUpMeta).
  db_options.create_missing_column_families = !options.read_only;
  db_options.max_background_jobs = 2;
  // One budget for the memtables of all column families: a 100k-item night
  // writes millions of postings at once, and twelve families with their own
  // 64 MB buffers each (and a second one while flushing) would let them grow
  // past a gigabyte.
  db_options.db_write_buffer_size = 256 << 20;
  db_options.info_log = std::make_shared<DiscardingLogger>();
  db_options.keep_log_file_num = 5;
  // A read-only handle may run beside a writer that compacts: opening every
  // table file up front keeps the files it reads from vanishing under it.
  if (options.read_only) db_options.max_open_files = -1;

  const std::string context = absl::StrCat("cannot open store ", dir);
  std::vector<std::string> names;
  if (exists) {
    const rocksdb::Status listed =
        rocksdb::DB::ListColumnFamilies(db_options, path, &names);
    if (!listed.ok()) return FromRocksDb(listed, context);
    // Any other RocksDB database lacks our meta column family; never add
    // column families to it.
    if (std::find(names.begin(), names.end(), "meta") == names.end()) {
      return NotAStore(dir);
    }
  } else {
    names.push_back(rocksdb::kDefaultColumnFamilyName);
  }
  if (!options.read_only) {
    for (const ColumnFamilySpec& spec : kColumnFamilies) {
      if (std::find(names.begin(), names.end(), spec.name) == names.end()) {
        names.push_back(spec.name);
      }
    }
  }

  const std::shared_ptr<rocksdb::Cache> cache =
      rocksdb::NewLRUCache(kBlockCacheBytes);
  const auto posting_append = std::make_shared<PostingAppendOperator>(
      static_cast<size_t>(std::max(options.max_postings_per_key, 1)));
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const std::string& name : names) {
    const auto spec =
        std::find_if(kColumnFamilies.begin(), kColumnFamilies.end(),
                     [&](const ColumnFamilySpec& s) { return name == s.name; });
    descriptors.emplace_back(
        name, spec == kColumnFamilies.end()
                  ? rocksdb::ColumnFamilyOptions()
                  : ColumnFamilyOptions(*spec, cache, posting_append));
  }

  rocksdb::DB* raw_db = nullptr;
  std::vector<rocksdb::ColumnFamilyHandle*> owned_handles;
  std::string follower_dir;
  rocksdb::Status opened;
  if (options.follow_writer) {
    absl::StatusOr<std::string> made = MakeFollowerDir();
    if (!made.ok()) return made.status();
    follower_dir = *made;
    opened = rocksdb::DB::OpenAsSecondary(db_options, path, follower_dir,
                                          descriptors, &owned_handles, &raw_db);
  } else if (options.read_only) {
    opened = rocksdb::DB::OpenForReadOnly(db_options, path, descriptors,
                                          &owned_handles, &raw_db);
  } else {
    opened = rocksdb::DB::Open(db_options, path, descriptors, &owned_handles,
                               &raw_db);
  }
  if (!opened.ok()) {
    if (!follower_dir.empty()) std::filesystem::remove_all(follower_dir);
    return FromRocksDb(opened, context);
  }
  std::unique_ptr<rocksdb::DB> db(raw_db);

  std::array<rocksdb::ColumnFamilyHandle*, kNumColumnFamilies> handles{};
  for (int cf = 0; cf < kNumColumnFamilies; ++cf) {
    for (size_t i = 0; i < names.size(); ++i) {
      if (names[i] == kColumnFamilies[cf].name) handles[cf] = owned_handles[i];
    }
  }
  std::unique_ptr<RocksStoryStore> store(new RocksStoryStore(
      std::move(env), std::move(db), std::move(owned_handles), handles,
      options.read_only, /*sync=*/!options.in_memory));
  store->follower_dir_ = std::move(follower_dir);
  // Only a read-only open of a half-made store lacks column families.
  if (std::find(handles.begin(), handles.end(), nullptr) != handles.end()) {
    return NotAStore(dir);
  }
  if (absl::Status status = store->SetUpMeta(dir, params, !exists);
      !status.ok()) {
    return status;
  }
  return store;
}

absl::Status RocksStoryStore::SetUpMeta(const std::string& dir,
                                        const std::string& params,
                                        bool created) {
  absl::StatusOr<std::optional<std::string>> schema =
      Get(kMeta, kSchemaVersionKey);
  if (!schema.ok()) return schema.status();
  if (!schema->has_value()) {
    // Open creates the column families before this batch records the
    // schema; a store killed in between is empty and may be finished.
    if (!created) {
      if (read_only_) return NotAStore(dir);
      absl::StatusOr<bool> empty = AllColumnFamiliesEmpty();
      if (!empty.ok()) return empty.status();
      if (!*empty) return NotAStore(dir);
    }
    rocksdb::WriteBatch batch;
    batch.Put(handles_[kMeta], kSchemaVersionKey,
              std::to_string(kStoreSchemaVersion));
    batch.Put(handles_[kMeta], kParamsKey, params);
    batch.Put(handles_[kMeta], kCountersKey, EncodeCounters(StoreCounters()));
    rocksdb::WriteOptions write_options;
    write_options.sync = sync_;
    if (absl::Status status = FromRocksDb(db_->Write(write_options, &batch),
                                          absl::StrCat("cannot create ", dir));
        !status.ok()) {
      return status;
    }
    params_ = params;
    return absl::OkStatus();
  }
  if (**schema != std::to_string(kStoreSchemaVersion)) {
    return absl::FailedPreconditionError(absl::StrCat(
        dir, ": store has schema version ", **schema,
        ", this build reads schema version ", kStoreSchemaVersion));
  }
  absl::StatusOr<std::optional<std::string>> stored = Get(kMeta, kParamsKey);
  if (!stored.ok()) return stored.status();
  if (!stored->has_value()) {
    return absl::DataLossError(absl::StrCat(dir, ": store has no params"));
  }
  params_ = **stored;
  if (!params.empty()) {
    const std::vector<std::string> differences =
        DescribeParamsMismatch(params_, params);
    if (!differences.empty()) {
      return absl::FailedPreconditionError(
          absl::StrCat(dir, ": ", absl::StrJoin(differences, "; ")));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<bool> RocksStoryStore::AllColumnFamiliesEmpty() {
  for (rocksdb::ColumnFamilyHandle* handle : handles_) {
    std::unique_ptr<rocksdb::Iterator> it(
        db_->NewIterator(rocksdb::ReadOptions(), handle));
    it->SeekToFirst();
    if (it->Valid()) return false;
    if (!it->status().ok())
      return FromRocksDb(it->status(), "cannot read store");
  }
  return true;
}

absl::StatusOr<std::optional<std::string>> RocksStoryStore::Get(
    ColumnFamily cf, const std::string& key) {
  std::string value;
  const rocksdb::Status status =
      db_->Get(rocksdb::ReadOptions(), handles_[cf], key, &value);
  if (status.IsNotFound()) return std::nullopt;
  if (!status.ok()) {
    return FromRocksDb(status,
                       absl::StrCat("cannot read ", kColumnFamilies[cf].name));
  }
  return value;
}

template <typename Found>
absl::Status RocksStoryStore::MultiGet(ColumnFamily cf,
                                       const std::vector<std::string>& keys,
                                       Found found, bool sorted) {
  // RocksDB keeps a few hundred bytes of context per key of one call: a
  // night's two million LSH keys in one call took a gigabyte.
  constexpr size_t kBatch = 8192;
  const std::vector<rocksdb::Slice> slices(keys.begin(), keys.end());
  std::vector<rocksdb::PinnableSlice> values(std::min(kBatch, keys.size()));
  std::vector<rocksdb::Status> statuses(values.size());
  for (size_t first = 0; first < keys.size(); first += kBatch) {
    const size_t count = std::min(kBatch, keys.size() - first);
    for (size_t i = 0; i < count; ++i) values[i].Reset();
    db_->MultiGet(rocksdb::ReadOptions(), handles_[cf], count, slices.data() + first,
                  values.data(), statuses.data(), sorted);
    for (size_t i = 0; i < count; ++i) {
      if (statuses[i].IsNotFound()) continue;
      if (!statuses[i].ok()) {
        return FromRocksDb(statuses[i], absl::StrCat("cannot read ", kColumnFamilies[cf].name));
      }
      if (absl::Status status = found(first + i, values[i].ToStringView()); !status.ok()) {
        return status;
      }
    }
  }
  return absl::OkStatus();
}

template <typename Visit>
absl::Status RocksStoryStore::Scan(ColumnFamily cf, const std::string& lower,
                                   const std::string& upper, Visit visit) {
  return ScanUntil(cf, lower, upper, [&](std::string_view key, std::string_view value)
                                         -> absl::StatusOr<bool> {
    if (absl::Status status = visit(key, value); !status.ok()) return status;
    return true;
  });
}

template <typename Visit>
absl::Status RocksStoryStore::ScanUntil(ColumnFamily cf, const std::string& lower,
                                        const std::string& upper, Visit visit) {
  rocksdb::ReadOptions read_options;
  const rocksdb::Slice lower_bound(lower), upper_bound(upper);
  if (!lower.empty()) read_options.iterate_lower_bound = &lower_bound;
  if (!upper.empty()) read_options.iterate_upper_bound = &upper_bound;
  std::unique_ptr<rocksdb::Iterator> it(
      db_->NewIterator(read_options, handles_[cf]));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    absl::StatusOr<bool> go_on = visit(it->key().ToStringView(), it->value().ToStringView());
    if (!go_on.ok()) return go_on.status();
    if (!*go_on) return absl::OkStatus();
  }
  return FromRocksDb(it->status(),
                     absl::StrCat("cannot read ", kColumnFamilies[cf].name));
}

absl::StatusOr<uint64_t> RocksStoryStore::CatchUp() {
  if (!follower_dir_.empty()) {
    if (absl::Status status =
            FromRocksDb(db_->TryCatchUpWithPrimary(), "cannot catch up with the store's writer");
        !status.ok()) {
      return status;
    }
  }
  return db_->GetLatestSequenceNumber();
}

absl::StatusOr<StoreCounters> RocksStoryStore::ReadCounters() {
  absl::StatusOr<std::optional<std::string>> value = Get(kMeta, kCountersKey);
  if (!value.ok()) return value.status();
  if (!value->has_value()) return absl::DataLossError("store has no counters");
  return DecodeCounters(**value);
}

absl::StatusOr<std::optional<SnapshotRecord>> RocksStoryStore::FindSnapshot(
    const std::string& source, const std::string& captured_at,
    const std::string& content_hash) {
  absl::StatusOr<std::optional<std::string>> id =
      Get(kSnapshotKeys, SnapshotKey(source, captured_at, content_hash));
  if (!id.ok()) return id.status();
  if (!id->has_value()) return std::nullopt;
  absl::StatusOr<SnapshotRecord> snapshot = GetSnapshot(ReadBigEndian(**id));
  if (!snapshot.ok()) return snapshot.status();
  return *std::move(snapshot);
}

absl::StatusOr<SnapshotRecord> RocksStoryStore::GetSnapshot(uint64_t id) {
  absl::StatusOr<std::optional<std::string>> value = Get(kSnapshots, IdKey(id));
  if (!value.ok()) return value.status();
  if (!value->has_value()) {
    return absl::NotFoundError(absl::StrCat("no snapshot ", id));
  }
  return DecodeSnapshot(**value);
}

absl::StatusOr<std::vector<SnapshotRecord>> RocksStoryStore::ListSnapshots() {
  std::vector<SnapshotRecord> snapshots;
  absl::Status status =
      Scan(kSnapshots, "", "", [&](std::string_view, std::string_view value) {
        absl::StatusOr<SnapshotRecord> snapshot = DecodeSnapshot(value);
        if (!snapshot.ok()) return snapshot.status();
        snapshots.push_back(*std::move(snapshot));
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return snapshots;
}

absl::StatusOr<std::optional<std::string>> RocksStoryStore::PreviousCaptureTime(
    const std::string& source, SnapshotKind kind, const std::string& captured_at) {
  const std::string prefix = SourceKindPrefix(source, kind);
  const std::string upper = prefix + captured_at;
  rocksdb::ReadOptions read_options;
  const rocksdb::Slice lower_bound(prefix), upper_bound(upper);
  read_options.iterate_lower_bound = &lower_bound;
  read_options.iterate_upper_bound = &upper_bound;
  std::unique_ptr<rocksdb::Iterator> it(
      db_->NewIterator(read_options, handles_[kSnapshotsBySource]));
  // The last key below upper_bound: the latest time before captured_at.
  it->SeekToLast();
  if (!it->Valid()) {
    if (!it->status().ok()) {
      return FromRocksDb(it->status(), "cannot read snapshot_by_source");
    }
    return std::nullopt;
  }
  const std::string_view rest = it->key().ToStringView().substr(prefix.size());
  return std::string(rest.substr(0, rest.find('\0')));
}

absl::StatusOr<std::vector<SnapshotRecord>> RocksStoryStore::SnapshotsAt(
    const std::string& source, SnapshotKind kind, const std::string& captured_at) {
  const std::string prefix = SourceKindTimePrefix(source, kind, captured_at);
  std::string upper = prefix;
  upper.back() = '\1';  // Just past every key of the prefix.
  std::vector<uint64_t> ids;
  absl::Status status = Scan(kSnapshotsBySource, prefix, upper,
                             [&](std::string_view key, std::string_view) {
                               ids.push_back(ReadBigEndian(key.substr(prefix.size())));
                               return absl::OkStatus();
                             });
  if (!status.ok()) return status;
  std::vector<SnapshotRecord> snapshots;
  for (uint64_t id : ids) {
    absl::StatusOr<SnapshotRecord> snapshot = GetSnapshot(id);
    if (!snapshot.ok()) return snapshot.status();
    snapshots.push_back(*std::move(snapshot));
  }
  return snapshots;
}

absl::StatusOr<std::vector<ItemRecord>> RocksStoryStore::GetSnapshotItems(
    uint64_t id) {
  std::vector<ItemRecord> items;
  absl::Status status = Scan(kItems, IdKey(id), IdKey(id + 1),
                             [&](std::string_view, std::string_view value) {
                               absl::StatusOr<ItemRecord> item =
                                   DecodeItem(value);
                               if (!item.ok()) return item.status();
                               items.push_back(*std::move(item));
                               return absl::OkStatus();
                             });
  if (!status.ok()) return status;
  return items;
}

absl::StatusOr<StoryRecord> RocksStoryStore::GetStory(const std::string& id) {
  absl::StatusOr<std::optional<std::string>> value = Get(kStories, id);
  if (!value.ok()) return value.status();
  if (!value->has_value()) {
    return absl::NotFoundError(absl::StrCat("no story ", id));
  }
  return DecodeStory(**value);
}

absl::StatusOr<std::vector<StoryRecord>> RocksStoryStore::ScanStories(
    const std::string& start_after, size_t limit) {
  std::vector<StoryRecord> stories;
  if (limit == 0) return stories;
  // The smallest key after start_after is start_after followed by a NUL.
  const std::string lower =
      start_after.empty() ? "" : start_after + std::string(1, '\0');
  absl::Status status =
      ScanUntil(kStories, lower, "",
                [&](std::string_view, std::string_view value) -> absl::StatusOr<bool> {
                  absl::StatusOr<StoryRecord> story = DecodeStory(value);
                  if (!story.ok()) return story.status();
                  stories.push_back(*std::move(story));
                  return stories.size() < limit;
                });
  if (!status.ok()) return status;
  return stories;
}

absl::StatusOr<std::vector<std::optional<StoryRecord>>>
RocksStoryStore::MultiGetStories(std::span<const std::string> ids) {
  return GetStories(ids);
}

absl::StatusOr<std::vector<std::optional<StoryRecord>>>
RocksStoryStore::GetStories(std::span<const std::string> ids) {
  std::vector<std::optional<StoryRecord>> stories(ids.size());
  const std::vector<std::string> keys(ids.begin(), ids.end());
  absl::Status status =
      MultiGet(kStories, keys, [&](size_t i, std::string_view value) {
        absl::StatusOr<StoryRecord> story = DecodeStory(value);
        if (!story.ok()) return story.status();
        stories[i] = *std::move(story);
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  return stories;
}

absl::StatusOr<std::vector<std::optional<VersionRecord>>>
RocksStoryStore::GetVersions(std::span<const uint64_t> ids, bool with_texts) {
  std::vector<std::optional<VersionRecord>> versions(ids.size());
  std::vector<std::string> keys;
  keys.reserve(ids.size());
  for (uint64_t id : ids) keys.push_back(IdKey(id));
  absl::Status status =
      MultiGet(kVersions, keys, [&](size_t i, std::string_view value) {
        absl::StatusOr<VersionRecord> version = DecodeVersion(value);
        if (!version.ok()) return version.status();
        versions[i] = *std::move(version);
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  if (!with_texts) return versions;
  std::vector<char> has_texts(ids.size(), false);
  status = MultiGet(kTexts, keys, [&](size_t i, std::string_view value) {
    if (!versions[i].has_value()) return absl::OkStatus();
    has_texts[i] = true;
    return DecodeVersionTexts(value, &*versions[i]);
  });
  if (!status.ok()) return status;
  for (size_t i = 0; i < ids.size(); ++i) {
    if (versions[i].has_value() && !has_texts[i]) {
      return absl::DataLossError(
          absl::StrCat("version ", ids[i], " has no texts"));
    }
  }
  return versions;
}

absl::StatusOr<std::vector<std::vector<uint64_t>>>
RocksStoryStore::LookupPostings(IndexKind kind, std::span<const uint64_t> keys,
                                size_t max_per_key) {
  const std::optional<ColumnFamily> cf = IndexColumnFamily(kind);
  if (!cf.has_value()) {
    return absl::InvalidArgumentError(
        absl::StrCat("unknown index kind ", static_cast<int>(kind)));
  }
  // Big-endian keys sort as their integers: sorting and deduplicating the
  // integers here is several times cheaper than RocksDB's sort of Slices.
  std::vector<uint64_t> unique(keys.begin(), keys.end());
  std::sort(unique.begin(), unique.end());
  unique.erase(std::unique(unique.begin(), unique.end()), unique.end());
  std::vector<std::string> encoded_keys;
  encoded_keys.reserve(unique.size());
  for (uint64_t key : unique) encoded_keys.push_back(IdKey(key));
  std::vector<std::vector<uint64_t>> found(unique.size());
  absl::Status status = MultiGet(
      *cf, encoded_keys,
      [&](size_t i, std::string_view value) {
        absl::StatusOr<std::vector<uint64_t>> ids = DecodePostings(value);
        if (!ids.ok()) return ids.status();
        if (ids->size() > max_per_key) ids->erase(ids->begin(), ids->end() - max_per_key);
        found[i] = *std::move(ids);
        return absl::OkStatus();
      },
      /*sorted=*/true);
  if (!status.ok()) return status;
  std::vector<std::vector<uint64_t>> postings(keys.size());
  for (size_t i = 0; i < keys.size(); ++i) {
    const size_t at = std::lower_bound(unique.begin(), unique.end(), keys[i]) - unique.begin();
    if (!found[at].empty()) postings[i] = found[at];
  }
  return postings;
}

absl::Status RocksStoryStore::ValidateCommit(const SnapshotCommit& commit,
                                             const StoreCounters& stored) {
  const SnapshotRecord& snapshot = commit.snapshot;
  const StoreCounters& next = commit.counters;
  if (snapshot.id != stored.last_snapshot_id + 1) {
    return absl::InvalidArgumentError(absl::StrCat(
        "cannot commit snapshot ", snapshot.id,
        ": the store's next snapshot is ", stored.last_snapshot_id + 1,
        " (a stale or concurrent commit?)"));
  }
  if (next.last_snapshot_id != snapshot.id ||
      next.last_story_number < stored.last_story_number ||
      next.last_version_id < stored.last_version_id) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot commit snapshot ", snapshot.id,
                     ": its counters must name it and may only grow"));
  }
  if (snapshot.source.find('\0') != std::string::npos ||
      snapshot.captured_at.find('\0') != std::string::npos) {
    return absl::InvalidArgumentError(
        "a snapshot's source and time may not contain NUL");
  }
  if (commit.items.size() != snapshot.item_count) {
    return absl::InvalidArgumentError(absl::StrCat(
        "snapshot ", snapshot.id, " says it has ", snapshot.item_count,
        " items but the commit carries ", commit.items.size()));
  }
  std::vector<char> seen(commit.items.size(), false);
  for (const ItemRecord& item : commit.items) {
    if (item.position >= seen.size() || seen[item.position]) {
      return absl::InvalidArgumentError(
          absl::StrCat("snapshot ", snapshot.id,
                       ": item positions must be 0..item_count-1, each once"));
    }
    seen[item.position] = true;
  }
  for (const VersionRecord& version : commit.versions) {
    if (version.id == 0 || version.id > next.last_version_id) {
      return absl::InvalidArgumentError(
          absl::StrCat("version id ", version.id, " is beyond the counters"));
    }
  }
  for (const Posting& posting : commit.postings) {
    if (!IndexColumnFamily(posting.kind).has_value()) {
      return absl::InvalidArgumentError(
          absl::StrCat("unknown index kind ", static_cast<int>(posting.kind)));
    }
  }
  absl::StatusOr<std::optional<std::string>> existing =
      Get(kSnapshotKeys,
          SnapshotKey(snapshot.source, snapshot.captured_at, snapshot.content_hash));
  if (!existing.ok()) return existing.status();
  if (existing->has_value()) {
    return absl::AlreadyExistsError(absl::StrCat(
        "this dump of ", snapshot.source, " at ", snapshot.captured_at,
        " is already stored as snapshot ", ReadBigEndian(**existing)));
  }
  return absl::OkStatus();
}

absl::Status RocksStoryStore::Commit(const SnapshotCommit& commit) {
  if (read_only_) {
    return absl::FailedPreconditionError("store was opened read-only");
  }
  std::lock_guard<std::mutex> lock(write_mutex_);
  absl::StatusOr<StoreCounters> stored = ReadCounters();
  if (!stored.ok()) return stored.status();
  if (absl::Status status = ValidateCommit(commit, *stored); !status.ok()) {
    return status;
  }

  const SnapshotRecord& snapshot = commit.snapshot;
  const std::string snapshot_id = IdKey(snapshot.id);
  rocksdb::WriteBatch batch;
  batch.Put(handles_[kSnapshots], snapshot_id, EncodeSnapshot(snapshot));
  batch.Put(handles_[kSnapshotKeys],
            SnapshotKey(snapshot.source, snapshot.captured_at, snapshot.content_hash),
            snapshot_id);
  batch.Put(handles_[kSnapshotsBySource],
            SourceKindTimePrefix(snapshot.source, snapshot.kind, snapshot.captured_at) +
                snapshot_id,
            "");
  for (const ItemRecord& item : commit.items) {
    batch.Put(handles_[kItems], ItemKey(snapshot.id, item.position),
              EncodeItem(item));
  }
  for (const StoryRecord& story : commit.stories) {
    batch.Put(handles_[kStories], story.id, EncodeStory(story));
  }
  for (const VersionRecord& version : commit.versions) {
    const std::string key = IdKey(version.id);
    batch.Put(handles_[kVersions], key, EncodeVersion(version));
    // A version is one text: only new versions bring texts to write, and
    // updating an old one's last-seen time leaves its texts alone.
    if (version.id > stored->last_version_id) {
      batch.Put(handles_[kTexts], key, EncodeVersionTexts(version));
    }
  }
  // One merge per index key, however many versions the snapshot adds to it,
  // in key order: the memtable's skiplist then inserts each key next to the
  // previous one instead of searching from the top, which took most of the
  // time of a commit.
  std::vector<const Posting*> postings;
  postings.reserve(commit.postings.size());
  for (const Posting& posting : commit.postings) postings.push_back(&posting);
  std::stable_sort(
      postings.begin(), postings.end(), [](const Posting* a, const Posting* b) {
        return std::pair(a->kind, a->key) < std::pair(b->kind, b->key);
      });
  std::vector<uint64_t> ids;
  std::string encoded_ids;
  for (size_t begin = 0, end = 0; begin < postings.size(); begin = end) {
    ids.clear();
    for (end = begin; end < postings.size() &&
                      postings[end]->kind == postings[begin]->kind &&
                      postings[end]->key == postings[begin]->key;
         ++end) {
      ids.push_back(postings[end]->version_id);
    }
    encoded_ids.clear();
    AppendPostings(ids, &encoded_ids);
    batch.Merge(handles_[*IndexColumnFamily(postings[begin]->kind)],
                IdKey(postings[begin]->key), encoded_ids);
  }
  batch.Put(handles_[kMeta], kCountersKey, EncodeCounters(commit.counters));

  rocksdb::WriteOptions write_options;
  // A finished ingest must survive a power cut, not only a crash.
  write_options.sync = sync_;
  return FromRocksDb(db_->Write(write_options, &batch),
                     absl::StrCat("cannot commit snapshot ", snapshot.id));
}

absl::StatusOr<StoreStats> RocksStoryStore::Stats() {
  absl::StatusOr<StoreCounters> counters = ReadCounters();
  if (!counters.ok()) return counters.status();
  StoreStats stats;
  stats.snapshots = counters->last_snapshot_id;
  stats.stories = counters->last_story_number;
  stats.versions = counters->last_version_id;
  absl::Status status =
      Scan(kSnapshots, "", "", [&](std::string_view, std::string_view value) {
        absl::StatusOr<SnapshotRecord> snapshot = DecodeSnapshot(value);
        if (!snapshot.ok()) return snapshot.status();
        stats.items += snapshot->item_count;
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  for (const auto& [name, cf] :
       {std::pair{"lsh", kLshIndex}, std::pair{"exact", kExactIndex},
        std::pair{"title", kTitleIndex}, std::pair{"url", kUrlIndex}}) {
    uint64_t keys = 0;
    db_->GetIntProperty(handles_[cf], "rocksdb.estimate-num-keys", &keys);
    stats.index_keys.emplace_back(name, keys);
  }
  uint64_t sst_bytes = 0;
  db_->GetAggregatedIntProperty("rocksdb.live-sst-files-size", &sst_bytes);
  stats.bytes_on_disk = sst_bytes;
  rocksdb::VectorLogPtr wal_files;
  // A read-only handle cannot list the WAL; its size is then left out.
  if (db_->GetSortedWalFiles(wal_files).ok()) {
    for (const auto& wal : wal_files)
      stats.bytes_on_disk += wal->SizeFileBytes();
  }
  return stats;
}

absl::Status RocksStoryStore::Check(std::vector<std::string>* problems) {
  std::lock_guard<std::mutex> lock(write_mutex_);
  ProblemList found(problems);
  if (const rocksdb::Status checksums = db_->VerifyChecksum();
      !checksums.ok()) {
    found.Add("checksum verification failed: ", checksums.ToString());
  }
  absl::StatusOr<StoreCounters> counters = ReadCounters();
  if (!counters.ok()) {
    found.Add(counters.status().message());
    return absl::OkStatus();
  }

  // Snapshots: every id up to the counter, each findable by its keys.
  const uint64_t last_snapshot = counters->last_snapshot_id;
  std::vector<std::optional<uint32_t>> item_counts(last_snapshot + 1);
  absl::Status status = Scan(
      kSnapshots, "", "", [&](std::string_view key, std::string_view value) {
        const uint64_t id = ReadBigEndian(key);
        absl::StatusOr<SnapshotRecord> snapshot = DecodeSnapshot(value);
        if (!snapshot.ok()) {
          found.Add("snapshot ", id, ": ", snapshot.status().message());
          return absl::OkStatus();
        }
        if (snapshot->id != id || id == 0 || id > last_snapshot) {
          found.Add("snapshot record ", snapshot->id, " stored under id ", id,
                    " (last snapshot id is ", last_snapshot, ")");
          return absl::OkStatus();
        }
        item_counts[id] = snapshot->item_count;
        absl::StatusOr<std::optional<std::string>> by_key =
            Get(kSnapshotKeys, SnapshotKey(snapshot->source, snapshot->captured_at,
                                           snapshot->content_hash));
        if (!by_key.ok()) return by_key.status();
        if (!by_key->has_value() || ReadBigEndian(**by_key) != id) {
          found.Add("snapshot ", id, " cannot be found by its source and time");
        }
        absl::StatusOr<std::optional<std::string>> by_source =
            Get(kSnapshotsBySource,
                SourceKindTimePrefix(snapshot->source, snapshot->kind,
                                     snapshot->captured_at) +
                    IdKey(id));
        if (!by_source.ok()) return by_source.status();
        if (!by_source->has_value()) {
          found.Add("snapshot ", id, " is missing from its source's list");
        }
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  for (uint64_t id = 1; id <= last_snapshot; ++id) {
    if (!item_counts[id].has_value()) found.Add("snapshot ", id, " is missing");
  }

  // Versions: each belongs to a story that lists it, and has texts.
  const uint64_t last_version = counters->last_version_id;
  std::vector<char> version_exists(last_version + 1, false);
  std::vector<std::pair<uint64_t, std::string>> version_owners;
  const auto check_version_owners = [&]() -> absl::Status {
    std::vector<std::string> story_ids;
    for (const auto& [version, story] : version_owners) {
      story_ids.push_back(story);
    }
    absl::StatusOr<std::vector<std::optional<StoryRecord>>> stories =
        GetStories(story_ids);
    if (!stories.ok()) return stories.status();
    for (size_t i = 0; i < version_owners.size(); ++i) {
      const auto& [version, story] = version_owners[i];
      const std::optional<StoryRecord>& record = (*stories)[i];
      if (!record.has_value()) {
        found.Add("version ", version, " belongs to missing story ", story);
      } else if (std::find(record->versions.begin(), record->versions.end(),
                           version) == record->versions.end()) {
        found.Add("version ", version, " is not listed by its story ", story);
      }
    }
    version_owners.clear();
    return absl::OkStatus();
  };
  status = Scan(
      kVersions, "", "", [&](std::string_view key, std::string_view value) {
        const uint64_t id = ReadBigEndian(key);
        absl::StatusOr<VersionRecord> version = DecodeVersion(value);
        if (!version.ok()) {
          found.Add("version ", id, ": ", version.status().message());
          return absl::OkStatus();
        }
        if (version->id != id || id == 0 || id > last_version) {
          found.Add("version record ", version->id, " stored under id ", id,
                    " (last version id is ", last_version, ")");
          return absl::OkStatus();
        }
        version_exists[id] = true;
        version_owners.emplace_back(id, version->story_id);
        if (version_owners.size() == kCheckBatch) {
          return check_version_owners();
        }
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  if (status = check_version_owners(); !status.ok()) return status;
  std::vector<char> has_texts(last_version + 1, false);
  status =
      Scan(kTexts, "", "", [&](std::string_view key, std::string_view value) {
        const uint64_t id = ReadBigEndian(key);
        VersionRecord texts;
        if (absl::Status decoded = DecodeVersionTexts(value, &texts);
            !decoded.ok()) {
          found.Add("texts of version ", id, ": ", decoded.message());
        }
        if (id > last_version || !version_exists[id]) {
          found.Add("texts of missing version ", id);
        } else {
          has_texts[id] = true;
        }
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  for (uint64_t id = 1; id <= last_version; ++id) {
    if (version_exists[id] && !has_texts[id]) {
      found.Add("version ", id, " has no texts");
    }
  }

  // Stories: their versions exist and point back.
  std::vector<std::pair<uint64_t, std::string>> listed_versions;
  const auto check_listed_versions = [&]() -> absl::Status {
    std::vector<uint64_t> ids;
    for (const auto& [version, story] : listed_versions) ids.push_back(version);
    absl::StatusOr<std::vector<std::optional<VersionRecord>>> versions =
        GetVersions(ids, /*with_texts=*/false);
    if (!versions.ok()) return versions.status();
    for (size_t i = 0; i < ids.size(); ++i) {
      const auto& [version, story] = listed_versions[i];
      if ((*versions)[i].has_value() && (*versions)[i]->story_id != story) {
        found.Add("story ", story, " lists version ", version, " of story ",
                  (*versions)[i]->story_id);
      }
    }
    listed_versions.clear();
    return absl::OkStatus();
  };
  status = Scan(
      kStories, "", "", [&](std::string_view key_view, std::string_view value) {
        const std::string key(key_view);
        absl::StatusOr<StoryRecord> story = DecodeStory(value);
        if (!story.ok()) {
          found.Add("story ", key, ": ", story.status().message());
          return absl::OkStatus();
        }
        if (story->id != key) {
          found.Add("story record ", story->id, " stored under id ", key);
        }
        for (uint64_t version : story->versions) {
          if (version > last_version || !version_exists[version]) {
            found.Add("story ", story->id, " lists missing version ", version);
          } else {
            listed_versions.emplace_back(version, story->id);
          }
        }
        if (story->canonical_version != 0 &&
            std::find(story->versions.begin(), story->versions.end(),
                      story->canonical_version) == story->versions.end()) {
          found.Add("story ", story->id, " has canonical version ",
                    story->canonical_version, " outside its versions");
        }
        if (listed_versions.size() >= kCheckBatch) {
          return check_listed_versions();
        }
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  if (status = check_listed_versions(); !status.ok()) return status;

  // Items: every snapshot has all of them, each pointing to an existing
  // story and a version of that story.
  std::vector<uint32_t> items_found(last_snapshot + 1, 0);
  std::vector<std::pair<std::string, ItemRecord>> pending_items;
  const auto check_pending_items = [&]() -> absl::Status {
    std::vector<std::string> story_ids;
    std::vector<uint64_t> version_ids;
    for (const auto& [where, item] : pending_items) {
      story_ids.push_back(item.story_id);
      version_ids.push_back(item.version_id);
    }
    absl::StatusOr<std::vector<std::optional<StoryRecord>>> stories =
        GetStories(story_ids);
    if (!stories.ok()) return stories.status();
    absl::StatusOr<std::vector<std::optional<VersionRecord>>> versions =
        GetVersions(version_ids, /*with_texts=*/false);
    if (!versions.ok()) return versions.status();
    for (size_t i = 0; i < pending_items.size(); ++i) {
      const auto& [where, item] = pending_items[i];
      if (!(*stories)[i].has_value()) {
        found.Add(where, " points to missing story ", item.story_id);
      }
      if (!(*versions)[i].has_value()) {
        found.Add(where, " points to missing version ", item.version_id);
      } else if ((*versions)[i]->story_id != item.story_id) {
        found.Add(where, " has version ", item.version_id, " of story ",
                  (*versions)[i]->story_id, ", not of its story ",
                  item.story_id);
      }
    }
    pending_items.clear();
    return absl::OkStatus();
  };
  status =
      Scan(kItems, "", "", [&](std::string_view key, std::string_view value) {
        if (key.size() != 12) {
          found.Add("item key of ", key.size(), " bytes");
          return absl::OkStatus();
        }
        const uint64_t snapshot = ReadBigEndian(key.substr(0, 8));
        const uint64_t position = ReadBigEndian(key.substr(8));
        std::string where =
            absl::StrCat("item ", position, " of snapshot ", snapshot);
        absl::StatusOr<ItemRecord> item = DecodeItem(value);
        if (!item.ok()) {
          found.Add(where, ": ", item.status().message());
          return absl::OkStatus();
        }
        if (item->position != position) {
          found.Add(where, " says it is at position ", item->position);
        }
        if (snapshot == 0 || snapshot > last_snapshot ||
            !item_counts[snapshot].has_value()) {
          found.Add(where, " belongs to a missing snapshot");
        } else {
          ++items_found[snapshot];
        }
        pending_items.emplace_back(std::move(where), *std::move(item));
        if (pending_items.size() == kCheckBatch) return check_pending_items();
        return absl::OkStatus();
      });
  if (!status.ok()) return status;
  if (status = check_pending_items(); !status.ok()) return status;
  for (uint64_t id = 1; id <= last_snapshot; ++id) {
    if (item_counts[id].has_value() && *item_counts[id] != items_found[id]) {
      found.Add("snapshot ", id, " has ", items_found[id],
                " items, its record says ", *item_counts[id]);
    }
  }

  // Postings: every version id they list exists.
  for (const ColumnFamily cf :
       {kLshIndex, kExactIndex, kTitleIndex, kUrlIndex}) {
    status =
        Scan(cf, "", "", [&](std::string_view key, std::string_view value) {
          const std::string where = absl::StrCat(
              kColumnFamilies[cf].name, " key ", Hex(ReadBigEndian(key)));
          absl::StatusOr<std::vector<uint64_t>> ids = DecodePostings(value);
          if (!ids.ok()) {
            found.Add(where, ": ", ids.status().message());
            return absl::OkStatus();
          }
          for (uint64_t id : *ids) {
            if (id > last_version || !version_exists[id]) {
              found.Add(where, " lists missing version ", id);
            }
          }
          return absl::OkStatus();
        });
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::unique_ptr<StoryStore>> StoryStore::Open(
    const std::string& dir, const std::string& params, const Options& options) {
  return RocksStoryStore::Open(dir, params, options);
}

}  // namespace newsdedup
