#include "core/template_texts.h"

#include <algorithm>

namespace newsdedup {

void TitleLedePartners(std::span<const TextFeatures> items, std::vector<TextPartner>* title_ledes,
                       std::vector<TextPartner>* lede_titles) {
  for (const TextFeatures& f : items) {
    if (f.title_hash != 0) title_ledes->push_back({f.title_hash, f.lede_hash});
    if (f.lede_hash != 0) lede_titles->push_back({f.lede_hash, f.title_hash});
  }
}

std::vector<uint64_t> FindTemplateTexts(const MatchParams& params, std::span<TextPartner> partners,
                                        const absl::flat_hash_map<uint64_t, TextHistory>& learned) {
  const uint32_t min = static_cast<uint32_t>(std::max(params.template_partners, 1));
  std::vector<uint64_t> found;
  for (const auto& [text, history] : learned) {
    if (history.partners >= min) found.push_back(text);
  }
  std::sort(partners.begin(), partners.end());
  for (size_t run = 0; run < partners.size();) {
    const uint64_t text = partners[run].text;
    static const TextHistory kNone;
    const auto it = learned.find(text);
    const TextHistory& history = it != learned.end() ? it->second : kNone;
    uint32_t count = history.partners;
    size_t end = run;
    for (; end < partners.size() && partners[end].text == text; ++end) {
      const uint64_t partner = partners[end].partner;
      const bool repeat = end > run && partner == partners[end - 1].partner;
      if (partner != 0 && !repeat && !history.Has(partner)) ++count;
    }
    if (count >= min) found.push_back(text);
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
  for (uint64_t title : FindTemplateTexts(params, title_ledes, learned.title_ledes)) {
    InsertTitle(title);
  }
  for (uint64_t lede : FindTemplateTexts(params, lede_titles, learned.lede_titles)) {
    InsertLede(lede);
  }
}

}  // namespace newsdedup
