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

bool SamePartnerIn(std::span<const uint64_t> seen, uint64_t partner, int same_bits) {
  return std::any_of(seen.begin(), seen.end(), [&](uint64_t other) {
    return SimHashDistance(other, partner) <= same_bits;
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
