#include "store/ingest.h"

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <optional>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "core/matcher.h"
#include "core/parallel_for.h"
#include "core/similarity.h"
#include "core/story_resolver.h"
#include "core/template_texts.h"
#include "core/transition_pairing.h"
#include "core/utf8.h"
#include "store/source_learning.h"
#include "store/version_postings.h"
#include "xxhash.h"

namespace newsdedup {
namespace {

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

absl::Status MissingRecord(const std::string& what, const std::string& id) {
  return absl::DataLossError(absl::StrCat(what, " ", id, " is missing; run `newsdedup check`"));
}

SnapshotKind OtherKind(SnapshotKind kind) {
  return kind == SnapshotKind::kArticle ? SnapshotKind::kListing : SnapshotKind::kArticle;
}

// One ingest of one prepared dump, stage by stage; its state is the members.
class IngestRun {
 public:
  IngestRun(StoryStore* store, const MatchParams& params, int threads, PreparedDump prepared,
            const CommitRunner& commit_runner)
      : store_(store),
        params_(params),
        threads_(threads),
        prepared_(std::move(prepared)),
        commit_runner_(commit_runner) {}

  // Features, candidates and resolution, without records or a commit.
  absl::StatusOr<std::vector<ItemMatch>> MatchOnly() {
    ExtractFeatures();
    if (absl::Status s = FindCandidates(); !s.ok()) return s;
    if (absl::Status s = LoadTemplates(); !s.ok()) return s;
    Resolve();
    std::vector<ItemMatch> matches;
    for (const Resolution& resolution : resolutions_) {
      ItemMatch match;
      if (!resolution.new_story) match.story_id = StoryIdFor(stored_.stories[resolution.story].number);
      match.evidence = resolution.evidence;
      match.in_snapshot = resolution.in_snapshot;
      matches.push_back(std::move(match));
    }
    return matches;
  }

  // Each item's story; full features are completed for the items the
  // resolver compares.
  void Resolve() {
    resolutions_ = StoryResolver(params_, threads_)
                       .Resolve(features_, stored_,
                                [&](std::span<const uint32_t> compared, std::span<TextFeatures>) {
                                  CompleteFeatures(compared);
                                });
  }

  absl::StatusOr<IngestResult> Run() {
    IngestResult result;
    result.stage_seconds.emplace_back("parse", prepared_.parse_seconds);
    StageClock clock(&result.stage_seconds);
    if (absl::Status s = LearnPage(); !s.ok()) return s;
    clock.EndStage("page");
    ExtractFeatures();
    clock.EndStage("features");
    if (absl::Status s = FindCandidates(); !s.ok()) return s;
    if (absl::Status s = LoadTemplates(); !s.ok()) return s;
    clock.EndStage("candidates");
    Resolve();
    clock.EndStage("resolve");
    if (absl::Status s = PairTransitions(); !s.ok()) return s;
    clock.EndStage("transitions");
    if (absl::Status s = BuildRecords(); !s.ok()) return s;
    clock.EndStage("records");
    ReleaseWorkingState();
    const auto commit = [&] { return store_->Commit(commit_); };
    if (absl::Status s = commit_runner_ ? commit_runner_(commit_.snapshot, commit) : commit();
        !s.ok()) {
      return s;
    }
    clock.EndStage("commit");
    result.snapshot = std::move(commit_.snapshot);
    return result;
  }

 private:
  const std::vector<Item>& items() const { return prepared_.dump.items; }
  const IngestRequest& request() const { return prepared_.request; }
  SnapshotKind kind() const { return prepared_.kind; }

  // The commit holds everything it writes: the features, the loaded records
  // and the dump's texts go before it, so that its batch and memtables reuse
  // their memory (most of a big night's peak was both at once).
  void ReleaseWorkingState() {
    features_ = {};
    complete_ = {};
    stored_ = {};
    stored_version_records_ = {};
    stored_story_records_ = {};
    version_slot_ = {};
    story_slot_ = {};
    resolutions_ = {};
    stories_ = {};
    seen_ = {};
    prepared_.dump.items = {};
  }

  // --- page ---------------------------------------------------------------

  // An article page cut again with what the source's pages taught: its
  // boilerplate and its anchor (store/source_learning.h). A cut that loses
  // every paragraph keeps the first one.
  absl::Status LearnPage() {
    if (kind() != SnapshotKind::kArticle || prepared_.dump.page_lines.empty()) {
      return absl::OkStatus();
    }
    absl::StatusOr<LearnedPage> page =
        LearnArticlePage(store_, params_, request().source, prepared_.dump);
    if (!page.ok()) return page.status();
    learned_page_ = *std::move(page);
    const PageProfile& profile = learned_page_->profile;
    if (profile.boilerplate.empty() && !profile.anchor.has_value()) return absl::OkStatus();
    ParseOptions options = request().parse_options;
    options.format = prepared_.dump.format;
    options.known_boilerplate = &profile.boilerplate;
    options.anchor = profile.anchor;
    absl::StatusOr<ParsedDump> dump = ParseDump(request().bytes, options);
    if (dump.ok() && dump->items.size() == 1 && !dump->items[0].lede.empty()) {
      prepared_.dump = *std::move(dump);
    }
    return absl::OkStatus();
  }

  // --- features -----------------------------------------------------------

  // Sketches (what finds candidates) and version identities; the resolver
  // has the rest computed for the items it compares (CompleteFeatures).
  void ExtractFeatures() {
    features_.resize(items().size());
    ParallelFor(items().size(), threads_, [&](size_t begin, size_t end, int) {
      FeatureExtractor extractor(params_);
      for (size_t i = begin; i < end; ++i) {
        const Item& item = items()[i];
        features_[i] = extractor.ExtractSketch(item.title, item.lede, item.body, item.url,
                                               /*with_canonical_hash=*/true);
      }
    });
  }

