#include "store/ingest.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <optional>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "core/matcher.h"
#include "core/parallel_for.h"
#include "xxhash.h"

namespace newsdedup {
namespace {

// Stored versions looked at per item and index at most: a recurring title or
// a very common lead could otherwise pull thousands of versions into one
// verification. Postings are in insertion order; the newest are kept.
constexpr size_t kMaxCandidatesPerKey = 32;

std::string StoryIdFor(uint64_t number) { return absl::StrFormat("s-%06d", number); }

// Looks up all keys of one index kind for all items in one batch; returns,
// per item, the version ids found.
absl::StatusOr<std::vector<std::vector<uint64_t>>> LookupPerItem(
    StoryStore* store, IndexKind kind, const std::vector<std::vector<uint64_t>>& keys_per_item,
    size_t limit_per_key) {
  std::vector<uint64_t> keys;
  for (const auto& item_keys : keys_per_item) keys.insert(keys.end(), item_keys.begin(), item_keys.end());
  std::vector<std::vector<uint64_t>> found(keys_per_item.size());
  if (keys.empty()) return found;
  absl::StatusOr<std::vector<std::vector<uint64_t>>> postings =
      store->LookupPostings(kind, keys, limit_per_key);
  if (!postings.ok()) return postings.status();
  size_t next = 0;
  for (size_t item = 0; item < keys_per_item.size(); ++item) {
    for (size_t k = 0; k < keys_per_item[item].size(); ++k) {
      const std::vector<uint64_t>& ids = (*postings)[next++];
      found[item].insert(found[item].end(), ids.begin(), ids.end());
    }
  }
  return found;
}

// Band candidates verified per item at most. The number of bands a stored
// version shares with the item estimates their similarity (about
// bands * J^rows): near-duplicates share many, texts that merely use the
// same template share one or two, and there can be hundreds of those.
constexpr size_t kMaxBandCandidates = 12;

// Adds to *out the versions sharing the most bands with the item (`hits`
// holds one entry per shared band); ties go to the newest.
void AddBestBandCandidates(std::vector<uint64_t> hits, std::vector<uint64_t>* out) {
  std::sort(hits.begin(), hits.end());
  std::vector<std::pair<uint32_t, uint64_t>> counted;  // (shared bands, id)
  for (size_t run = 0; run < hits.size();) {
    size_t end = run;
    while (end < hits.size() && hits[end] == hits[run]) ++end;
    counted.emplace_back(static_cast<uint32_t>(end - run), hits[run]);
    run = end;
  }
  const size_t keep = std::min(counted.size(), kMaxBandCandidates);
  std::partial_sort(counted.begin(), counted.begin() + keep, counted.end(),
                    [](const auto& a, const auto& b) { return a > b; });
  for (size_t c = 0; c < keep; ++c) out->push_back(counted[c].second);
}

// One item's decision.
struct Assignment {
  std::string story_id;
  bool new_story = false;
  uint64_t version_id = 0;
  bool new_version = false;
  MatchEvidence evidence;
  bool matched_in_snapshot = false;  // Tied to an earlier item of this dump.
};

// A version made by this snapshot, with its features for later items.
struct FreshVersion {
  VersionRecord record;
  size_t item;  // The item of this dump that brought it: its features.
};

// Measures consecutive stages of one ingest.
class StageClock {
 public:
  explicit StageClock(std::vector<std::pair<std::string, double>>* stages)
      : stages_(stages), last_(std::chrono::steady_clock::now()) {}
  void EndStage(const char* name) {
    const auto now = std::chrono::steady_clock::now();
    stages_->emplace_back(name, std::chrono::duration<double>(now - last_).count());
    last_ = now;
  }

