// Opening and creating a RocksStoryStore: what the store folder holds, the
// RocksDB options (and why), atomic creation, the meta entries, and the
// ledger check that refuses to write over lost snapshots.

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cstdarg>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <system_error>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "rocksdb/cache.h"
#include "rocksdb/convenience.h"
#include "rocksdb/filter_policy.h"
#include "rocksdb/merge_operator.h"
#include "rocksdb/table.h"
#include "store/record_codec.h"
#include "store/rocks_story_store.h"
#include "store/store_files.h"
#include "store/snapshot_ledger.h"

namespace newsdedup {
namespace {

namespace fs = std::filesystem;
using namespace store_format;  // NOLINT: the schema's names read best bare here.

// Stands for the directory of an in-memory store inside its private Env.
constexpr char kInMemoryPath[] = "/newsdedup-in-memory";
constexpr size_t kBlockCacheBytes = 64 << 20;
constexpr int kBloomBitsPerKey = 10;
// Table files kept open by a store whose table files cannot all be opened.
constexpr int kMaxOpenFilesOfADamagedStore = 256;

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

rocksdb::CompressionType PickCompression(Compression wanted) {
  if (wanted == Compression::kNone) return rocksdb::kNoCompression;
  const std::vector<rocksdb::CompressionType> supported = rocksdb::GetSupportedCompressions();
  const auto has = [&](rocksdb::CompressionType type) {
    return std::find(supported.begin(), supported.end(), type) != supported.end();
  };
  if (wanted == Compression::kStrong && has(rocksdb::kZSTD)) return rocksdb::kZSTD;
  if (has(rocksdb::kLZ4Compression)) return rocksdb::kLZ4Compression;
  return rocksdb::kNoCompression;
}

rocksdb::ColumnFamilyOptions FamilyOptions(
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
  if (spec.index.has_value()) options.merge_operator = posting_append;
  return options;
}

// The RocksDB options of a store, each for a reason (README, "Reliability").
rocksdb::DBOptions DatabaseOptions(const StoryStore::Options& options, rocksdb::Env* env,
                                   bool create) {
  rocksdb::DBOptions db_options;
  if (env != nullptr) db_options.env = env;
  db_options.create_if_missing = create;
  // Also completes a store whose creation was interrupted (see SetUpMeta).
  db_options.create_missing_column_families = !options.read_only;
  db_options.max_background_jobs = 2;
  // One budget for the memtables of all column families: a 100k-item night
  // writes millions of postings at once, and thirteen families with their own
  // 64 MB buffers each (and a second one while flushing) would let them grow
  // past a gigabyte.
  db_options.db_write_buffer_size = 256 << 20;
  db_options.info_log = std::make_shared<DiscardingLogger>();
  db_options.keep_log_file_num = 5;
  // The families of one flush enter the MANIFEST as one atomic group: a
  // damaged MANIFEST tail then takes a whole flush (whole snapshots, which
  // the ledger notices), never the index families of a snapshot without its
  // records.
  db_options.atomic_flush = true;
  // A writer replays its write-ahead log tolerating only a torn last record
  // (a crash in the middle of a commit); any other damage refuses the open
  // and leaves the files alone, where the default (point in time) would
  // silently drop everything after the damage. Readers, and a writer told
  // to accept lost snapshots, recover to the last consistent point: they
  // change nothing, or record what was lost.
  db_options.wal_recovery_mode =
      options.read_only || options.accept_lost_snapshots
          ? rocksdb::WALRecoveryMode::kPointInTimeRecovery
          : rocksdb::WALRecoveryMode::kTolerateCorruptedTailRecords;
  // A read-only handle may run beside a writer that compacts: opening every
  // table file up front keeps the files it reads from vanishing under it.
  if (options.read_only) db_options.max_open_files = -1;
  return db_options;
}

absl::Status NotAStore(const std::string& dir) {
  return absl::InvalidArgumentError(absl::StrCat(dir, " is not a newsdedup store"));
}

// What a store folder holds.
enum class Folder {
  kStore,        // A RocksDB database (CURRENT names its MANIFEST).
  kAbsent,       // Missing or empty: a store may be created.
  kInterrupted,  // RocksDB's first files and nothing else: a creation cut short.
};

// The files RocksDB writes before CURRENT exists when it creates a database:
// a folder of only these (logs empty, no table file) holds no data.
bool IsCreationFile(const fs::directory_entry& entry) {
  const std::string name = entry.path().filename().string();
  std::error_code error;
  if (name == "LOCK" || name == "IDENTITY" || absl::StartsWith(name, "LOG") ||
      absl::StartsWith(name, "OPTIONS-") || absl::EndsWith(name, ".dbtmp") ||
      name == "MANIFEST-000001") {
    return true;
  }
  return absl::EndsWith(name, ".log") && entry.file_size(error) == 0 && !error;
}

absl::StatusOr<Folder> InspectFolderContents(const std::string& dir) {
  std::error_code error;
  if (fs::exists(fs::path(dir) / "CURRENT", error)) return Folder::kStore;
  bool empty = true, only_creation_files = true, has_rocksdb_data = false;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir, error)) {
    empty = false;
    const std::string name = entry.path().filename().string();
    if (!IsCreationFile(entry)) only_creation_files = false;
    if (absl::EndsWith(name, ".sst") || absl::StartsWith(name, "MANIFEST-") ||
        absl::EndsWith(name, ".log")) {
      has_rocksdb_data = true;
    }
  }
  if (error) {
    return absl::PermissionDeniedError(absl::StrCat("cannot read ", dir, ": ", error.message()));
  }
  if (empty) return Folder::kAbsent;
  if (only_creation_files) return Folder::kInterrupted;
  if (has_rocksdb_data) {
    return absl::DataLossError(absl::StrCat(
        dir, " has lost its CURRENT file, which names RocksDB's live MANIFEST: the data may be "
             "whole, but cannot be opened; restore a backup (newsdedup restore), or write the "
             "name of the newest MANIFEST-* file and a newline into ",
        dir, "/CURRENT"));
  }
  return NotAStore(dir);
}