  void CompleteFeatures(std::span<const uint32_t> compared) {
    complete_.assign(items().size(), false);
    ParallelFor(compared.size(), threads_, [&](size_t begin, size_t end, int) {
      FeatureExtractor extractor(params_);
      for (size_t k = begin; k < end; ++k) {
        const Item& item = items()[compared[k]];
        extractor.Complete(item.title, item.lede, item.body, &features_[compared[k]]);
      }
    });
    for (uint32_t i : compared) complete_[i] = true;
  }

  // The full features of item i, computed now if the resolver did not need
  // them (a report compares it with an older version of its story).
  const TextFeatures& ItemFeatures(size_t i) {
    if (!complete_[i]) {
      const Item& item = items()[i];
      FeatureExtractor(params_).Complete(item.title, item.lede, item.body, &features_[i]);
      complete_[i] = true;
    }
    return features_[i];
  }

  // --- candidates ---------------------------------------------------------

  // Looks up one index for all items in one batch: per item, the versions
  // found under its keys.
  absl::StatusOr<std::vector<std::vector<uint64_t>>> Lookup(
      IndexKind kind, const std::vector<std::vector<uint64_t>>& keys_per_item) const {
    std::vector<uint64_t> keys;
    for (const auto& item_keys : keys_per_item) keys.insert(keys.end(), item_keys.begin(), item_keys.end());
    std::vector<std::vector<uint64_t>> found(keys_per_item.size());
    if (keys.empty()) return found;
    absl::StatusOr<PostingLists> postings = store_->LookupPostingLists(
        kind, keys, static_cast<size_t>(params_.max_candidates_per_key));
    if (!postings.ok()) return postings.status();
    size_t next = 0;
    for (size_t item = 0; item < keys_per_item.size(); ++item) {
      const size_t first = next;
      next += keys_per_item[item].size();
      const auto ids = std::span<const uint64_t>(postings->ids)
                           .subspan(postings->begin[first], postings->begin[next] - postings->begin[first]);
      found[item].assign(ids.begin(), ids.end());
    }
    return found;
  }

  // Per item, the stored versions to verify. An item that repeats a stored
  // text exactly needs no similarity search.
  absl::StatusOr<std::vector<std::vector<uint64_t>>> CandidateIds() const {
    const size_t n = items().size();
    std::vector<std::vector<uint64_t>> exact_keys(n), url_keys(n), band_keys(n), title_keys(n);
    for (size_t i = 0; i < n; ++i) {
      exact_keys[i] = {features_[i].matching_hash};
      for (uint64_t url_key : {features_[i].url_hash, features_[i].url_key_hash}) {
        if (url_key != 0) url_keys[i].push_back(url_key);
      }
    }
    auto exact = Lookup(IndexKind::kExactHash, exact_keys);
    if (!exact.ok()) return exact.status();
    auto url = Lookup(IndexKind::kUrl, url_keys);
    if (!url.ok()) return url.status();
    for (size_t i = 0; i < n; ++i) {
      if (!(*exact)[i].empty()) continue;
      band_keys[i] = features_[i].lead_band_keys;
      band_keys[i].insert(band_keys[i].end(), features_[i].full_band_keys.begin(),
                          features_[i].full_band_keys.end());
      if (features_[i].title_hash != 0) title_keys[i] = {features_[i].title_hash};
    }
    auto bands = Lookup(IndexKind::kLshBand, band_keys);
    if (!bands.ok()) return bands.status();
    auto titles = Lookup(IndexKind::kTitleHash, title_keys);
    if (!titles.ok()) return titles.status();
    std::vector<std::vector<uint64_t>> ids(n);
    for (size_t i = 0; i < n; ++i) {
      ids[i] = RankBandCandidates(std::move((*bands)[i]),
                                  static_cast<size_t>(params_.max_verified_candidates));
      for (const auto* hits : {&*exact, &*url, &*titles}) {
        ids[i].insert(ids[i].end(), (*hits)[i].begin(), (*hits)[i].end());
      }
      // An article page's teaser, found by the page's lines, whatever the
      // page's headline.
      if (learned_page_.has_value() && learned_page_->profile.anchor_version != 0) {
        ids[i].push_back(learned_page_->profile.anchor_version);
      }
      std::sort(ids[i].begin(), ids[i].end());
      ids[i].erase(std::unique(ids[i].begin(), ids[i].end()), ids[i].end());
    }
    return ids;
  }

  // The index of a stored story in stored_, added (without its record) on
  // first sight.
  uint32_t StoredStorySlot(const std::string& story_id) {
    const auto [it, inserted] = story_slot_.try_emplace(story_id, stored_.stories.size());
    if (inserted) {
      stored_.stories.push_back({.number = StoryNumberOf(story_id), .versions = {}});
      stored_story_records_.emplace_back();
    }
    return it->second;
  }

