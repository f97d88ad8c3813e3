#include "store/source_learning.h"

#include <algorithm>
#include <tuple>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "core/shingler.h"
#include "store/ingest.h"

namespace newsdedup {
namespace {

// Lines that may be a title: a word or a paragraph is not.
constexpr int kMinTitleWords = 3;
constexpr int kMaxTitleWords = 40;

// Title-index keys to look up for a page, each with the page line it is for:
// the lines that may be a title, and the titles that came with the lines
// that are a lede of the source (its listings' lede histories name them).
struct TeaserKeys {
  std::vector<uint64_t> keys;
  std::vector<size_t> lines;
  std::vector<TeaserLine> by;

  void Add(uint64_t key, size_t line, TeaserLine how) {
    keys.push_back(key);
    lines.push_back(line);
    by.push_back(how);
  }
};

absl::StatusOr<TeaserKeys> TeaserKeysOf(StoryStore* store, const MatchParams& params,
                                        const std::string& source,
                                        const std::vector<PageLine>& lines) {
  TeaserKeys found;
  std::vector<uint64_t> lede_hashes;  // Of the lines that may be a lede: no word or menu.
  std::vector<size_t> lede_lines;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].words < kMinTitleWords) continue;
    lede_hashes.push_back(lines[i].words_hash);
    lede_lines.push_back(i);
    if (lines[i].words <= kMaxTitleWords) found.Add(lines[i].words_hash, i, TeaserLine::kTitle);
  }
  absl::StatusOr<std::vector<TextHistory>> ledes =
      store->LookupSourceTexts(source, SourceTextKind::kLede, lede_hashes);
  if (!ledes.ok()) return ledes.status();
  for (size_t k = 0; k < lede_lines.size(); ++k) {
    const TextHistory& titles = (*ledes)[k];
    // A template lede ("Chaque mercredi, nos critiques…") names no teaser.
    if (titles.partners == 0 ||
        titles.partners >= static_cast<uint32_t>(std::max(params.template_partners, 1))) {
      continue;
    }
    for (uint64_t title : titles.recent) found.Add(title, lede_lines[k], TeaserLine::kLede);
  }
  return found;
}

// The stored teasers (texts without a body) whose title or lede is one of
// the page's lines.
absl::StatusOr<std::vector<TeaserInPage>> FindTeasers(StoryStore* store, const MatchParams& params,
                                                      const std::string& source,
                                                      const std::vector<PageLine>& lines) {
  absl::StatusOr<TeaserKeys> keys = TeaserKeysOf(store, params, source, lines);
  if (!keys.ok()) return keys.status();
  std::vector<TeaserInPage> teasers;
  if (keys->keys.empty()) return teasers;
  absl::StatusOr<std::vector<std::vector<uint64_t>>> postings = store->LookupPostings(
      IndexKind::kTitleHash, keys->keys, static_cast<size_t>(params.max_candidates_per_key));
  if (!postings.ok()) return postings.status();
  std::vector<uint64_t> ids;
  for (const std::vector<uint64_t>& list : *postings) ids.insert(ids.end(), list.begin(), list.end());
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  absl::StatusOr<std::vector<std::optional<VersionRecord>>> versions = store->MultiGetVersions(ids);
  if (!versions.ok()) return versions.status();
  struct Teaser {
    uint64_t story = 0;
    uint64_t lede_hash = 0;
    const std::string* title = nullptr;
  };
  absl::flat_hash_map<uint64_t, Teaser> teaser_of;  // By version id.
  for (size_t v = 0; v < ids.size(); ++v) {
    // Teasers only: a text with a body was cut from a page, and the first
    // page of a source, cut by general signals alone, may have taken a menu
    // line for its title.
    const std::optional<VersionRecord>& version = (*versions)[v];
    if (!version.has_value() || !version->body.empty()) continue;
    teaser_of[ids[v]] = {StoryNumberOf(version->story_id), HashOfWords(version->lede),
                         &version->title};
  }
  absl::flat_hash_set<std::tuple<size_t, uint64_t, uint64_t>> seen;
  for (size_t k = 0; k < keys->keys.size(); ++k) {
    const size_t line = keys->lines[k];
    for (uint64_t id : (*postings)[k]) {
      const auto it = teaser_of.find(id);
      if (it == teaser_of.end() || it->second.story == 0) continue;
      const Teaser& teaser = it->second;
      // A title that came with this lede may have come with others too.
      if (keys->by[k] == TeaserLine::kLede && teaser.lede_hash != lines[line].words_hash) continue;
      if (seen.insert({line, teaser.story, teaser.lede_hash}).second) {
        teasers.push_back({.line = line,
                           .by = keys->by[k],
                           .story = teaser.story,
                           .version = id,
                           .lede_hash = teaser.lede_hash,
                           .title = *teaser.title});
      }
    }
  }
  return teasers;
}

// The histories of `hashes` of `kind` in `source`, by hash.
absl::StatusOr<absl::flat_hash_map<uint64_t, TextHistory>> LoadHistories(
    StoryStore* store, const std::string& source, SourceTextKind kind,
    std::vector<uint64_t> hashes) {
  std::sort(hashes.begin(), hashes.end());
  hashes.erase(std::unique(hashes.begin(), hashes.end()), hashes.end());
  absl::StatusOr<std::vector<TextHistory>> histories = store->LookupSourceTexts(source, kind, hashes);
  if (!histories.ok()) return histories.status();
  absl::flat_hash_map<uint64_t, TextHistory> by_hash;
  for (size_t i = 0; i < hashes.size(); ++i) {
    if ((*histories)[i].partners > 0) by_hash[hashes[i]] = std::move((*histories)[i]);
  }
  return by_hash;
}