absl::StatusOr<Folder> InspectFolder(const std::string& dir) {
  std::error_code error;
  const fs::file_status status = fs::status(dir, error);
  if (!fs::exists(status)) {
    if (error && error != std::errc::no_such_file_or_directory) {
      return absl::InvalidArgumentError(absl::StrCat("cannot inspect ", dir, ": ", error.message()));
    }
    return Folder::kAbsent;
  }
  if (!fs::is_directory(status)) return NotAStore(dir);
  return InspectFolderContents(dir);
}

// The folder a new store is made in: beside `dir`, so that the rename into
// place stays on one filesystem.
fs::path CreationFolder(const fs::path& dir, pid_t pid) {
  return dir.parent_path() / absl::StrCat(".", dir.filename().string(), kCreatingSuffix, pid);
}

// Removes creation folders of `dir` whose process is gone.
void RemoveAbandonedCreations(const fs::path& dir) {
  const std::string prefix = absl::StrCat(".", dir.filename().string(), kCreatingSuffix);
  std::error_code error;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir.parent_path(), error)) {
    const std::string name = entry.path().filename().string();
    int pid = 0;
    if (!absl::StartsWith(name, prefix) || !absl::SimpleAtoi(name.substr(prefix.size()), &pid)) {
      continue;
    }
    if (pid != getpid() && kill(pid, 0) != 0 && errno == ESRCH) fs::remove_all(entry.path(), error);
  }
}

// "name=value" lines in order; a line without '=' is a name without value.
std::vector<std::pair<std::string, std::string>> ParseParams(const std::string& params) {
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
      differences.push_back(absl::StrCat("store was created with ", name, "=", value,
                                         ", this build does not set ", name));
    } else if (it->second != value) {
      differences.push_back(absl::StrCat("store was created with ", name, "=", value,
                                         ", this build uses ", name, "=", it->second));
    }
  }
  for (const auto& [name, value] : wanted) {
    if (!had.contains(name)) {
      differences.push_back(absl::StrCat("store was created without ", name,
                                         ", this build uses ", name, "=", value));
    }
  }
  return differences;
}