  // Loads the versions of `ids` not loaded yet, with their features.
  absl::Status LoadVersions(std::vector<uint64_t> ids) {
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    std::erase_if(ids, [&](uint64_t id) { return version_slot_.contains(id); });
    absl::StatusOr<std::vector<std::optional<VersionRecord>>> loaded = store_->MultiGetVersions(ids);
    if (!loaded.ok()) return loaded.status();
    const size_t first = stored_.versions.size();
    for (size_t v = 0; v < ids.size(); ++v) {
      if (!(*loaded)[v].has_value()) return MissingRecord("version", absl::StrCat(ids[v]));
      version_slot_[ids[v]] = static_cast<uint32_t>(stored_.versions.size());
      StoredContext::Version version;
      version.id = ids[v];
      version.story = StoredStorySlot((*loaded)[v]->story_id);
      stored_.versions.push_back(std::move(version));
      stored_version_records_.push_back(std::move(*(*loaded)[v]));
    }
    ParallelFor(ids.size(), threads_, [&](size_t begin, size_t end, int) {
      FeatureExtractor extractor(params_);
      for (size_t v = first + begin; v < first + end; ++v) {
        const VersionRecord& record = stored_version_records_[v];
        // The record keeps its canonical hash and URL hash: recomputing the
        // canonical form of every loaded text was a pass of its own.
        stored_.versions[v].features =
            extractor.Extract(record.title, record.lede, record.body, "", /*with_band_keys=*/false,
                              /*with_canonical_hash=*/false);
        stored_.versions[v].features.canonical_hash = record.canonical_hash;
        stored_.versions[v].features.url_hash = record.url_hash;
        stored_.versions[v].features.url_key_hash = record.url_key_hash;
      }
    });
    return absl::OkStatus();
  }

  // Loads the records of stories added by LoadVersions since `first`.
  absl::Status LoadStories(size_t first) {
    std::vector<std::string> ids;
    for (size_t s = first; s < stored_.stories.size(); ++s) {
      ids.push_back(StoryIdFor(stored_.stories[s].number));
    }
    absl::StatusOr<std::vector<std::optional<StoryRecord>>> loaded = store_->MultiGetStories(ids);
    if (!loaded.ok()) return loaded.status();
    for (size_t s = 0; s < ids.size(); ++s) {
      if (!(*loaded)[s].has_value()) return MissingRecord("story", ids[s]);
      stored_story_records_[first + s] = std::move(*(*loaded)[s]);
    }
    return absl::OkStatus();
  }

  // Candidate versions, the stories they belong to, and the newest versions
  // of those stories (every one of which may veto an item joining them).
  absl::Status FindCandidates() {
    absl::StatusOr<std::vector<std::vector<uint64_t>>> ids = CandidateIds();
    if (!ids.ok()) return ids.status();
    std::vector<uint64_t> all;
    for (const auto& item_ids : *ids) all.insert(all.end(), item_ids.begin(), item_ids.end());
    if (absl::Status s = LoadVersions(all); !s.ok()) return s;
    if (absl::Status s = LoadStories(0); !s.ok()) return s;
    std::vector<uint64_t> story_versions;
    const size_t cap = static_cast<size_t>(params_.max_story_versions_checked);
    for (const StoryRecord& story : stored_story_records_) {
      const size_t keep = std::min(cap, story.versions.size());
      story_versions.insert(story_versions.end(), story.versions.end() - keep, story.versions.end());
    }
    const size_t stories_before = stored_.stories.size();
    if (absl::Status s = LoadVersions(story_versions); !s.ok()) return s;
    if (stored_.stories.size() != stories_before) {
      return absl::DataLossError("a story lists a version of another story; run `newsdedup check`");
    }
    for (size_t s = 0; s < stored_story_records_.size(); ++s) {
      const std::vector<uint64_t>& versions = stored_story_records_[s].versions;
      for (size_t k = 0; k < std::min(cap, versions.size()); ++k) {
        stored_.stories[s].versions.push_back(version_slot_.at(versions[versions.size() - 1 - k]));
      }
    }
    stored_.candidates.resize(ids->size());
    for (size_t i = 0; i < ids->size(); ++i) {
      for (uint64_t id : (*ids)[i]) stored_.candidates[i].push_back(version_slot_.at(id));
    }
    return absl::OkStatus();
  }

  // What the store learned of this source's titles and ledes.
  absl::Status LoadTemplates() {
    absl::StatusOr<SourceTemplates> templates =
        LoadSourceTemplates(store_, request().source, features_);
    if (!templates.ok()) return templates.status();
    stored_.templates = *std::move(templates);
    return absl::OkStatus();
  }

  // --- transitions --------------------------------------------------------

  // A story of the previous listing capture that no listing of this capture
  // shows, with where it stood there.
  struct Departure {
    std::string story_id;
    uint32_t position = 0;
    uint32_t listing_items = 1;
  };

  // Story ids this capture's listings show: this dump's stored stories and
  // those of the capture's listings ingested before it.
  absl::StatusOr<absl::flat_hash_set<std::string>> ShownNow() const {
    absl::flat_hash_set<std::string> shown;
    for (const Resolution& r : resolutions_) {
      if (!r.new_story) shown.insert(StoryIdFor(stored_.stories[r.story].number));
    }
    absl::StatusOr<std::vector<SnapshotRecord>> capture =
        store_->SnapshotsAt(request().source, SnapshotKind::kListing, request().captured_at);
    if (!capture.ok()) return capture.status();
    for (const SnapshotRecord& snapshot : *capture) {
      absl::StatusOr<std::vector<ItemRecord>> items = store_->GetSnapshotItems(snapshot.id);
      if (!items.ok()) return items.status();
      for (const ItemRecord& item : *items) shown.insert(item.story_id);
    }
    return shown;
  }