// Adds `partner` to the history of `key` (starting from `learned`), and
// records it in `changed` when it is new there (partners within `same_bits`
// of a recent one are the same, core/source_history.h).
void Count(uint64_t key, uint64_t partner,
           const absl::flat_hash_map<uint64_t, TextHistory>& learned,
           absl::flat_hash_map<uint64_t, TextHistory>* changed, int same_bits = 0) {
  auto it = changed->find(key);
  if (it == changed->end()) {
    const auto stored = learned.find(key);
    TextHistory history = stored == learned.end() ? TextHistory() : stored->second;
    if (history.Has(partner, same_bits)) return;
    it = changed->emplace(key, std::move(history)).first;
  }
  it->second.Add(partner, same_bits);
}

void AppendRecords(SourceTextKind kind, absl::flat_hash_map<uint64_t, TextHistory> changed,
                   std::vector<SourceTextRecord>* out) {
  const size_t first = out->size();
  for (auto& [hash, history] : changed) {
    out->push_back({.kind = kind, .hash = hash, .history = std::move(history)});
  }
  // In hash order, so that a commit does not depend on the map's order.
  std::sort(out->begin() + static_cast<std::ptrdiff_t>(first), out->end(),
            [](const SourceTextRecord& a, const SourceTextRecord& b) { return a.hash < b.hash; });
}

}  // namespace

absl::StatusOr<LearnedPage> LearnArticlePage(StoryStore* store, const MatchParams& params,
                                             const std::string& source, const ParsedDump& dump) {
  const std::vector<PageLine>& lines = dump.page_lines;
  std::vector<uint64_t> shapes;
  shapes.reserve(lines.size());
  for (const PageLine& line : lines) shapes.push_back(line.shape_hash);
  absl::StatusOr<absl::flat_hash_map<uint64_t, TextHistory>> by_shape =
      LoadHistories(store, source, SourceTextKind::kPageLine, shapes);
  if (!by_shape.ok()) return by_shape.status();
  LearnedPage page;
  page.histories.resize(lines.size());
  for (size_t i = 0; i < lines.size(); ++i) {
    if (const auto it = by_shape->find(lines[i].shape_hash); it != by_shape->end()) {
      page.histories[i] = it->second;
    }
  }
  absl::StatusOr<std::vector<TeaserInPage>> teasers = FindTeasers(store, params, source, lines);
  if (!teasers.ok()) return teasers.status();
  page.profile = ProfilePage(params, lines, page.histories, *teasers);
  return page;
}

std::vector<SourceTextRecord> PageLineUpdates(const LearnedPage& page,
                                              const std::vector<PageLine>& lines,
                                              uint64_t story) {
  absl::flat_hash_map<uint64_t, TextHistory> learned, changed;
  for (size_t i = 0; i < lines.size() && i < page.histories.size(); ++i) {
    learned.emplace(lines[i].shape_hash, page.histories[i]);
  }
  for (const PageLine& line : lines) {
    Count(line.shape_hash, story, learned, &changed);
  }
  std::vector<SourceTextRecord> records;
  AppendRecords(SourceTextKind::kPageLine, std::move(changed), &records);
  return records;
}

absl::StatusOr<SourceTemplates> LoadSourceTemplates(StoryStore* store, const std::string& source,
                                                    const std::vector<TextFeatures>& items) {
  std::vector<uint64_t> titles, ledes;
  for (const TextFeatures& f : items) {
    if (f.title_hash == 0 || f.lede_hash == 0) continue;
    titles.push_back(f.title_hash);
    ledes.push_back(f.lede_hash);
  }
  SourceTemplates templates;
  absl::StatusOr<absl::flat_hash_map<uint64_t, TextHistory>> title_ledes =
      LoadHistories(store, source, SourceTextKind::kTitle, std::move(titles));
  if (!title_ledes.ok()) return title_ledes.status();
  absl::StatusOr<absl::flat_hash_map<uint64_t, TextHistory>> lede_titles =
      LoadHistories(store, source, SourceTextKind::kLede, std::move(ledes));
  if (!lede_titles.ok()) return lede_titles.status();
  templates.title_ledes = *std::move(title_ledes);
  templates.lede_titles = *std::move(lede_titles);
  return templates;
}

std::vector<SourceTextRecord> TemplateUpdates(const MatchParams& params,
                                              const SourceTemplates& learned,
                                              const std::vector<TextFeatures>& items) {
  absl::flat_hash_map<uint64_t, TextHistory> titles, ledes;
  const int same_lede_bits = SamePartnerBits(params, PartnerKind::kLedeSimHash);
  for (const TextFeatures& f : items) {
    if (f.title_hash == 0 || f.lede_hash == 0) continue;
    Count(f.title_hash, f.lede_fingerprint, learned.title_ledes, &titles, same_lede_bits);
    Count(f.lede_hash, f.title_hash, learned.lede_titles, &ledes);
  }
  std::vector<SourceTextRecord> records;
  AppendRecords(SourceTextKind::kTitle, std::move(titles), &records);
  AppendRecords(SourceTextKind::kLede, std::move(ledes), &records);
  return records;
}

}  // namespace newsdedup