// The column families to open: those the database has, plus (for writing)
// the schema's missing ones. Empty `existing` is a database being created.
std::vector<rocksdb::ColumnFamilyDescriptor> FamilyDescriptors(
    std::vector<std::string> names, const StoryStore::Options& options) {
  const bool read_only = options.read_only;
  if (names.empty()) names.push_back(rocksdb::kDefaultColumnFamilyName);
  if (!read_only) {
    for (const ColumnFamilySpec& spec : kColumnFamilies) {
      if (std::find(names.begin(), names.end(), spec.name) == names.end()) {
        names.push_back(spec.name);
      }
    }
  }
  const std::shared_ptr<rocksdb::Cache> cache = rocksdb::NewLRUCache(kBlockCacheBytes);
  const auto posting_append = std::make_shared<PostingAppendOperator>(
      static_cast<size_t>(std::max(options.max_postings_per_key, 1)));
  std::vector<rocksdb::ColumnFamilyDescriptor> descriptors;
  for (const std::string& name : names) {
    const auto spec = std::find_if(kColumnFamilies.begin(), kColumnFamilies.end(),
                                   [&](const ColumnFamilySpec& s) { return name == s.name; });
    descriptors.emplace_back(name, spec == kColumnFamilies.end()
                                       ? rocksdb::ColumnFamilyOptions()
                                       : FamilyOptions(*spec, cache, posting_append));
  }
  return descriptors;
}

// A fresh private folder for a secondary instance, under the system's
// temporary folder: RocksDB wants one, and a store folder may be read-only.
absl::StatusOr<std::string> MakeFollowerDir() {
  std::error_code error;
  std::string pattern = (fs::temp_directory_path(error) / "newsdedup-follower-XXXXXX").string();
  if (error || mkdtemp(pattern.data()) == nullptr) {
    return absl::InternalError(absl::StrCat("cannot create a folder for a store follower in ",
                                            fs::temp_directory_path(error).string()));
  }
  return pattern;
}

// Opens (or, with `create`, makes) the RocksDB database at `path`.
absl::StatusOr<RocksStoryStore::Parts> OpenDatabase(const std::string& dir,
                                                    const std::string& path,
                                                    const StoryStore::Options& options,
                                                    std::unique_ptr<rocksdb::Env> env,
                                                    bool create) {
  rocksdb::DBOptions db_options = DatabaseOptions(options, env.get(), create);
  const std::string context = absl::StrCat("cannot open store ", dir);
  std::vector<std::string> names;
  if (!create) {
    const rocksdb::Status listed = rocksdb::DB::ListColumnFamilies(db_options, path, &names);
    if (!listed.ok()) return FromRocksDb(listed, context);
    // Any other RocksDB database lacks our meta column family; never add
    // column families to it.
    if (std::find(names.begin(), names.end(), "meta") == names.end()) return NotAStore(dir);
  }
  const std::vector<rocksdb::ColumnFamilyDescriptor> descriptors =
      FamilyDescriptors(names, options);
  rocksdb::DB* raw_db = nullptr;
  RocksStoryStore::Parts parts;
  if (options.follow_writer) {
    absl::StatusOr<std::string> follower_dir = MakeFollowerDir();
    if (!follower_dir.ok()) return follower_dir.status();
    parts.follower_dir = *std::move(follower_dir);
  }
  const auto open = [&] {
    if (options.follow_writer) {
      return rocksdb::DB::OpenAsSecondary(db_options, path, parts.follower_dir, descriptors,
                                          &parts.owned_handles, &raw_db);
    }
    return options.read_only ? rocksdb::DB::OpenForReadOnly(db_options, path, descriptors,
                                                            &parts.owned_handles, &raw_db)
                             : rocksdb::DB::Open(db_options, path, descriptors,
                                                 &parts.owned_handles, &raw_db);
  };
  rocksdb::Status opened = open();
  // Opening every table file up front fails on one damaged table footer;
  // opened as needed, the store still opens: `check` names the file, and
  // rebuild-index drops an index family's files without reading them.
  if (opened.IsCorruption() && absl::StrContains(opened.ToString(), ".sst")) {
    db_options.max_open_files = kMaxOpenFilesOfADamagedStore;
    opened = open();
  }
  if (!opened.ok()) {
    if (!parts.follower_dir.empty()) {
      std::error_code ignored;
      fs::remove_all(parts.follower_dir, ignored);
    }
    return FromRocksDb(opened, context);
  }
  parts.dir = dir;
  parts.env = std::move(env);
  parts.db.reset(raw_db);
  for (int cf = 0; cf < kNumColumnFamilies; ++cf) {
    for (size_t i = 0; i < descriptors.size(); ++i) {
      if (descriptors[i].name == kColumnFamilies[cf].name) parts.handles[cf] = parts.owned_handles[i];
    }
  }
  parts.read_only = options.read_only;
  parts.in_memory = options.in_memory;
  parts.max_postings_per_key = static_cast<size_t>(std::max(options.max_postings_per_key, 1));
  return parts;
}