  absl::StatusOr<std::vector<Departure>> Departures() const {
    std::vector<Departure> departures;
    absl::StatusOr<std::optional<std::string>> previous = store_->PreviousCaptureTime(
        request().source, SnapshotKind::kListing, request().captured_at);
    if (!previous.ok()) return previous.status();
    if (!previous->has_value()) return departures;
    absl::StatusOr<std::vector<SnapshotRecord>> snapshots =
        store_->SnapshotsAt(request().source, SnapshotKind::kListing, **previous);
    if (!snapshots.ok()) return snapshots.status();
    absl::StatusOr<absl::flat_hash_set<std::string>> shown = ShownNow();
    if (!shown.ok()) return shown.status();
    for (const SnapshotRecord& snapshot : *snapshots) {
      absl::StatusOr<std::vector<ItemRecord>> items = store_->GetSnapshotItems(snapshot.id);
      if (!items.ok()) return items.status();
      for (const ItemRecord& item : *items) {
        if (!shown->insert(item.story_id).second) continue;
        departures.push_back({item.story_id, item.position, snapshot.item_count});
      }
    }
    return departures;
  }

  // The departed stories' texts of their last listing appearance in this
  // source, loaded as stored versions; per departure, their slots.
  absl::StatusOr<std::vector<std::vector<uint32_t>>> LoadDeparted(
      const std::vector<Departure>& departures) {
    std::vector<std::string> ids;
    for (const Departure& d : departures) ids.push_back(d.story_id);
    absl::StatusOr<std::vector<std::optional<StoryRecord>>> stories = store_->MultiGetStories(ids);
    if (!stories.ok()) return stories.status();
    std::vector<std::vector<uint64_t>> versions(departures.size());
    std::vector<uint64_t> all;
    for (size_t d = 0; d < departures.size(); ++d) {
      if (!(*stories)[d].has_value()) return MissingRecord("story", ids[d]);
      const StoryAppearance* appearance =
          (*stories)[d]->FindAppearance(request().source, SnapshotKind::kListing);
      if (appearance != nullptr) versions[d] = appearance->versions;
      all.insert(all.end(), versions[d].begin(), versions[d].end());
    }
    const size_t first_story = stored_.stories.size();
    if (absl::Status s = LoadVersions(all); !s.ok()) return s;
    if (absl::Status s = LoadStories(first_story); !s.ok()) return s;
    std::vector<std::vector<uint32_t>> slots(departures.size());
    for (size_t d = 0; d < departures.size(); ++d) {
      for (uint64_t v : versions[d]) slots[d].push_back(version_slot_.at(v));
    }
    return slots;
  }

  // Per story this dump starts, its items in dump order.
  std::vector<std::vector<uint32_t>> NewStoryItems() const {
    std::vector<std::vector<uint32_t>> items;
    for (uint32_t i = 0; i < resolutions_.size(); ++i) {
      const Resolution& r = resolutions_[i];
      if (!r.new_story) continue;
      if (r.story >= items.size()) items.resize(r.story + 1);
      items[r.story].push_back(i);
    }
    return items;
  }

  // Stories that left the listing, paired with stories this snapshot starts
  // (core/transition_pairing.h): each pair's items join the departed story.
  absl::Status PairTransitions() {
    if (kind() != SnapshotKind::kListing) return absl::OkStatus();
    const std::vector<std::vector<uint32_t>> arrivals = NewStoryItems();
    if (arrivals.empty()) return absl::OkStatus();
    absl::StatusOr<std::vector<Departure>> departures = Departures();
    if (!departures.ok()) return departures.status();
    if (departures->empty()) return absl::OkStatus();
    absl::StatusOr<std::vector<std::vector<uint32_t>>> departed = LoadDeparted(*departures);
    if (!departed.ok()) return departed.status();
    std::vector<TransitionSide> departed_sides(departures->size()), arrival_sides(arrivals.size());
    for (size_t d = 0; d < departed_sides.size(); ++d) {
      for (uint32_t slot : (*departed)[d]) {
        departed_sides[d].texts.push_back(&stored_.versions[slot].features);
      }
      departed_sides[d].position = (*departures)[d].position;
      departed_sides[d].listing_items = (*departures)[d].listing_items;
    }
    for (size_t a = 0; a < arrivals.size(); ++a) {
      for (uint32_t i : arrivals[a]) arrival_sides[a].texts.push_back(&ItemFeatures(i));
      arrival_sides[a].position = arrivals[a].front();
      arrival_sides[a].listing_items = static_cast<uint32_t>(items().size());
    }
    std::erase_if(departed_sides, [](const TransitionSide& side) { return side.texts.empty(); });
    const std::vector<TransitionPair> pairs =
        newsdedup::PairTransitions(params_, departed_sides, arrival_sides,
                                   TemplateTexts(params_, features_, stored_.templates),
                                   {.threads = threads_});
    ApplyTransitions(pairs, *departures, *departed, arrivals);
    return absl::OkStatus();
  }

  // The paired arrivals' items join their departed stories; the stories
  // this dump still starts are numbered again in dump order.
  void ApplyTransitions(const std::vector<TransitionPair>& pairs,
                        const std::vector<Departure>& departures,
                        const std::vector<std::vector<uint32_t>>& departed,
                        const std::vector<std::vector<uint32_t>>& arrivals) {
    if (pairs.empty()) return;
    // Departures without texts were left out of the sides: map back.
    std::vector<size_t> departure_of;
    for (size_t d = 0; d < departures.size(); ++d) {
      if (!departed[d].empty()) departure_of.push_back(d);
    }
    for (const TransitionPair& pair : pairs) {
      const size_t d = departure_of[pair.departed];
      const uint32_t story = story_slot_.at(departures[d].story_id);
      const TextFeatures& before = stored_.versions[departed[d].front()].features;
      for (uint32_t i : arrivals[pair.arrival]) {
        Resolution& r = resolutions_[i];
        r.new_story = false;
        r.story = story;
        r.in_snapshot = false;
        r.evidence = MatchEvidence{.rule = MatchRule::kTransition,
                                   .similarity = Jaccard(ItemFeatures(i).full, before.full),
                                   .containment = 0,
                                   .title_similarity = pair.evidence.title_similarity};
        transitions_[i] = pair.evidence;
      }
    }
    std::vector<uint32_t> renumbered(arrivals.size(), UINT32_MAX);
    uint32_t next = 0;
    for (Resolution& r : resolutions_) {
      if (!r.new_story) continue;
      if (renumbered[r.story] == UINT32_MAX) renumbered[r.story] = next++;
      r.story = renumbered[r.story];
    }
  }

