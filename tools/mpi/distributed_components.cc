#include "tools/mpi/distributed_components.h"

#include <algorithm>

namespace newsdedup {
namespace {

// Values of remote items, asked of their owners: the ids asked (sorted, in
// owner order, so one sorted list) and what came back.
class RemoteValues {
 public:
  // Asks each owner for value_of(id) of the `ids` it holds. Collective.
  template <typename ValueOf>
  RemoteValues(Ranks& ranks, const ItemRanges& items, std::vector<uint32_t> ids,
               const ValueOf& value_of) {
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    std::vector<std::string> asks(ranks.size());
    for (uint32_t id : ids) Put(id, &asks[items.OwnerOf(id)]);
    const Received asked = ranks.Exchange(std::move(asks));
    std::vector<std::string> answers(ranks.size());
    for (int r = 0; r < ranks.size(); ++r) {
      std::vector<uint32_t> wanted;
      AppendAll(asked.From(r), &wanted);
      for (uint32_t id : wanted) Put(value_of(id), &answers[r]);
    }
    const Received answered = ranks.Exchange(std::move(answers));
    ids_ = std::move(ids);
    for (int r = 0; r < ranks.size(); ++r) AppendAll(answered.From(r), &values_);
  }
  // REQUIRES: `id` was asked.
  uint32_t Of(uint32_t id) const {
    return values_[std::lower_bound(ids_.begin(), ids_.end(), id) - ids_.begin()];
  }

 private:
  std::vector<uint32_t> ids_;
  std::vector<uint32_t> values_;
};

// Both directions of every edge, at the rank of its first end.
std::vector<std::pair<uint32_t, uint32_t>> BothWays(
    Ranks& ranks, const ItemRanges& items,
    const std::vector<std::pair<uint32_t, uint32_t>>& edges) {
  std::vector<std::pair<uint32_t, uint32_t>> both = edges;
  std::vector<std::string> mirrored(ranks.size());
  for (const auto& [u, v] : edges) {
    Put(v, &mirrored[items.OwnerOf(v)]);
    Put(u, &mirrored[items.OwnerOf(v)]);
  }
  const Received received = ranks.Exchange(std::move(mirrored));
  for (int r = 0; r < ranks.size(); ++r) {
    std::vector<uint32_t> ends;
    AppendAll(received.From(r), &ends);
    for (size_t e = 0; e + 1 < ends.size(); e += 2) both.emplace_back(ends[e], ends[e + 1]);
  }
  std::sort(both.begin(), both.end());
  both.erase(std::unique(both.begin(), both.end()), both.end());
  return both;
}

}  // namespace

ComponentLabels FindComponentsAcrossRanks(
    Ranks& ranks, const ItemRanges& items,
    const std::vector<std::pair<uint32_t, uint32_t>>& edges) {
  const uint32_t first = items.first(ranks.rank());
  const uint32_t count = items.count(ranks.rank());
  const std::vector<std::pair<uint32_t, uint32_t>> both = BothWays(ranks, items, edges);
  std::vector<uint32_t> active;  // Items of this rank with an edge.
  for (const auto& edge : both) {
    if (active.empty() || active.back() != edge.first) active.push_back(edge.first);
  }
  ComponentLabels labels;
  labels.linked.assign(count, false);
  for (uint32_t u : active) labels.linked[u - first] = true;
  std::vector<uint32_t>& f = labels.smallest;
  f.resize(count);
  for (uint32_t i = 0; i < count; ++i) f[i] = first + i;
  const auto local = [&](uint32_t id) { return id >= first && id - first < count; };
  std::vector<uint32_t> gf(count);
  for (bool changed = true; changed; ++labels.rounds) {
    // Grandparents of this rank's items.
    std::vector<uint32_t> parents;
    for (uint32_t u : active) {
      if (!local(f[u - first])) parents.push_back(f[u - first]);
    }
    const RemoteValues parent_f(ranks, items, parents,
                                [&](uint32_t id) { return f[id - first]; });
    for (uint32_t u : active) {
      const uint32_t p = f[u - first];
      gf[u - first] = local(p) ? f[p - first] : parent_f.Of(p);
    }
    // Grandparents of the neighbours.
    std::vector<uint32_t> neighbours;
    for (const auto& [u, v] : both) {
      if (!local(v)) neighbours.push_back(v);
    }
    const RemoteValues neighbour_gf(ranks, items, neighbours,
                                    [&](uint32_t id) { return gf[id - first]; });
    const auto gf_of = [&](uint32_t v) { return local(v) ? gf[v - first] : neighbour_gf.Of(v); };
    // Hooking and shortcutting, all as minima: the order of updates does
    // not matter.
    std::vector<uint32_t> next = f;
    std::vector<std::pair<uint32_t, uint32_t>> hooks;  // (remote parent, value)
    for (uint32_t u : active) next[u - first] = std::min(next[u - first], gf[u - first]);
    for (const auto& [u, v] : both) {
      const uint32_t g = gf_of(v);
      next[u - first] = std::min(next[u - first], g);
      const uint32_t parent = f[u - first];
      if (local(parent)) {
        next[parent - first] = std::min(next[parent - first], g);
      } else {
        hooks.emplace_back(parent, g);
      }
    }
    std::sort(hooks.begin(), hooks.end());
    std::vector<std::string> sent(ranks.size());
    for (size_t h = 0; h < hooks.size(); ++h) {
      if (h > 0 && hooks[h].first == hooks[h - 1].first) continue;  // Its minimum went first.
      Put(hooks[h].first, &sent[items.OwnerOf(hooks[h].first)]);
      Put(hooks[h].second, &sent[items.OwnerOf(hooks[h].first)]);
    }
    const Received hooked = ranks.Exchange(std::move(sent));
    for (int r = 0; r < ranks.size(); ++r) {
      std::vector<uint32_t> pairs;
      AppendAll(hooked.From(r), &pairs);
      for (size_t p = 0; p + 1 < pairs.size(); p += 2) {
        next[pairs[p] - first] = std::min(next[pairs[p] - first], pairs[p + 1]);
      }
    }
    changed = ranks.Max(next != f ? 1 : 0) != 0;
    f = std::move(next);
  }
  return labels;
}

}  // namespace newsdedup