absl::StatusOr<bool> AllFamiliesEmpty(RocksStoryStore& store) {
  for (rocksdb::ColumnFamilyHandle* handle : store.handles()) {
    std::unique_ptr<rocksdb::Iterator> it(store.db()->NewIterator(rocksdb::ReadOptions(), handle));
    it->SeekToFirst();
    if (it->Valid()) return false;
    if (!it->status().ok()) return FromRocksDb(it->status(), "cannot read store");
  }
  return true;
}

// Records the schema version, params and counters of a new store.
absl::Status WriteNewMeta(RocksStoryStore& store, const std::string& params) {
  rocksdb::WriteBatch batch;
  rocksdb::ColumnFamilyHandle* meta = store.handle(kMeta);
  batch.Put(meta, kSchemaVersionKey, std::to_string(kSchemaVersion));
  batch.Put(meta, kParamsKey, params);
  batch.Put(meta, kCountersKey, EncodeCounters(StoreCounters()));
  if (!store.in_memory()) batch.Put(meta, kHasLedgerKey, "");
  if (absl::Status status =
          store.WriteSynced(&batch, absl::StrCat("cannot create ", store.dir()));
      !status.ok()) {
    return status;
  }
  store.set_params(params);
  return absl::OkStatus();
}

// Reads or records the schema version and params.
absl::Status SetUpMeta(RocksStoryStore& store, const std::string& params, bool created) {
  const std::string& dir = store.dir();
  absl::StatusOr<std::optional<std::string>> schema = store.Get(kMeta, kSchemaVersionKey);
  if (!schema.ok()) return schema.status();
  if (!schema->has_value()) {
    // Older builds created the column families before the batch recording
    // the schema; a store killed in between is empty and may be finished.
    if (!created) {
      if (store.read_only()) return NotAStore(dir);
      absl::StatusOr<bool> empty = AllFamiliesEmpty(store);
      if (!empty.ok()) return empty.status();
      if (!*empty) return NotAStore(dir);
    }
    return WriteNewMeta(store, params);
  }
  if (**schema != std::to_string(kSchemaVersion)) {
    return absl::FailedPreconditionError(absl::StrCat(dir, ": store has schema version ", **schema,
                                                      ", this build reads schema version ",
                                                      kSchemaVersion));
  }
  absl::StatusOr<std::optional<std::string>> stored = store.Get(kMeta, kParamsKey);
  if (!stored.ok()) return stored.status();
  if (!stored->has_value()) return absl::DataLossError(absl::StrCat(dir, ": store has no params"));
  store.set_params(**stored);
  if (!params.empty()) {
    const std::vector<std::string> differences = DescribeParamsMismatch(**stored, params);
    if (!differences.empty()) {
      return absl::FailedPreconditionError(
          absl::StrCat(dir, ": ", absl::StrJoin(differences, "; ")));
    }
  }
  return absl::OkStatus();
}

