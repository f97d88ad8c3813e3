#include "core/source_history.h"

#include <algorithm>

#include "core/similarity.h"

namespace newsdedup {

std::string_view SourceTextKindName(SourceTextKind kind) {
  switch (kind) {
    case SourceTextKind::kPageLine:
      return "page_line";
    case SourceTextKind::kTitle:
      return "title";
    case SourceTextKind::kLede:
      return "lede";
  }
  return "unknown";
}

bool TextHistory::Has(uint64_t partner, int same_bits) const {
  return std::any_of(recent.begin(), recent.end(), [&](uint64_t seen) {
    return SimHashDistance(seen, partner) <= same_bits;
  });
}

bool TextHistory::Add(uint64_t partner, int same_bits) {
  // A partner seen again keeps its place: reordering would rewrite the
  // history each time a recurring story shows it, for no change in counts.
  if (Has(partner, same_bits)) return false;
  ++partners;
  recent.push_back(partner);
  if (recent.size() > kRecentPartners) recent.erase(recent.begin());
  return true;
}

}  // namespace newsdedup
