#ifndef NEWSDEDUP_CORE_TEMPLATE_TEXTS_H_
#define NEWSDEDUP_CORE_TEMPLATE_TEXTS_H_

// Titles and ledes that a source uses for many different stories: template
// text, which is no evidence that two texts sharing it are one story. A
// title is a template when it came with at least
// MatchParams::template_partners different ledes (by SimHash: a lede edited
// twice is still one), a lede when it came under that many titles,
// counting what the store learned of the source (core/source_history.h) and
// the items of the dump itself, so that `dups` over a corpus and one ingest
// of it into an empty store agree. A daily gazette whose lede never changes
// ("Entre l'étape du jour, nos pronostics…") then stays apart from
// yesterday's, without a list of phrases.
//
// Like weak titles (core/weak_titles.h), the dump's part is a count over the
// whole corpus, found in two steps that also run apart on the ranks of the
// MPI `dups`: every item gives its (title, lede) pair both ways
// (TitleLedePartners), and the partners of a text, gathered wherever they
// are, say whether it is a template (FindTemplateTexts).

#include <cstdint>
#include <span>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "core/match_params.h"
#include "core/matcher.h"
#include "core/source_history.h"

namespace newsdedup {

// What the store learned of a dump's source, by title and lede hash.
struct SourceTemplates {
  absl::flat_hash_map<uint64_t, TextHistory> title_ledes;  // Title -> ledes.
  absl::flat_hash_map<uint64_t, TextHistory> lede_titles;  // Lede -> titles.
};

// One text (a title or a lede, by hash) seen with one partner (a lede by
// SimHash, or a title by hash), or alone (partner 0: asked about, as its
// holder needs to know, but not counted).
struct TextPartner {
  uint64_t text = 0;
  uint64_t partner = 0;
  bool operator<(const TextPartner& o) const {
    return text != o.text ? text < o.text : partner < o.partner;
  }
  bool operator==(const TextPartner& o) const = default;
};

// Each item's title -> lede into *title_ledes and lede -> title into
// *lede_titles, for the items that have the first (the second may be 0).
void TitleLedePartners(std::span<const TextFeatures> items, std::vector<TextPartner>* title_ledes,
                       std::vector<TextPartner>* lede_titles);

// Which kind of partners FindTemplateTexts counts.
enum class PartnerKind : uint8_t {
  kLedeSimHash,  // A title's ledes: within template_same_lede_bits is one.
  kTitleHash,    // A lede's titles: equal hashes are one.
};

// The bits within which two partners of `kind` are one (0: equal only).
int SamePartnerBits(const MatchParams& params, PartnerKind kind);

// The texts among `partners` with at least params.template_partners
// distinct non-zero partners, counting those `learned` has of them, in
// ascending order; with every text `learned` already counts as one. Near
// SimHashes are merged in ascending order, so the answer does not depend on
// where the partners came from. REQUIRES: `partners` holds every partner of
// each text it holds (duplicates allowed); it is sorted in place.
std::vector<uint64_t> FindTemplateTexts(const MatchParams& params, PartnerKind kind,
                                        std::span<TextPartner> partners,
                                        const absl::flat_hash_map<uint64_t, TextHistory>& learned);

// The set of template titles and ledes, asked about by hash.
class TemplateTexts {
 public:
  TemplateTexts() = default;
  // Over one whole dump and what the store learned of its source.
  TemplateTexts(const MatchParams& params, std::span<const TextFeatures> items,
                const SourceTemplates& learned);

  bool TitleIsTemplate(uint64_t title_hash) const { return titles_.contains(title_hash); }
  bool LedeIsTemplate(uint64_t lede_hash) const { return ledes_.contains(lede_hash); }
  // Both texts carry the same template lede.
  bool SharedLede(const TextFeatures& a, const TextFeatures& b) const {
    return a.lede_hash != 0 && a.lede_hash == b.lede_hash && LedeIsTemplate(a.lede_hash);
  }
  void InsertTitle(uint64_t title_hash) { titles_.insert(title_hash); }
  void InsertLede(uint64_t lede_hash) { ledes_.insert(lede_hash); }

 private:
  absl::flat_hash_set<uint64_t> titles_;
  absl::flat_hash_set<uint64_t> ledes_;
};

}  // namespace newsdedup

#endif  // NEWSDEDUP_CORE_TEMPLATE_TEXTS_H_