std::string LostSnapshotsMessage(const std::string& dir, const LedgerComparison& comparison) {
  std::vector<uint64_t> lost = comparison.lost;
  lost.insert(lost.end(), comparison.replaced.begin(), comparison.replaced.end());
  std::sort(lost.begin(), lost.end());
  return absl::StrCat(
      dir, ": snapshot", lost.size() == 1 ? " " : "s ", DescribeIds(lost),
      lost.size() == 1 ? " was" : " were",
      " committed (the ledger ", kLedgerFile,
      " lists them) but the store no longer has them: its write-ahead log or MANIFEST was "
      "damaged and RocksDB recovered an earlier state. Nothing was written. Restore a backup "
      "(newsdedup restore), or record the loss and go on with `newsdedup delete --db ",
      dir, " --lost`");
}

// Compares the store with its ledger before anything is written: refuses
// to write over lost snapshots, records those not yet in the ledger, and
// writes the ledger of a store made before it existed.
absl::Status VerifyLedger(RocksStoryStore& store, bool accept_lost) {
  absl::StatusOr<StoredSnapshotIds> stored = store.ReadStoredSnapshotIds();
  if (!stored.ok()) return stored.status();
  const std::string path = store.ledger_path();
  absl::StatusOr<Ledger> ledger = ReadLedger(path);
  if (absl::IsNotFound(ledger.status())) {
    absl::StatusOr<std::optional<std::string>> had = store.Get(kMeta, kHasLedgerKey);
    if (!had.ok()) return had.status();
    if (had->has_value() && !accept_lost) {
      return absl::DataLossError(absl::StrCat(
          store.dir(), ": the ledger ", kLedgerFile,
          " is missing, so lost snapshots cannot be told from deleted ones; if `newsdedup "
          "check` finds nothing else, `newsdedup delete --db ",
          store.dir(), " --lost` writes a new one"));
    }
    if (absl::Status status = WriteLedger(path, LedgerEventsOf(*stored)); !status.ok()) {
      return status;
    }
    rocksdb::WriteBatch batch;
    batch.Put(store.handle(kMeta), kHasLedgerKey, "");
    return store.WriteSynced(&batch, "cannot record the ledger");
  }
  if (!ledger.ok()) return ledger.status();
  const LedgerComparison comparison = CompareWithLedger(*ledger, *stored);
  if (!comparison.lost.empty() || !comparison.replaced.empty()) {
    if (!accept_lost) return absl::DataLossError(LostSnapshotsMessage(store.dir(), comparison));
    // DeleteSnapshots records the lost ones; the replaced ones are the
    // store's now.
    std::vector<LedgerEvent> events;
    for (uint64_t id : comparison.replaced) {
      events.push_back({.kind = LedgerEvent::Kind::kCommit,
                        .snapshot_id = id,
                        .content_hash = stored->present.at(id)});
    }
    if (absl::Status status = AppendToLedger(path, events); !status.ok()) return status;
  }
  return AppendToLedger(path, comparison.missing_from_ledger);
}

// Makes a whole new store at `dir` (missing or empty): built in a sibling
// folder, then renamed into place, so that no crash leaves half a store.
absl::Status CreateStore(const fs::path& dir, const std::string& params,
                         const StoryStore::Options& options) {
  std::error_code error;
  fs::create_directories(dir.parent_path(), error);
  if (error) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot create ", dir.parent_path().string(), ": ", error.message()));
  }
  RemoveAbandonedCreations(dir);
  const fs::path building = CreationFolder(dir, getpid());
  fs::remove_all(building, error);
  {
    absl::StatusOr<RocksStoryStore::Parts> parts =
        OpenDatabase(dir.string(), building.string(), options, nullptr, /*create=*/true);
    if (!parts.ok()) {
      fs::remove_all(building, error);
      return parts.status();
    }
    parts->dir = building.string();
    std::unique_ptr<RocksStoryStore> store = RocksStoryStore::FromParts(*std::move(parts));
    absl::Status status = WriteNewMeta(*store, params);
    if (status.ok()) status = WriteLedger(store->ledger_path(), {});
    if (status.ok()) status = store->FlushAll();
    if (!status.ok()) {
      store.reset();
      fs::remove_all(building, error);
      return absl::Status(status.code(), absl::StrCat("cannot create store ", dir.string(), ": ",
                                                      status.message()));
    }
  }
  if (absl::Status synced = SyncFolder(building); !synced.ok()) return synced;
  // Replaces an empty folder; fails when another process made the store
  // first, which is then as good as ours.
  fs::rename(building, dir, error);
  if (error) {
    fs::remove_all(building, error);
    return absl::OkStatus();
  }
  return SyncFolder(dir.parent_path());
}

