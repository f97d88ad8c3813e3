#include "core/template_texts.h"

#include <algorithm>

#include "absl/container/inlined_vector.h"

namespace newsdedup {
namespace {

// What `history` counts plus the partners of one text (`run`) it has not
// seen and that are not one with an earlier partner of the run, up to
// `enough`.
uint32_t CountPartners(std::span<const TextPartner> run, const TextHistory& history, int same_bits,
                       uint32_t enough) {
  uint32_t count = history.partners;
  absl::InlinedVector<uint64_t, 4> counted;  // At most `enough`: a few.
  for (const TextPartner& p : run) {
    if (count >= enough) break;
    if (p.partner == 0 || history.Has(p.partner, same_bits) ||
        SamePartnerIn(counted, p.partner, same_bits)) {
      continue;
    }
    counted.push_back(p.partner);
    ++count;
  }
  return count;
}

}  // namespace

int SamePartnerBits(const MatchParams& params, PartnerKind kind) {
  return kind == PartnerKind::kLedeSimHash ? params.template_same_lede_bits : 0;
}

void TitleLedePartners(std::span<const TextFeatures> items, std::vector<TextPartner>* title_ledes,
                       std::vector<TextPartner>* lede_titles) {
  for (const TextFeatures& f : items) {
    if (f.title_hash != 0) title_ledes->push_back({f.title_hash, f.lede_fingerprint});
    if (f.lede_hash != 0) lede_titles->push_back({f.lede_hash, f.title_hash});
  }
}

std::vector<uint64_t> FindTemplateTexts(const MatchParams& params, PartnerKind kind,
                                        std::span<TextPartner> partners,
                                        const absl::flat_hash_map<uint64_t, TextHistory>& learned) {
  const uint32_t min = static_cast<uint32_t>(std::max(params.template_partners, 1));
  const int same_bits = SamePartnerBits(params, kind);
  std::vector<uint64_t> found;
  for (const auto& [text, history] : learned) {
    if (history.partners >= min) found.push_back(text);
  }
  std::sort(partners.begin(), partners.end());
  static const TextHistory kNone;
  for (size_t run = 0; run < partners.size();) {
    const uint64_t text = partners[run].text;
    size_t end = run;
    while (end < partners.size() && partners[end].text == text) ++end;
    const auto it = learned.find(text);
    const TextHistory& history = it != learned.end() ? it->second : kNone;
    const std::span<const TextPartner> of_text(partners.data() + run, end - run);
    if (CountPartners(of_text, history, same_bits, min) >= min) found.push_back(text);
    run = end;
  }
  std::sort(found.begin(), found.end());
  found.erase(std::unique(found.begin(), found.end()), found.end());
  return found;
}

TemplateTexts::TemplateTexts(const MatchParams& params, std::span<const TextFeatures> items,
                             const SourceTemplates& learned) {
  std::vector<TextPartner> title_ledes, lede_titles;
  TitleLedePartners(items, &title_ledes, &lede_titles);
  for (uint64_t title :
       FindTemplateTexts(params, PartnerKind::kLedeSimHash, title_ledes, learned.title_ledes)) {
    InsertTitle(title);
  }
  for (uint64_t lede :
       FindTemplateTexts(params, PartnerKind::kTitleHash, lede_titles, learned.lede_titles)) {
    InsertLede(lede);
  }
}

}  // namespace newsdedup