  // --- records --------------------------------------------------------------

  absl::Status BuildRecords() {
    absl::StatusOr<StoreCounters> counters = store_->GetCounters();
    if (!counters.ok()) return counters.status();
    counters_ = *counters;
    snapshot_id_ = ++counters_.last_snapshot_id;
    AssignStories();
    AssignVersions();
    absl::StatusOr<std::optional<std::string>> previous =
        store_->PreviousCaptureTime(request().source, kind(), request().captured_at);
    if (!previous.ok()) return previous.status();
    previous_capture_ = *previous;
    if (absl::Status s = LoadPastAppearances(); !s.ok()) return s;
    if (absl::Status s = LoadBaseVersions(); !s.ok()) return s;
    BuildSnapshot();
    BuildItems();
    BuildVersions();
    BuildPostings();
    BuildSourceTexts();  // Before BuildStories moves the story records.
    BuildStories();
    commit_.counters = counters_;
    return absl::OkStatus();
  }

  // What this snapshot teaches about its source: a listing's titles and
  // ledes, an article page's lines counting its story.
  void BuildSourceTexts() {
    if (kind() == SnapshotKind::kListing) {
      commit_.source_texts = TemplateUpdates(params_, stored_.templates, features_);
    } else if (learned_page_.has_value() && !item_story_.empty()) {
      commit_.source_texts = PageLineUpdates(*learned_page_, prepared_.dump.page_lines,
                                             StoryNumberOf(stories_[item_story_[0]].id));
    }
  }

  // Each item's story: a stored one, or one this dump starts (numbered in
  // dump order).
  void AssignStories() {
    const size_t stored_count = stored_.stories.size();
    stories_ = stored_story_records_;
    for (const Resolution& r : resolutions_) {
      if (!r.new_story || stored_count + r.story < stories_.size()) continue;
      StoryRecord story;
      story.id = StoryIdFor(++counters_.last_story_number);
      story.first_seen = request().captured_at;
      story.first_source = request().source;
      story.first_snapshot = snapshot_id_;
      stories_.push_back(std::move(story));
    }
    item_story_.resize(items().size());
    for (size_t i = 0; i < items().size(); ++i) {
      const Resolution& r = resolutions_[i];
      item_story_[i] = r.new_story ? stored_count + r.story : r.story;
    }
  }

  // Each item's version: one of its story with the same canonical text
  // (stored, or made earlier in this dump), else a new one.
  void AssignVersions() {
    item_version_.resize(items().size());
    absl::flat_hash_map<std::pair<size_t, uint64_t>, uint64_t> fresh_by_text;
    for (size_t i = 0; i < items().size(); ++i) {
      const size_t story = item_story_[i];
      const uint64_t text = features_[i].canonical_hash;
      uint64_t version = 0;
      for (uint32_t v : stored_.candidates[i]) {
        if (stored_.versions[v].story == story && stored_.versions[v].features.canonical_hash == text) {
          version = stored_.versions[v].id;
        }
      }
      if (const auto fresh = fresh_by_text.find({story, text});
          version == 0 && fresh != fresh_by_text.end()) {
        version = fresh->second;
      }
      if (version == 0) {
        version = ++counters_.last_version_id;
        fresh_by_text[{story, text}] = version;
        fresh_item_[version] = i;
        fresh_versions_.push_back(version);
      }
      item_version_[i] = version;
    }
  }

  // A capture older than the source's latest (--allow-past) is compared with
  // the capture before it in time, not with the stories' last appearances,
  // which came after it: each story's versions in that capture, from its
  // items.
  absl::Status LoadPastAppearances() {
    const std::string& at = request().captured_at;
    const bool past = std::any_of(stories_.begin(), stories_.end(), [&](const StoryRecord& s) {
      const StoryAppearance* last = s.FindAppearance(request().source, kind());
      return last != nullptr && last->captured_at > at;
    });
    if (!past || !previous_capture_.has_value()) return absl::OkStatus();
    absl::StatusOr<std::vector<SnapshotRecord>> capture =
        store_->SnapshotsAt(request().source, kind(), *previous_capture_);
    if (!capture.ok()) return capture.status();
    for (const SnapshotRecord& snapshot : *capture) {
      absl::StatusOr<std::vector<ItemRecord>> items = store_->GetSnapshotItems(snapshot.id);
      if (!items.ok()) return items.status();
      for (const ItemRecord& item : *items) {
        StoryAppearance& appearance = past_appearances_[item.story_id];
        appearance = {.source = request().source, .kind = kind(), .snapshot = snapshot.id,
                      .captured_at = snapshot.captured_at, .versions = appearance.versions};
        appearance.versions.push_back(item.version_id);
      }
    }
    for (auto& [story, appearance] : past_appearances_) {
      std::vector<uint64_t>& v = appearance.versions;
      std::sort(v.begin(), v.end());
      v.erase(std::unique(v.begin(), v.end()), v.end());
    }
    return absl::OkStatus();
  }