// Clears a folder left by an interrupted creation (InspectFolder said it
// holds only RocksDB's first files).
absl::Status ClearInterruptedCreation(const fs::path& dir) {
  std::error_code error;
  for (const fs::directory_entry& entry : fs::directory_iterator(dir, error)) {
    fs::remove_all(entry.path(), error);
    if (error) break;
  }
  if (error) {
    return absl::PermissionDeniedError(
        absl::StrCat("cannot clear the interrupted creation in ", dir.string(), ": ",
                     error.message()));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<RocksStoryStore>> OpenInMemory(const std::string& params,
                                                              const StoryStore::Options& options) {
  std::unique_ptr<rocksdb::Env> env(rocksdb::NewMemEnv(rocksdb::Env::Default()));
  absl::StatusOr<RocksStoryStore::Parts> parts =
      OpenDatabase(kInMemoryPath, kInMemoryPath, options, std::move(env), /*create=*/true);
  if (!parts.ok()) return parts.status();
  std::unique_ptr<RocksStoryStore> store = RocksStoryStore::FromParts(*std::move(parts));
  if (absl::Status status = WriteNewMeta(*store, params); !status.ok()) return status;
  return store;
}

// Creates the store at `dir` when it holds none (and options allow).
absl::Status CreateIfAbsent(const std::string& dir, const std::string& params,
                            const StoryStore::Options& options) {
  const bool may_create = options.create_if_missing && !options.read_only;
  absl::StatusOr<Folder> folder = InspectFolder(dir);
  if (!folder.ok()) return folder.status();
  if (*folder == Folder::kStore) return absl::OkStatus();
  if (!may_create) {
    return absl::NotFoundError(absl::StrCat(
        dir, " holds no newsdedup store",
        *folder == Folder::kInterrupted ? " (only the start of an interrupted creation)" : ""));
  }
  if (*folder == Folder::kInterrupted) {
    if (absl::Status status = ClearInterruptedCreation(FolderPath(dir)); !status.ok()) {
      return status;
    }
  }
  return CreateStore(FolderPath(dir), params, options);
}

}  // namespace

std::unique_ptr<RocksStoryStore> RocksStoryStore::FromParts(Parts parts) {
  return std::unique_ptr<RocksStoryStore>(new RocksStoryStore(std::move(parts)));
}

absl::StatusOr<std::unique_ptr<StoryStore>> RocksStoryStore::Open(const std::string& dir,
                                                                  const std::string& params,
                                                                  const Options& requested) {
  Options options = requested;
  if (options.follow_writer) options.read_only = true;
  if (options.in_memory) {
    if (options.read_only) {
      return absl::InvalidArgumentError("an in-memory store cannot be opened read-only");
    }
    absl::StatusOr<std::unique_ptr<RocksStoryStore>> store = OpenInMemory(params, options);
    if (!store.ok()) return store.status();
    return std::unique_ptr<StoryStore>(*std::move(store));
  }
  if (absl::Status status = CreateIfAbsent(dir, params, options); !status.ok()) return status;
  absl::StatusOr<Parts> parts = OpenDatabase(dir, dir, options, nullptr, /*create=*/false);
  if (!parts.ok()) return parts.status();
  std::unique_ptr<RocksStoryStore> store = FromParts(*std::move(parts));
  // Only a read-only open of a half-made store lacks column families.
  const Handles& handles = store->handles();
  if (std::find(handles.begin(), handles.end(), nullptr) != handles.end()) return NotAStore(dir);
  absl::Status status = SetUpMeta(*store, params, /*created=*/false);
  if (status.ok() && !options.read_only) {
    status = VerifyLedger(*store, options.accept_lost_snapshots);
  }
  if (!status.ok()) {
    store->leave_files_untouched();
    return status;
  }
  return std::unique_ptr<StoryStore>(std::move(store));
}

}  // namespace newsdedup
