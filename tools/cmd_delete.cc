// `delete` and `prune`: snapshots removed atomically (StoryStore::DeleteSnapshots).

#include <algorithm>
#include <iostream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "core/match_params.h"
#include "nlohmann/json.hpp"
#include "store/snapshot_ledger.h"
#include "tools/cli.h"
#include "tools/safe_text.h"

namespace newsdedup {
namespace {

// "3", "3,5", "5-9": the ids of --snapshot, ascending.
absl::StatusOr<std::vector<uint64_t>> SnapshotIdsFlag(const std::string& text) {
  std::set<uint64_t> ids;
  for (absl::string_view part : absl::StrSplit(text, ',')) {
    const std::vector<absl::string_view> range = absl::StrSplit(part, absl::MaxSplits('-', 1));
    uint64_t first = 0, last = 0;
    if (!absl::SimpleAtoi(range[0], &first) || first == 0 ||
        (range.size() == 2 && (!absl::SimpleAtoi(range[1], &last) || last < first)) ||
        (range.size() == 2 && last - first > 1000000)) {
      return UsageErrorStatus(absl::StrCat(
          "--snapshot takes ids such as 3, 3,5 or 5-9, not '", text, "'"));
    }
    for (uint64_t id = first; id <= (range.size() == 2 ? last : first); ++id) ids.insert(id);
  }
  return std::vector<uint64_t>(ids.begin(), ids.end());
}

absl::StatusOr<std::unique_ptr<StoryStore>> OpenForDeleting(const ParsedArgs& args, bool lost) {
  if (!args.Has("db")) return UsageErrorStatus("--db DIR is required");
  StoryStore::Options options;
  options.create_if_missing = false;
  options.accept_lost_snapshots = lost;
  return StoryStore::Open(args.Get("db"), MatchParams().Describe(), options);
}

void PrintDeleted(const DeleteResult& deleted, bool json, bool dry_run) {
  if (json) {
    std::cout << DumpJson({{"deleted", deleted.snapshots}, {"dry_run", dry_run},
                           {"items", deleted.items},       {"versions", deleted.versions},
                           {"stories", deleted.stories},   {"postings", deleted.postings}})
              << "\n";
    return;
  }
  if (deleted.snapshots.empty()) {
    std::cout << "nothing to delete\n";
    return;
  }
  if (dry_run) {
    std::cout << absl::StrFormat("would delete snapshot%s %s (%d items)\n",
                                 deleted.snapshots.size() == 1 ? "" : "s",
                                 DescribeIds(deleted.snapshots), deleted.items);
    return;
  }
  std::cout << absl::StrFormat(
      "deleted snapshot%s %s: %d items, %d versions and %d stories that no other snapshot "
      "shows, %d postings\n",
      deleted.snapshots.size() == 1 ? "" : "s",
      DescribeIds(deleted.snapshots), deleted.items, deleted.versions, deleted.stories,
      deleted.postings);
}

CommandResult Delete(StoryStore& store, const std::vector<uint64_t>& ids, bool json,
                     bool dry_run) {
  if (dry_run) {
    DeleteResult would;
    would.snapshots = ids;
    for (uint64_t id : ids) {
      absl::StatusOr<SnapshotRecord> snapshot = store.GetSnapshot(id);
      if (!snapshot.ok()) return Fail(snapshot.status());
      would.items += snapshot->item_count;
    }
    PrintDeleted(would, json, /*dry_run=*/true);
    return std::nullopt;
  }
  if (ids.empty()) {
    PrintDeleted(DeleteResult(), json, false);
    return std::nullopt;
  }
  absl::StatusOr<DeleteResult> deleted = store.DeleteSnapshots(ids, MatchParams());
  if (!deleted.ok()) return Fail(deleted.status());
  PrintDeleted(*deleted, json, /*dry_run=*/false);
  return std::nullopt;
}

CommandResult RunDelete(const ParsedArgs& args) {
  if (!args.positionals().empty()) return UsageError("delete takes no positional arguments");
  if (args.Has("snapshot") == args.Has("lost")) {
    return UsageError("give --snapshot IDS or --lost (not both)");
  }
  absl::StatusOr<bool> json = JsonFormat(args);
  if (!json.ok()) return Fail(json.status());
  std::vector<uint64_t> ids;
  if (args.Has("snapshot")) {
    absl::StatusOr<std::vector<uint64_t>> wanted = SnapshotIdsFlag(args.Get("snapshot"));
    if (!wanted.ok()) return Fail(wanted.status());
    ids = *wanted;
  }
  absl::StatusOr<std::unique_ptr<StoryStore>> store = OpenForDeleting(args, args.Has("lost"));
  if (!store.ok()) return Fail(store.status());
  if (args.Has("lost")) {
    absl::StatusOr<std::vector<uint64_t>> lost = (*store)->LostSnapshots();
    if (!lost.ok()) return Fail(lost.status());
    ids = *lost;
  }
  return Delete(**store, ids, *json, args.Has("dry-run"));
}

// Whole days between two ISO-8601 UTC times.
double DaysBetween(const std::string& earlier, const std::string& later) {
  absl::Time a, b;
  std::string error;
  if (!absl::ParseTime(absl::RFC3339_full, earlier, &a, &error) ||
      !absl::ParseTime(absl::RFC3339_full, later, &b, &error)) {
    return 0;
  }
  return absl::ToDoubleHours(b - a) / 24;
}

// Per source: the snapshots older than the `keep` newest captures, or captured
// more than `keep_days` before the source's newest capture. A source's
// newest capture always stays.
std::vector<uint64_t> PruneSelection(const std::vector<SnapshotRecord>& snapshots,
                                     const std::string& only_source, std::optional<int> keep,
                                     std::optional<double> keep_days) {
  std::map<std::string, std::set<std::string>> captures;  // Source -> times.
  for (const SnapshotRecord& snapshot : snapshots) {
    captures[snapshot.source].insert(snapshot.captured_at);
  }
  std::vector<uint64_t> ids;
  for (const SnapshotRecord& snapshot : snapshots) {
    if (!only_source.empty() && snapshot.source != only_source) continue;
    const std::set<std::string>& times = captures[snapshot.source];
    const std::string& newest = *times.rbegin();
    if (snapshot.captured_at == newest) continue;
    const size_t newer = static_cast<size_t>(
        std::distance(times.upper_bound(snapshot.captured_at), times.end()));
    const bool too_many = keep.has_value() && newer >= static_cast<size_t>(*keep);
    const bool too_old =
        keep_days.has_value() && DaysBetween(snapshot.captured_at, newest) > *keep_days;
    if (too_many || too_old) ids.push_back(snapshot.id);
  }
  return ids;
}

CommandResult RunPrune(const ParsedArgs& args) {
  if (!args.positionals().empty()) return UsageError("prune takes no positional arguments");
  if (args.Has("keep") == args.Has("keep-days")) {
    return UsageError("give --keep N or --keep-days D (one of them)");
  }
  absl::StatusOr<bool> json = JsonFormat(args);
  if (!json.ok()) return Fail(json.status());
  std::optional<int> keep;
  std::optional<double> keep_days;
  int number = 0;
  if (args.Has("keep")) {
    if (!absl::SimpleAtoi(args.Get("keep"), &number) || number < 1) {
      return UsageError(absl::StrCat("--keep must be a positive number, not '", args.Get("keep"),
                                     "'"));
    }
    keep = number;
  } else {
    if (!absl::SimpleAtoi(args.Get("keep-days"), &number) || number < 0) {
      return UsageError(absl::StrCat("--keep-days must be a number of days, not '",
                                     args.Get("keep-days"), "'"));
    }
    keep_days = number;
  }
  absl::StatusOr<std::unique_ptr<StoryStore>> store = OpenForDeleting(args, false);
  if (!store.ok()) return Fail(store.status());
  absl::StatusOr<std::vector<SnapshotRecord>> snapshots = (*store)->ListSnapshots();
  if (!snapshots.ok()) return Fail(snapshots.status());
  return Delete(**store, PruneSelection(*snapshots, args.Get("source"), keep, keep_days), *json,
                args.Has("dry-run"));
}

const FlagSpec kDryRunFlag{"dry-run", "", false, "say what would be deleted, delete nothing"};

}  // namespace

Command DeleteCommand() {
  return {"delete",
          "delete snapshots (a failed scrape) atomically, with what only they referred to",
          "delete --db DIR (--snapshot IDS | --lost) [--dry-run] [--format text|json]",
          {{"db", "", true, "store folder (must exist)"},
           {"snapshot", "", true, "ids to delete: 3, 3,5 or 5-9"},
           {"lost", "", false,
            "record the snapshots the ledger lists but the store lost (after damage) as "
            "deleted, and go on without them"},
           kDryRunFlag, kFormatFlag},
          RunDelete,
          StoreAccess::kWrite};
}

Command PruneCommand() {
  return {"prune",
          "delete old snapshots atomically: keep each source's newest N captures, or D days",
          "prune --db DIR (--keep N | --keep-days D) [--source S] [--dry-run] [--format text|json]",
          {{"db", "", true, "store folder (must exist)"},
           {"keep", "", true, "captures to keep per source (the newest)"},
           {"keep-days", "", true,
            "days to keep per source, counted back from its newest capture"},
           {"source", "", true, "prune only this source (default: every source)"},
           kDryRunFlag, kFormatFlag},
          RunPrune,
          StoreAccess::kWrite};
}

}  // namespace newsdedup