  // The versions a story's state is compared with, and article texts that may
  // stay its canonical version, when not loaded yet.
  absl::Status LoadBaseVersions() {
    std::vector<uint64_t> wanted;
    std::vector<char> joined(stories_.size(), false);
    for (size_t story : item_story_) joined[story] = true;
    for (size_t s = 0; s < stored_.stories.size(); ++s) {
      if (!joined[s]) continue;
      if (const auto past = past_appearances_.find(stories_[s].id); past != past_appearances_.end()) {
        wanted.insert(wanted.end(), past->second.versions.begin(), past->second.versions.end());
      }
      for (const StoryAppearance& appearance : stories_[s].appearances) {
        if (appearance.source == request().source || appearance.kind == SnapshotKind::kArticle) {
          wanted.insert(wanted.end(), appearance.versions.begin(), appearance.versions.end());
        }
      }
    }
    const size_t stories_before = stored_.stories.size();
    if (absl::Status s = LoadVersions(wanted); !s.ok()) return s;
    if (stored_.stories.size() != stories_before) {
      return absl::DataLossError("a story's appearance names a version of another story");
    }
    return absl::OkStatus();
  }

  const TextFeatures& VersionFeatures(uint64_t version) {
    if (const auto fresh = fresh_item_.find(version); fresh != fresh_item_.end()) {
      return ItemFeatures(fresh->second);
    }
    return stored_.versions[version_slot_.at(version)].features;
  }

  // The appearance a story's state here is compared with: its last in this
  // source and kind, else in this source's other kind (an article page
  // against its listing teaser); null when this source never showed it. For
  // a capture older than that last appearance, the story in the capture
  // before this one (LoadPastAppearances), if it was there.
  const StoryAppearance* BaseAppearance(const StoryRecord& story) const {
    const std::string& at = request().captured_at;
    const StoryAppearance* same = story.FindAppearance(request().source, kind());
    if (same != nullptr && same->captured_at > at) {
      const auto past = past_appearances_.find(story.id);
      return past == past_appearances_.end() ? nullptr : &past->second;
    }
    if (same != nullptr) return same;
    const StoryAppearance* other = story.FindAppearance(request().source, OtherKind(kind()));
    return other != nullptr && other->captured_at <= at ? other : nullptr;
  }

  void BuildSnapshot() {
    SnapshotRecord& s = commit_.snapshot;
    s.id = snapshot_id_;
    s.source = request().source;
    s.captured_at = request().captured_at;
    s.file = request().file_name;
    s.content_hash = prepared_.content_hash;
    s.kind = kind();
    s.format = prepared_.dump.format;
    s.item_count = static_cast<uint32_t>(items().size());
    s.warnings = prepared_.dump.warnings;
  }

  // Sorted distinct versions of each story seen in this dump.
  std::vector<std::vector<uint64_t>> SeenVersions() const {
    std::vector<std::vector<uint64_t>> seen(stories_.size());
    for (size_t i = 0; i < items().size(); ++i) seen[item_story_[i]].push_back(item_version_[i]);
    for (auto& versions : seen) {
      std::sort(versions.begin(), versions.end());
      versions.erase(std::unique(versions.begin(), versions.end()), versions.end());
    }
    return seen;
  }

  // Of the versions seen last time, the one closest to `version` (by the
  // larger of Jaccard and containment: a teaser is closest to its article).
  uint64_t ClosestVersion(uint64_t version, std::span<const uint64_t> before) {
    if (std::find(before.begin(), before.end(), version) != before.end()) return version;
    uint64_t best = before.front();
    double best_score = -1;
    const ShingleSet& after = VersionFeatures(version).full;
    for (uint64_t candidate : before) {
      const ShingleSet& other = VersionFeatures(candidate).full;
      const bool other_smaller = other.size() < after.size();
      const double score =
          std::max(Jaccard(other, after), other_smaller ? Containment(other, after)
                                                        : Containment(after, other));
      if (score > best_score) best = candidate, best_score = score;
    }
    return best;
  }

  void BuildItems() {
    seen_ = SeenVersions();
    for (size_t i = 0; i < items().size(); ++i) {
      const Resolution& r = resolutions_[i];
      const StoryRecord& story = stories_[item_story_[i]];
      ItemRecord item;
      item.position = static_cast<uint32_t>(i);
      item.story_id = story.id;
      item.version_id = item_version_[i];
      item.rule = r.evidence.rule;
      item.in_snapshot = r.in_snapshot;
      item.similarity = r.evidence.similarity;
      item.containment = r.evidence.containment;
      if (const auto t = transitions_.find(static_cast<uint32_t>(i)); t != transitions_.end()) {
        item.transition = t->second;
      }
      const StoryAppearance* base = BaseAppearance(story);
      item.status = CompareVersionSets(
          seen_[item_story_[i]], base ? std::optional<std::span<const uint64_t>>(base->versions)
                                      : std::nullopt);
      if (base != nullptr) DescribeChange(*base, &item);
      commit_.items.push_back(std::move(item));
    }
  }

