#include "store/queries.h"

#include <algorithm>
#include <map>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "core/match_params.h"
#include "core/normalize.h"
#include "core/similarity.h"
#include "store/ingest.h"

namespace newsdedup {
namespace {

// Stories are read in pages of this many when searched by words.
constexpr size_t kSearchPage = 1024;

absl::Status NoSnapshot(uint64_t id, const StoreCounters& counters) {
  return absl::NotFoundError(
      absl::StrCat("no snapshot ", id, " (the store has ", counters.last_snapshot_id, ")"));
}

// The words of `text` in matching form, as a set.
absl::flat_hash_set<std::string> MatchingWords(std::string_view text) {
  absl::flat_hash_set<std::string> words;
  for (absl::string_view word : absl::StrSplit(MatchingForm(text), ' ', absl::SkipWhitespace())) {
    words.insert(std::string(word));
  }
  return words;
}

// Snapshot records by id for every snapshot one of `versions` was seen in.
absl::StatusOr<absl::flat_hash_map<uint64_t, SnapshotRecord>> SnapshotsOf(
    StoryStore* store, const std::vector<std::optional<VersionRecord>>& versions) {
  absl::flat_hash_map<uint64_t, SnapshotRecord> snapshots;
  for (const std::optional<VersionRecord>& version : versions) {
    for (uint64_t id : version->snapshots) {
      if (snapshots.contains(id)) continue;
      absl::StatusOr<SnapshotRecord> snapshot = store->GetSnapshot(id);
      // A snapshot deleted since is left out of the timeline.
      if (absl::IsNotFound(snapshot.status())) continue;
      if (!snapshot.ok()) return snapshot.status();
      snapshots.emplace(id, *std::move(snapshot));
    }
  }
  return snapshots;
}

// Fills the diff, change class and similarities of `view` against `before`.
void CompareVersions(const MatchParams& params, const TextFeatures& before,
                     const VersionRecord& before_version, const TextFeatures& after,
                     VersionView* view) {
  view->diff = WordDiff(VersionText(before_version), VersionText(view->version));
  view->change = ClassifyChange(params, before, after);
  view->similarity = Jaccard(before.full, after.full);
  const bool before_shorter = before.full.size() <= after.full.size();
  view->containment =
      before_shorter ? Containment(before.full, after.full) : Containment(after.full, before.full);
}

}  // namespace

absl::StatusOr<SnapshotPage> ListSnapshots(StoryStore* store, const SnapshotListRequest& request) {
  absl::StatusOr<std::vector<SnapshotRecord>> all = store->ListSnapshots();
  if (!all.ok()) return all.status();
  if (request.newest_first) std::reverse(all->begin(), all->end());
  SnapshotPage page;
  for (SnapshotRecord& snapshot : *all) {
    // Ids grow in ingest order, so a cursor needs no lookup (and still works
    // when its snapshot was deleted since).
    const bool after_cursor =
        request.newest_first ? snapshot.id < request.after : snapshot.id > request.after;
    if (request.after != 0 && !after_cursor) continue;
    if (!request.source.empty() && snapshot.source != request.source) continue;
    if (page.snapshots.size() == request.limit) {
      page.next = page.snapshots.back().id;
      break;
    }
    page.snapshots.push_back(std::move(snapshot));
  }
  return page;
}

absl::StatusOr<std::vector<SourceSummary>> ListSources(StoryStore* store, size_t latest) {
  absl::StatusOr<std::vector<SnapshotRecord>> all = store->ListSnapshots();
  if (!all.ok()) return all.status();
  std::map<std::string, SourceSummary> by_name;
  // Newest first, so that the first ones met are the latest.
  for (auto it = all->rbegin(); it != all->rend(); ++it) {
    SourceSummary& source = by_name[it->source];
    if (source.snapshots == 0) {
      source.name = it->source;
      source.first_captured_at = it->captured_at;
      source.last_captured_at = it->captured_at;
    }
    ++source.snapshots;
    source.first_captured_at = std::min(source.first_captured_at, it->captured_at);
    source.last_captured_at = std::max(source.last_captured_at, it->captured_at);
    if (source.latest.size() < latest) source.latest.push_back(it->id);
  }
  std::vector<SourceSummary> sources;
  for (auto& [name, source] : by_name) sources.push_back(std::move(source));
  return sources;
}

absl::StatusOr<uint64_t> LatestSnapshotId(StoryStore* store, const std::string& source) {
  absl::StatusOr<SnapshotPage> newest =
      ListSnapshots(store, {.source = source, .after = 0, .limit = 1, .newest_first = true});
  if (!newest.ok()) return newest.status();
  if (!newest->snapshots.empty()) return newest->snapshots.front().id;
  if (source.empty()) return absl::NotFoundError("the store holds no snapshot yet");
  return absl::NotFoundError(absl::StrCat("the store holds no snapshot of source '", source, "'"));
}

absl::StatusOr<SnapshotReport> GetReport(StoryStore* store, uint64_t id) {
  absl::StatusOr<StoreCounters> counters = store->GetCounters();
  if (!counters.ok()) return counters.status();
  if (id == 0 || id > counters->last_snapshot_id) return NoSnapshot(id, *counters);
  absl::StatusOr<SnapshotReport> report = BuildSnapshotReport(store, id);
  if (absl::IsNotFound(report.status())) return NoSnapshot(id, *counters);
  return report;
}

absl::StatusOr<SnapshotNeighbours> GetNeighbours(StoryStore* store, uint64_t id) {
  absl::StatusOr<SnapshotRecord> snapshot = store->GetSnapshot(id);
  if (!snapshot.ok()) return snapshot.status();
  SnapshotNeighbours neighbours;
  for (const bool newest_first : {true, false}) {
    absl::StatusOr<SnapshotPage> page = ListSnapshots(
        store, {.source = snapshot->source, .after = id, .limit = 1, .newest_first = newest_first});
    if (!page.ok()) return page.status();
    if (page->snapshots.empty()) continue;
    (newest_first ? neighbours.previous : neighbours.next) = page->snapshots.front();
  }
  return neighbours;
}

absl::StatusOr<StoryView> GetStoryView(StoryStore* store, const std::string& id) {
  absl::StatusOr<StoryRecord> story = store->GetStory(id);
  if (absl::IsNotFound(story.status())) return absl::NotFoundError(absl::StrCat("no story ", id));
  if (!story.ok()) return story.status();
  absl::StatusOr<std::vector<std::optional<VersionRecord>>> versions =
      store->MultiGetVersions(story->versions);
  if (!versions.ok()) return versions.status();
  for (size_t v = 0; v < versions->size(); ++v) {
    if (!(*versions)[v].has_value()) {
      return absl::DataLossError(
          absl::StrCat("story ", id, " lists missing version ", story->versions[v]));
    }
  }
  // Oldest first by time: a capture ingested late (--allow-past) may have
  // made an older text after a newer one.
  std::stable_sort(versions->begin(), versions->end(),
                   [](const std::optional<VersionRecord>& a, const std::optional<VersionRecord>& b) {
                     return a->first_seen < b->first_seen;
                   });
  absl::StatusOr<absl::flat_hash_map<uint64_t, SnapshotRecord>> snapshots =
      SnapshotsOf(store, *versions);
  if (!snapshots.ok()) return snapshots.status();

  StoryView view;
  view.story = *std::move(story);
  const MatchParams params;
  FeatureExtractor extractor(params);
  TextFeatures before;
  for (std::optional<VersionRecord>& version : *versions) {
    VersionView entry;
    entry.version = *std::move(version);
    entry.canonical = entry.version.id == view.story.canonical_version;
    for (uint64_t snapshot_id : entry.version.snapshots) {
      const auto it = snapshots->find(snapshot_id);
      if (it != snapshots->end()) entry.snapshots.push_back(it->second);
    }
    TextFeatures after =
        extractor.Extract(entry.version.title, entry.version.lede, entry.version.body, /*url=*/"",
                          /*with_band_keys=*/false);
    if (!view.versions.empty()) {
      CompareVersions(params, before, view.versions.back().version, after, &entry);
    }
    before = std::move(after);
    view.versions.push_back(std::move(entry));
  }
  return view;
}

namespace {

bool TitleHasAll(const StoryRecord& story, const absl::flat_hash_set<std::string>& words) {
  const absl::flat_hash_set<std::string> title = MatchingWords(story.title);
  return std::all_of(words.begin(), words.end(),
                     [&](const std::string& word) { return title.contains(word); });
}

// The stories of the versions indexed under the canonical form of the URL,
// or under the article id it carries (the same article, retitled).
absl::Status FindByUrl(StoryStore* store, const StorySearch& search, StorySearchResult* result) {
  FeatureExtractor extractor{MatchParams()};
  const TextFeatures url =
      extractor.ExtractSketch("", "", "", search.url, /*with_canonical_hash=*/false);
  if (url.url_hash == 0) return absl::OkStatus();  // Nothing is stored under a non-URL.
  std::vector<uint64_t> keys = {url.url_hash};
  if (url.url_key_hash != 0) keys.push_back(url.url_key_hash);
  absl::StatusOr<std::vector<std::vector<uint64_t>>> postings =
      store->LookupPostings(IndexKind::kUrl, keys);
  if (!postings.ok()) return postings.status();
  std::vector<uint64_t> version_ids;
  for (const std::vector<uint64_t>& ids : *postings) {
    version_ids.insert(version_ids.end(), ids.begin(), ids.end());
  }
  std::sort(version_ids.begin(), version_ids.end());
  version_ids.erase(std::unique(version_ids.begin(), version_ids.end()), version_ids.end());
  absl::StatusOr<std::vector<std::optional<VersionRecord>>> versions =
      store->MultiGetVersions(version_ids);
  if (!versions.ok()) return versions.status();
  std::vector<std::string> story_ids;
  for (const std::optional<VersionRecord>& version : *versions) {
    if (version.has_value()) story_ids.push_back(version->story_id);
  }
  std::sort(story_ids.begin(), story_ids.end());
  story_ids.erase(std::unique(story_ids.begin(), story_ids.end()), story_ids.end());
  absl::StatusOr<std::vector<std::optional<StoryRecord>>> stories =
      store->MultiGetStories(story_ids);
  if (!stories.ok()) return stories.status();
  const absl::flat_hash_set<std::string> words = MatchingWords(search.words);
  for (std::optional<StoryRecord>& story : *stories) {
    if (!story.has_value() || result->stories.size() == search.limit) continue;
    if (TitleHasAll(*story, words)) result->stories.push_back(*std::move(story));
  }
  return absl::OkStatus();
}

// Reads stories in id order until `limit` match or `max_scanned` were read.
absl::Status FindByWords(StoryStore* store, const StorySearch& search, StorySearchResult* result) {
  const absl::flat_hash_set<std::string> words = MatchingWords(search.words);
  if (words.empty()) return absl::InvalidArgumentError("the search has no words");
  std::string after;
  size_t scanned = 0;
  while (result->stories.size() < search.limit) {
    if (scanned >= search.max_scanned) {
      result->truncated = true;
      break;
    }
    absl::StatusOr<std::vector<StoryRecord>> page =
        store->ScanStories(after, std::min(kSearchPage, search.max_scanned - scanned));
    if (!page.ok()) return page.status();
    if (page->empty()) break;
    scanned += page->size();
    after = page->back().id;
    for (StoryRecord& story : *page) {
      if (result->stories.size() < search.limit && TitleHasAll(story, words)) {
        result->stories.push_back(std::move(story));
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<StorySearchResult> FindStories(StoryStore* store, const StorySearch& search) {
  if (search.words.empty() && search.url.empty()) {
    return absl::InvalidArgumentError("give title words or a URL to search for");
  }
  StorySearchResult result;
  const absl::Status status =
      search.url.empty() ? FindByWords(store, search, &result) : FindByUrl(store, search, &result);
  if (!status.ok()) return status;
  return result;
}

absl::StatusOr<std::vector<TextMatch>> MatchDump(StoryStore* store, std::string_view bytes,
                                                 std::optional<DumpFormat> format,
                                                 size_t max_items) {
  const MatchParams params;
  if (store->params() != params.Describe()) {
    return absl::FailedPreconditionError(
        "the store was made with other match parameters than this build's");
  }
  ParseOptions options;
  options.format = format;
  absl::StatusOr<ParsedDump> dump = ParseDump(bytes, options);
  if (!dump.ok()) return dump.status();
  if (dump->items.empty()) return absl::InvalidArgumentError("the text holds no item to match");
  if (dump->items.size() > max_items) {
    return absl::InvalidArgumentError(
        absl::StrCat("at most ", max_items, " items per match, not ", dump->items.size()));
  }
  std::vector<TextMatch> matches(dump->items.size());
  for (size_t i = 0; i < matches.size(); ++i) {
    matches[i].position = static_cast<uint32_t>(i);
    matches[i].title = dump->items[i].title;
  }
  absl::StatusOr<std::vector<ItemMatch>> found =
      Ingester(store, params, /*threads=*/1).Match(*std::move(dump));
  if (!found.ok()) return found.status();
  std::vector<std::string> story_ids;
  for (const ItemMatch& item : *found) {
    if (!item.story_id.empty()) story_ids.push_back(item.story_id);
  }
  absl::StatusOr<std::vector<std::optional<StoryRecord>>> stories =
      store->MultiGetStories(story_ids);
  if (!stories.ok()) return stories.status();
  size_t next_story = 0;
  for (size_t i = 0; i < matches.size(); ++i) {
    matches[i].evidence = (*found)[i].evidence;
    matches[i].in_snapshot = (*found)[i].in_snapshot;
    if ((*found)[i].story_id.empty()) continue;
    std::optional<StoryRecord>& story = (*stories)[next_story++];
    if (!story.has_value()) {
      return absl::DataLossError(absl::StrCat("missing story ", (*found)[i].story_id));
    }
    matches[i].known = true;
    matches[i].story = *std::move(story);
  }
  return matches;
}

}  // namespace newsdedup