 private:
  std::vector<std::pair<std::string, double>>* stages_;
  std::chrono::steady_clock::time_point last_;
};

}  // namespace

std::string ContentHash(std::string_view bytes) {
  return absl::StrFormat("%016x", XXH3_64bits(bytes.data(), bytes.size()));
}

Ingester::Ingester(StoryStore* store, const MatchParams& params, int threads)
    : store_(store), params_(params), threads_(ResolveThreads(threads)) {}

absl::StatusOr<IngestResult> Ingester::Ingest(const IngestRequest& request) {
  const std::string content_hash = ContentHash(request.bytes);
  absl::StatusOr<std::optional<SnapshotRecord>> existing =
      store_->FindSnapshot(request.source, request.captured_at);
  if (!existing.ok()) return existing.status();
  if (existing->has_value()) {
    const SnapshotRecord& earlier = **existing;
    if (earlier.content_hash != content_hash) {
      return absl::InvalidArgumentError(absl::StrCat(
          "source '", request.source, "' at ", request.captured_at,
          " was already ingested as snapshot ", earlier.id, " from ", earlier.file,
          " with other content; use another --at or --source"));
    }
    return IngestResult{.already_ingested = true, .snapshot = earlier, .stage_seconds = {}};
  }

  IngestResult result;
  StageClock clock(&result.stage_seconds);
  absl::StatusOr<ParsedDump> dump = ParseDump(request.bytes, request.parse_options);
  if (!dump.ok()) return dump.status();
  const std::vector<Item>& items = dump->items;
  const std::string kind = dump->format == DumpFormat::kArticle ? "article" : "listing";

  clock.EndStage("parse");

  // Features of every item, on all cores.
  std::vector<TextFeatures> features(items.size());
  ParallelFor(items.size(), threads_, [&](size_t begin, size_t end, int) {
    FeatureExtractor extractor(params_);
    for (size_t i = begin; i < end; ++i) {
      features[i] = extractor.Extract(items[i].title, items[i].lede, items[i].body,
                                      items[i].url, /*with_band_keys=*/true);
    }
  });

  clock.EndStage("features");

  absl::StatusOr<StoreCounters> counters = store_->GetCounters();
  if (!counters.ok()) return counters.status();
  StoreCounters next = *counters;
  const uint64_t snapshot_id = ++next.last_snapshot_id;

  // Candidates from the stored indexes, in a few batched lookups. An item
  // that repeats a stored text exactly needs no similarity search.
  std::vector<std::vector<uint64_t>> exact_keys(items.size()), url_keys(items.size());
  for (size_t i = 0; i < items.size(); ++i) {
    exact_keys[i] = {features[i].matching_hash};
    if (features[i].url_hash != 0) url_keys[i] = {features[i].url_hash};
  }
  absl::StatusOr<std::vector<std::vector<uint64_t>>> exact_hits =
      LookupPerItem(store_, IndexKind::kExactHash, exact_keys, kMaxCandidatesPerKey);
  if (!exact_hits.ok()) return exact_hits.status();
  absl::StatusOr<std::vector<std::vector<uint64_t>>> url_hits =
      LookupPerItem(store_, IndexKind::kUrl, url_keys, kMaxCandidatesPerKey);
  if (!url_hits.ok()) return url_hits.status();

  std::vector<std::vector<uint64_t>> band_keys(items.size()), title_keys(items.size());
  for (size_t i = 0; i < items.size(); ++i) {
    if (!(*exact_hits)[i].empty()) continue;
    band_keys[i] = features[i].lead_band_keys;
    band_keys[i].insert(band_keys[i].end(), features[i].full_band_keys.begin(),
                        features[i].full_band_keys.end());
    if (features[i].title_hash != 0) title_keys[i] = {features[i].title_hash};
  }
  absl::StatusOr<std::vector<std::vector<uint64_t>>> band_hits =
      LookupPerItem(store_, IndexKind::kLshBand, band_keys, kMaxCandidatesPerKey);
  if (!band_hits.ok()) return band_hits.status();
  absl::StatusOr<std::vector<std::vector<uint64_t>>> title_hits =
      LookupPerItem(store_, IndexKind::kTitleHash, title_keys, kMaxCandidatesPerKey);
  if (!title_hits.ok()) return title_hits.status();

  std::vector<std::vector<uint64_t>> candidates(items.size());
  absl::flat_hash_set<uint64_t> wanted_versions;
  for (size_t i = 0; i < items.size(); ++i) {
    for (const auto* hits : {&*exact_hits, &*url_hits, &*title_hits}) {
      candidates[i].insert(candidates[i].end(), (*hits)[i].begin(), (*hits)[i].end());
    }
    AddBestBandCandidates((*band_hits)[i], &candidates[i]);
    std::sort(candidates[i].begin(), candidates[i].end());
    candidates[i].erase(std::unique(candidates[i].begin(), candidates[i].end()),
                        candidates[i].end());
    wanted_versions.insert(candidates[i].begin(), candidates[i].end());
  }

  // Stored candidate versions and their features (verification needs the
  // shingle sets, which are recomputed from the stored texts).
  std::vector<uint64_t> version_ids(wanted_versions.begin(), wanted_versions.end());
  std::sort(version_ids.begin(), version_ids.end());
  absl::StatusOr<std::vector<std::optional<VersionRecord>>> loaded =
      store_->MultiGetVersions(version_ids);
  if (!loaded.ok()) return loaded.status();
  absl::flat_hash_map<uint64_t, size_t> version_index;
  std::vector<VersionRecord> stored_versions;
  for (size_t v = 0; v < version_ids.size(); ++v) {
    if (!(*loaded)[v].has_value()) {
      return absl::DataLossError(absl::StrCat("index points to missing version ",
                                              version_ids[v], "; run `newsdedup check`"));
    }
    version_index[version_ids[v]] = stored_versions.size();
    stored_versions.push_back(std::move(*(*loaded)[v]));
  }
  std::vector<TextFeatures> stored_features(stored_versions.size());
  ParallelFor(stored_versions.size(), threads_, [&](size_t begin, size_t end, int) {
    FeatureExtractor extractor(params_);
    for (size_t v = begin; v < end; ++v) {
      const VersionRecord& version = stored_versions[v];
      stored_features[v] = extractor.Extract(version.title, version.lede, version.body, "",
                                             /*with_band_keys=*/false);
    }
  });
  // A title carried by versions of many stories is a recurring feature.
  absl::flat_hash_map<uint64_t, absl::flat_hash_set<std::string>> stories_per_title;
  for (size_t v = 0; v < stored_versions.size(); ++v) {
    if (stored_features[v].title_hash != 0) {
      stories_per_title[stored_features[v].title_hash].insert(stored_versions[v].story_id);
    }
  }
  // So is one a single dump carries over several different texts (a
  // results page or a live blog listed night after night starts here).
  absl::flat_hash_map<uint64_t, absl::flat_hash_set<uint64_t>> texts_per_title;
  for (const TextFeatures& f : features) {
    if (f.title_hash != 0) texts_per_title[f.title_hash].insert(f.matching_hash);
  }
  auto weak_title = [&](uint64_t title_hash) {
    size_t seen = 0;
    if (const auto it = stories_per_title.find(title_hash); it != stories_per_title.end()) {
      seen += it->second.size();
    }
    if (const auto it = texts_per_title.find(title_hash); it != texts_per_title.end()) {
      seen += it->second.size();
    }
    return seen >= static_cast<size_t>(params_.weak_title_stories);
  };

  clock.EndStage("lookup");

  // Decide each item in order: against stored candidates and against the
  // earlier items of this dump (a story listed twice on one page).
  std::vector<Assignment> assignments(items.size());
  std::vector<FreshVersion> fresh_versions;
  // Canonical hash -> indexes in fresh_versions, to find an item's version.
  absl::flat_hash_map<uint64_t, std::vector<size_t>> fresh_by_text;
  // Earlier items by key (band, exact, title, URL), newest first: a map to
  // the newest occurrence and a chain through the older ones, so that a
  // million keys cost no million small vectors.
  struct Occurrence {
    uint32_t item;
    uint32_t older;  // Index in `occurrences`, or kNoOccurrence.
  };
  constexpr uint32_t kNoOccurrence = UINT32_MAX;
  std::vector<Occurrence> occurrences;
  absl::flat_hash_map<uint64_t, uint32_t> newest_occurrence;
  auto remember = [&](uint64_t key, size_t item) {
    auto [it, inserted] = newest_occurrence.try_emplace(key, kNoOccurrence);
    occurrences.push_back({static_cast<uint32_t>(item), it->second});
    it->second = static_cast<uint32_t>(occurrences.size() - 1);
  };
  absl::flat_hash_set<std::string> new_story_ids;
  for (size_t i = 0; i < items.size(); ++i) {
    const TextFeatures& item = features[i];
    // Every verified candidate, and the stories ruled out because one of
    // their versions conflicts with this item.
    struct Accepted {
      MatchEvidence evidence;
      std::string story;
      bool in_snapshot;
    };
    std::vector<Accepted> accepted;
    absl::flat_hash_set<std::string> vetoed;
    auto judge = [&](const TextFeatures& candidate, const std::string& story, bool in_snapshot) {
      const bool weak = weak_title(candidate.title_hash);
      if (Conflict(params_, item, candidate, weak)) {
        vetoed.insert(story);
        return;
      }
      const std::optional<MatchEvidence> evidence = Verify(params_, item, candidate, weak);
      if (evidence.has_value()) accepted.push_back({*evidence, story, in_snapshot});
    };
    for (uint64_t id : candidates[i]) {
      const size_t v = version_index.at(id);
      if (item.url_hash != 0 &&
          std::find((*url_hits)[i].begin(), (*url_hits)[i].end(), id) != (*url_hits)[i].end()) {
        // Found under the item's URL (stored features carry no URL).
        TextFeatures candidate = stored_features[v];
        candidate.url_hash = item.url_hash;
        judge(candidate, stored_versions[v].story_id, false);
      } else {
        judge(stored_features[v], stored_versions[v].story_id, false);
      }
    }
    // Earlier items of this snapshot sharing keys with this one: the newest
    // few per key, and of those the ones sharing the most keys, as for
    // stored candidates (a template repeated a thousand times in one dump
    // must not cost a million checks).
    absl::flat_hash_map<size_t, uint32_t> shared_keys;
    auto collect = [&](uint64_t key) {
      const auto it = newest_occurrence.find(key);
      if (it == newest_occurrence.end()) return;
      uint32_t at = it->second;
      for (size_t seen = 0; at != kNoOccurrence && seen < kMaxCandidatesPerKey; ++seen) {
        ++shared_keys[occurrences[at].item];
        at = occurrences[at].older;
      }
    };
    collect(item.matching_hash);
    if (item.url_hash != 0) collect(item.url_hash);
    if (item.title_hash != 0) collect(item.title_hash);
    for (uint64_t key : item.lead_band_keys) collect(key);
    for (uint64_t key : item.full_band_keys) collect(key);
    std::vector<std::pair<uint32_t, size_t>> earlier;  // (shared keys, item)
    for (const auto& [j, count] : shared_keys) {
      // Conflicts are cheap to check: every collected item may veto.
      if (Conflict(params_, item, features[j], weak_title(features[j].title_hash))) {
        vetoed.insert(assignments[j].story_id);
      } else {
        earlier.emplace_back(count, j);
      }
    }
    const size_t keep = std::min(earlier.size(), kMaxBandCandidates);
    std::partial_sort(earlier.begin(), earlier.begin() + keep, earlier.end(),
                      [](const auto& a, const auto& b) { return a > b; });
    earlier.resize(keep);
    std::sort(earlier.begin(), earlier.end(),
              [](const auto& a, const auto& b) { return a.second < b.second; });
    for (const auto& [count, j] : earlier) judge(features[j], assignments[j].story_id, true);
    // The strongest evidence for a story no candidate rules out; ties go to
    // the first found (stored before this snapshot's items).
    const Accepted* best = nullptr;
    for (const Accepted& candidate : accepted) {
      if (vetoed.contains(candidate.story)) continue;
      if (best == nullptr || candidate.evidence.Score() > best->evidence.Score()) {
        best = &candidate;
      }
    }
    // Index this item for the ones after it. Keys of different kinds live in
    // one map: 64-bit hashes of different things do not collide in practice,
    // and a collision only adds a candidate that Verify rejects.
    for (uint64_t key : {item.matching_hash, item.url_hash, item.title_hash}) {
      if (key != 0) remember(key, i);
    }
    for (uint64_t key : item.lead_band_keys) remember(key, i);
    for (uint64_t key : item.full_band_keys) remember(key, i);

    Assignment& assignment = assignments[i];
    if (best == nullptr) {
      assignment.story_id = StoryIdFor(++next.last_story_number);
      assignment.new_story = true;
      new_story_ids.insert(assignment.story_id);
    } else {
      assignment.story_id = best->story;
      assignment.evidence = best->evidence;
      assignment.matched_in_snapshot = best->in_snapshot;
    }
    // The item's version: an existing one of its story with the same
    // canonical text (stored or made earlier in this dump), else a new one.
    for (uint64_t id : candidates[i]) {
      const size_t v = version_index.at(id);
      if (stored_versions[v].story_id == assignment.story_id &&
          stored_features[v].canonical_hash == item.canonical_hash) {
        assignment.version_id = id;
      }
    }
    if (const auto fresh = fresh_by_text.find(item.canonical_hash); fresh != fresh_by_text.end()) {
      for (size_t f : fresh->second) {
        if (fresh_versions[f].record.story_id == assignment.story_id) {
          assignment.version_id = fresh_versions[f].record.id;
        }
      }
    }
    if (assignment.version_id == 0) {
      FreshVersion fresh;
      fresh.record.id = ++next.last_version_id;
      fresh.record.story_id = assignment.story_id;
      fresh.record.title = items[i].title;
      fresh.record.lede = items[i].lede;
      fresh.record.body = items[i].body;
      fresh.record.matching_hash = item.matching_hash;
      fresh.record.canonical_hash = item.canonical_hash;
      fresh.record.first_seen = request.captured_at;
      fresh.record.rule = std::string(MatchRuleName(assignment.evidence.rule));
      fresh.record.similarity = assignment.evidence.similarity;
      fresh.record.containment = assignment.evidence.containment;
      fresh.item = i;
      assignment.version_id = fresh.record.id;
      assignment.new_version = true;
      fresh_by_text[item.canonical_hash].push_back(fresh_versions.size());
      fresh_versions.push_back(std::move(fresh));
    }
  }

  // Stories touched by this snapshot, and the versions each is compared with.
  std::vector<std::string> touched_ids;
  for (const Assignment& a : assignments) {
    if (!new_story_ids.contains(a.story_id)) touched_ids.push_back(a.story_id);
  }
  std::sort(touched_ids.begin(), touched_ids.end());
  touched_ids.erase(std::unique(touched_ids.begin(), touched_ids.end()), touched_ids.end());
  absl::StatusOr<std::vector<std::optional<StoryRecord>>> touched =
      store_->MultiGetStories(touched_ids);
  if (!touched.ok()) return touched.status();
  absl::flat_hash_map<std::string, StoryRecord> stories;
  for (size_t s = 0; s < touched_ids.size(); ++s) {
    if (!(*touched)[s].has_value()) {
      return absl::DataLossError(absl::StrCat("version points to missing story ", touched_ids[s],
                                              "; run `newsdedup check`"));
    }
    stories[touched_ids[s]] = std::move(*(*touched)[s]);
  }
  // Base version of a known story: the last one seen in a snapshot of this
  // kind, else the last one seen at all.
  auto base_version_of = [&](const StoryRecord& story) -> uint64_t {
    const bool article = kind == "article";
    const uint64_t same_kind = article ? story.last_article_version : story.last_listing_version;
    if (same_kind != 0) return same_kind;
    const uint64_t other_kind = article ? story.last_listing_version : story.last_article_version;
    if (other_kind != 0) return other_kind;
    return story.versions.empty() ? 0 : story.versions.back();
  };
  // Also the article text of stories seen on a listing: it may stay their
  // canonical version.
  std::vector<uint64_t> missing_bases;
  for (const auto& [id, story] : stories) {
    for (uint64_t needed : {base_version_of(story), story.last_article_version}) {
      if (needed != 0 && !version_index.contains(needed)) missing_bases.push_back(needed);
    }
  }
  std::sort(missing_bases.begin(), missing_bases.end());
  missing_bases.erase(std::unique(missing_bases.begin(), missing_bases.end()),
                      missing_bases.end());
  absl::StatusOr<std::vector<std::optional<VersionRecord>>> bases =
      store_->MultiGetVersions(missing_bases);
  if (!bases.ok()) return bases.status();
  {
    FeatureExtractor extractor(params_);
    for (size_t b = 0; b < missing_bases.size(); ++b) {
      if (!(*bases)[b].has_value()) {
        return absl::DataLossError(absl::StrCat("story points to missing version ",
                                                missing_bases[b], "; run `newsdedup check`"));
      }
      const VersionRecord& version = *(*bases)[b];
      version_index[missing_bases[b]] = stored_versions.size();
      stored_features.push_back(
          extractor.Extract(version.title, version.lede, version.body, "", false));
      stored_versions.push_back(std::move(*(*bases)[b]));
    }
  }

  // Stories of the previous snapshot of this source and kind: who returned.
  absl::StatusOr<std::optional<SnapshotRecord>> previous =
      store_->PreviousSnapshot(request.source, kind, snapshot_id);
  if (!previous.ok()) return previous.status();
  absl::flat_hash_set<std::string> previous_stories;
  if (previous->has_value()) {
    absl::StatusOr<std::vector<ItemRecord>> previous_items =
        store_->GetSnapshotItems((*previous)->id);
    if (!previous_items.ok()) return previous_items.status();
    for (const ItemRecord& item : *previous_items) previous_stories.insert(item.story_id);
  }

  clock.EndStage("verify");

  SnapshotCommit commit;
  commit.snapshot.id = snapshot_id;
  commit.snapshot.source = request.source;
  commit.snapshot.captured_at = request.captured_at;
  commit.snapshot.file = request.file_name;
  commit.snapshot.content_hash = content_hash;
  commit.snapshot.kind = kind;
  commit.snapshot.format = std::string(DumpFormatName(dump->format));
  commit.snapshot.item_count = static_cast<uint32_t>(items.size());
  commit.snapshot.warnings = dump->warnings;

  absl::flat_hash_map<uint64_t, size_t> fresh_index;
  for (size_t f = 0; f < fresh_versions.size(); ++f) fresh_index[fresh_versions[f].record.id] = f;
  auto features_of = [&](uint64_t version_id) -> const TextFeatures& {
    const auto fresh = fresh_index.find(version_id);
    if (fresh != fresh_index.end()) return features[fresh_versions[fresh->second].item];
    return stored_features[version_index.at(version_id)];
  };

  // Stored versions seen again: last-seen time and snapshot list.
  absl::flat_hash_map<uint64_t, VersionRecord> seen_again;
  for (size_t i = 0; i < items.size(); ++i) {
    const Assignment& a = assignments[i];
    ItemRecord record;
    record.position = static_cast<uint32_t>(i);
    record.story_id = a.story_id;
    record.version_id = a.version_id;
    record.rule = a.matched_in_snapshot && !a.new_story && new_story_ids.contains(a.story_id)
                      ? "snapshot"
                      : std::string(MatchRuleName(a.evidence.rule));
    record.similarity = a.evidence.similarity;
    record.containment = a.evidence.containment;
    const auto story_it = stories.find(a.story_id);
    if (story_it == stories.end()) {
      record.status = "new";
    } else {
      const uint64_t base = base_version_of(story_it->second);
      record.previous_version_id = base;
      record.returned = previous->has_value() && !previous_stories.contains(a.story_id);
      if (base == a.version_id) {
        record.status = "unchanged";
      } else {
        record.status = "updated";
        const TextFeatures& before = features_of(base);
        const TextFeatures& after = features[i];
        record.change = std::string(ChangeClassName(ClassifyChange(before, after)));
        // Evidence against the version it changed from, as the report shows.
        std::optional<MatchEvidence> evidence = Verify(params_, after, before, false);
        if (evidence.has_value()) {
          record.similarity = evidence->similarity;
          record.containment = evidence->containment;
        }
      }
    }
    if (!a.new_version && !fresh_index.contains(a.version_id)) {
      auto [it, inserted] = seen_again.try_emplace(a.version_id);
      if (inserted) it->second = stored_versions[version_index.at(a.version_id)];
    }
    commit.items.push_back(std::move(record));
  }
  for (auto& [id, version] : seen_again) {
    version.last_seen = std::max(version.last_seen, request.captured_at);
    if (version.snapshots.empty() || version.snapshots.back() != snapshot_id) {
      version.snapshots.push_back(snapshot_id);
    }
    commit.versions.push_back(std::move(version));
  }
  size_t posting_count = 0;
  for (const FreshVersion& fresh : fresh_versions) {
    const TextFeatures& f = features[fresh.item];
    posting_count += 3 + f.lead_band_keys.size() + f.full_band_keys.size();
  }
  commit.postings.reserve(posting_count);
  for (FreshVersion& fresh : fresh_versions) {
    fresh.record.last_seen = request.captured_at;
    fresh.record.snapshots = {snapshot_id};
    const TextFeatures& f = features[fresh.item];
    commit.postings.push_back({IndexKind::kExactHash, f.matching_hash, fresh.record.id});
    if (f.title_hash != 0) {
      commit.postings.push_back({IndexKind::kTitleHash, f.title_hash, fresh.record.id});
    }
    if (f.url_hash != 0) commit.postings.push_back({IndexKind::kUrl, f.url_hash, fresh.record.id});
    for (const std::vector<uint64_t>* keys : {&f.lead_band_keys, &f.full_band_keys}) {
      for (uint64_t key : *keys) commit.postings.push_back({IndexKind::kLshBand, key, fresh.record.id});
    }
  }

  // Story records: new ones, and known ones with their times and versions.
  for (size_t i = 0; i < items.size(); ++i) {
    const Assignment& a = assignments[i];
    StoryRecord& story = stories[a.story_id];
    if (story.id.empty()) {
      story.id = a.story_id;
      story.first_seen = request.captured_at;
      story.first_snapshot = snapshot_id;
    }
    story.last_seen = std::max(story.last_seen, request.captured_at);
    story.last_snapshot = snapshot_id;
    if (story.url.empty() && !items[i].url.empty()) story.url = items[i].url;
    if (std::find(story.versions.begin(), story.versions.end(), a.version_id) ==
        story.versions.end()) {
      story.versions.push_back(a.version_id);
    }
    (kind == "article" ? story.last_article_version : story.last_listing_version) = a.version_id;
    // The canonical text is the newest, unless the story has a full article
    // page longer than this listing teaser.
    uint64_t canonical = a.version_id;
    if (kind == "listing" && story.last_article_version != 0 &&
        features_of(story.last_article_version).words > features_of(a.version_id).words) {
      canonical = story.last_article_version;
    }
    story.canonical_version = canonical;
    const uint64_t title_version = canonical;
    const auto fresh = fresh_index.find(title_version);
    story.title = fresh != fresh_index.end()
                      ? fresh_versions[fresh->second].record.title
                      : stored_versions[version_index.at(title_version)].title;
  }
  for (FreshVersion& fresh : fresh_versions) commit.versions.push_back(std::move(fresh.record));
  for (auto& [id, story] : stories) commit.stories.push_back(std::move(story));
  std::sort(commit.stories.begin(), commit.stories.end(),
            [](const StoryRecord& a, const StoryRecord& b) { return a.id < b.id; });
  std::sort(commit.versions.begin(), commit.versions.end(),
            [](const VersionRecord& a, const VersionRecord& b) { return a.id < b.id; });
  commit.counters = next;

  clock.EndStage("build");
  if (absl::Status status = store_->Commit(commit); !status.ok()) return status;
  clock.EndStage("commit");
  result.snapshot = std::move(commit.snapshot);
  return result;
}

}  // namespace newsdedup