  // The previous version an item is compared with, and how it changed.
  void DescribeChange(const StoryAppearance& base, ItemRecord* item) {
    item->previous_version_id = ClosestVersion(item->version_id, base.versions);
    item->previous_versions = base.versions;
    item->returned = base.kind == kind() && previous_capture_.has_value() &&
                     base.captured_at < *previous_capture_;
    if (item->previous_version_id == item->version_id) return;
    const TextFeatures& before = VersionFeatures(item->previous_version_id);
    const TextFeatures& after = VersionFeatures(item->version_id);
    item->change = ClassifyChange(params_, before, after);
    // Only transition pairing saw them as one: the text was rewritten.
    if (item->rule == MatchRule::kTransition && item->change == ChangeClass::kEdited) {
      item->change = ChangeClass::kRewritten;
    }
    // The evidence against the version it changed from, as the report shows.
    if (std::optional<MatchEvidence> evidence = Verify(params_, after, before, false)) {
      item->similarity = evidence->similarity;
      item->containment = evidence->containment;
    }
  }

  // New versions with their texts, and stored ones seen again.
  void BuildVersions() {
    absl::flat_hash_map<uint64_t, VersionRecord> seen_again;
    for (size_t i = 0; i < items().size(); ++i) {
      const uint64_t id = item_version_[i];
      if (fresh_item_.contains(id) || seen_again.contains(id)) continue;
      VersionRecord version = stored_version_records_[version_slot_.at(id)];
      // min and max: a capture ingested out of order (--allow-past).
      version.first_seen = std::min(version.first_seen, request().captured_at);
      version.last_seen = std::max(version.last_seen, request().captured_at);
      version.snapshots.push_back(snapshot_id_);
      seen_again.emplace(id, std::move(version));
    }
    for (auto& [id, version] : seen_again) commit_.versions.push_back(std::move(version));
    for (uint64_t id : fresh_versions_) {
      const size_t i = fresh_item_.at(id);
      VersionRecord version;
      version.id = id;
      version.story_id = stories_[item_story_[i]].id;
      version.title = items()[i].title;
      version.lede = items()[i].lede;
      version.body = items()[i].body;
      version.matching_hash = features_[i].matching_hash;
      version.canonical_hash = features_[i].canonical_hash;
      version.url_hash = features_[i].url_hash;
      version.url_key_hash = features_[i].url_key_hash;
      version.first_seen = version.last_seen = request().captured_at;
      version.snapshots = {snapshot_id_};
      version.rule = resolutions_[i].evidence.rule;
      version.similarity = resolutions_[i].evidence.similarity;
      version.containment = resolutions_[i].evidence.containment;
      commit_.versions.push_back(std::move(version));
    }
    std::sort(commit_.versions.begin(), commit_.versions.end(),
              [](const VersionRecord& a, const VersionRecord& b) { return a.id < b.id; });
  }

  // In version order: a posting list keeps its ids oldest first.
  void BuildPostings() {
    for (uint64_t id : fresh_versions_) {
      AppendVersionPostings(features_[fresh_item_.at(id)], id, &commit_.postings);
    }
  }

  // The longest article text of a story, by words; 0 if it has none.
  uint64_t LongestArticleVersion(const StoryRecord& story) {
    uint64_t best = 0;
    for (const StoryAppearance& appearance : story.appearances) {
      if (appearance.kind != SnapshotKind::kArticle) continue;
      for (uint64_t v : appearance.versions) {
        if (best == 0 || VersionFeatures(v).words > VersionFeatures(best).words) best = v;
      }
    }
    return best;
  }

  // Times, versions, this source and kind's appearance, canonical version.
  void UpdateStory(size_t slot, uint64_t newest_version, StoryRecord* story) {
    const std::string& at = request().captured_at;
    // A capture older than the story's last sighting (--allow-past) moves
    // its first sighting at most; its last one and its newest text stay.
    const bool latest = story->last_seen <= at;
    story->first_seen = story->first_seen.empty() ? at : std::min(story->first_seen, at);
    story->last_seen = std::max(story->last_seen, at);
    if (latest) story->last_snapshot = snapshot_id_;
    for (uint64_t v : seen_[slot]) {
      if (std::find(story->versions.begin(), story->versions.end(), v) == story->versions.end()) {
        story->versions.push_back(v);
      }
    }
    StoryAppearance* appearance = story->FindAppearance(request().source, kind());
    if (appearance == nullptr) {
      story->appearances.push_back({.source = request().source, .kind = kind()});
      appearance = &story->appearances.back();
    }
    if (appearance->captured_at <= at) {
      *appearance = {.source = request().source, .kind = kind(), .snapshot = snapshot_id_,
                     .captured_at = at, .versions = seen_[slot]};
    }
    // The newest text, unless an article page of the story is longer than
    // this listing teaser.
    if (!latest) return;
    story->canonical_version = newest_version;
    const uint64_t article = LongestArticleVersion(*story);
    if (kind() == SnapshotKind::kListing && article != 0 &&
        VersionFeatures(article).words > VersionFeatures(newest_version).words) {
      story->canonical_version = article;
    }
  }

  void BuildStories() {
    std::vector<uint64_t> newest(stories_.size(), 0);
    for (size_t i = 0; i < items().size(); ++i) {
      newest[item_story_[i]] = item_version_[i];
      if (stories_[item_story_[i]].url.empty()) stories_[item_story_[i]].url = items()[i].url;
    }
    for (size_t slot = 0; slot < stories_.size(); ++slot) {
      if (newest[slot] == 0) continue;  // A candidate no item joined.
      StoryRecord& story = stories_[slot];
      UpdateStory(slot, newest[slot], &story);
      const uint64_t canonical = story.canonical_version;
      story.title = fresh_item_.contains(canonical)
                        ? items()[fresh_item_.at(canonical)].title
                        : stored_version_records_[version_slot_.at(canonical)].title;
      commit_.stories.push_back(std::move(story));
    }
    std::sort(commit_.stories.begin(), commit_.stories.end(),
              [](const StoryRecord& a, const StoryRecord& b) { return a.id < b.id; });
  }

  StoryStore* const store_;
  const MatchParams& params_;
  const int threads_;
  PreparedDump prepared_;
  const CommitRunner& commit_runner_;

  std::optional<LearnedPage> learned_page_;  // An article page's profile.
  std::vector<TextFeatures> features_;  // Per item: sketches, completed as needed.
  std::vector<char> complete_;           // Per item: features_ holds everything.
  // Stored versions and stories this ingest looked at (stored_ holds their
  // features for the resolver; the records are parallel to it).
  StoredContext stored_;
  std::vector<VersionRecord> stored_version_records_;
  std::vector<StoryRecord> stored_story_records_;
  absl::flat_hash_map<uint64_t, uint32_t> version_slot_;     // Id -> index.
  absl::flat_hash_map<std::string, uint32_t> story_slot_;    // Id -> index.
  std::vector<Resolution> resolutions_;  // Per item.
  // Items that transition pairing tied to a departed story, with why.
  absl::flat_hash_map<uint32_t, TransitionEvidence> transitions_;

  StoreCounters counters_;  // As they will be after this snapshot.
  uint64_t snapshot_id_ = 0;
  // Stories touched: the stored ones (as loaded, indexes of stored_), then
  // those this dump starts.
  std::vector<StoryRecord> stories_;
  std::vector<size_t> item_story_;     // Per item, an index in stories_.
  std::vector<uint64_t> item_version_;  // Per item.
  absl::flat_hash_map<uint64_t, size_t> fresh_item_;  // New version -> item.
  std::vector<uint64_t> fresh_versions_;               // New versions, ascending.
  std::vector<std::vector<uint64_t>> seen_;  // Per story, versions seen here.
  std::optional<std::string> previous_capture_;  // Of this source and kind.
  // Story id -> its versions in the previous capture, for a capture older
  // than the stories' last appearances (--allow-past); else empty.
  absl::flat_hash_map<std::string, StoryAppearance> past_appearances_;
  SnapshotCommit commit_;
};

}  // namespace

std::string ContentHash(std::string_view bytes) {
  return absl::StrFormat("%016x", XXH3_64bits(bytes.data(), bytes.size()));
}

std::string StoryIdFor(uint64_t number) { return absl::StrFormat("s-%06d", number); }

uint64_t StoryNumberOf(std::string_view story_id) {
  uint64_t number = 0;
  if (story_id.size() < 3 || story_id.substr(0, 2) != "s-") return 0;
  const std::string_view digits = story_id.substr(2);
  return absl::SimpleAtoi(absl::string_view(digits.data(), digits.size()), &number) ? number : 0;
}

Ingester::Ingester(StoryStore* store, const MatchParams& params, int threads)
    : store_(store), params_(params), threads_(ResolveThreads(threads)) {}

absl::Status CheckSourceName(std::string_view source) {
  const bool control = std::any_of(source.begin(), source.end(), [](char c) {
    return static_cast<unsigned char>(c) < 0x20 || c == 0x7F;
  });
  if (source.empty() || control || !IsValidUtf8(source)) {
    return absl::InvalidArgumentError(
        "a source name must be non-empty valid UTF-8 without control characters");
  }
  return absl::OkStatus();
}

absl::StatusOr<PreparedDump> Ingester::Prepare(IngestRequest request) {
  const auto start = std::chrono::steady_clock::now();
  // Everything stored reaches JSON reports, which need valid UTF-8: the
  // source is refused, a file name (which may be any bytes) repaired.
  if (absl::Status status = CheckSourceName(request.source); !status.ok()) return status;
  if (!IsValidUtf8(request.file_name)) {
    std::string repaired;
    RepairUtf8(request.file_name, &repaired);
    request.file_name = std::move(repaired);
  }
  PreparedDump prepared;
  prepared.content_hash = ContentHash(request.bytes);
  absl::StatusOr<ParsedDump> dump = ParseDump(request.bytes, request.parse_options);
  if (!dump.ok()) return dump.status();
  prepared.dump = *std::move(dump);
  prepared.kind = prepared.dump.kind;
  prepared.request = std::move(request);
  prepared.parse_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (absl::Status checked = CheckDumpContent(prepared); !checked.ok()) return checked;
  return prepared;
}

absl::StatusOr<IngestResult> Ingester::Ingest(PreparedDump prepared) {
  const IngestRequest& request = prepared.request;
  absl::StatusOr<std::optional<SnapshotRecord>> existing =
      store_->FindSnapshot(request.source, request.captured_at, prepared.content_hash);
  if (!existing.ok()) return existing.status();
  if (existing->has_value()) {
    return IngestResult{.already_ingested = true, .snapshot = **existing, .stage_seconds = {}};
  }
  if (absl::Status checked = IngestChecker(store_).Check(prepared); !checked.ok()) return checked;
  return IngestRun(store_, params_, threads_, std::move(prepared), commit_runner_).Run();
}

absl::StatusOr<std::vector<ItemMatch>> Ingester::Match(ParsedDump dump) const {
  PreparedDump prepared;
  prepared.dump = std::move(dump);
  return IngestRun(store_, params_, threads_, std::move(prepared), CommitRunner()).MatchOnly();
}

absl::StatusOr<IngestResult> Ingester::Ingest(const IngestRequest& request) {
  absl::StatusOr<PreparedDump> prepared = Prepare(request);
  if (!prepared.ok()) return prepared.status();
  return Ingest(*std::move(prepared));
}

}  // namespace newsdedup
