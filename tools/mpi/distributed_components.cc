#include "tools/mpi/distributed_components.h"

#include <algorithm>

namespace newsdedup {
namespace {

// Values of remote items, asked of their owners: the ids asked (by owner,
// as the answers come back) and the answers.
class RemoteValues {
 public:
  // Asks each owner for value_of(id) of the `ids` it holds. Collective.
  template <typename ValueOf>
  RemoteValues(Ranks& ranks, const ItemLayout& items, std::vector<uint32_t> ids,
               const ValueOf& value_of)
      : items_(items) {
    items.SortByOwner(&ids);
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
    return values_[std::lower_bound(ids_.begin(), ids_.end(), id, ItemLayout::ByOwner{&items_}) -
                   ids_.begin()];
  }

 private:
  const ItemLayout& items_;
  std::vector<uint32_t> ids_;
  std::vector<uint32_t> values_;
};

// The same remote items asked for a new value every round: who asks what
// is exchanged once, then only the values move.
class StandingAsk {
 public:
  // `ids`: none of this rank's. Collective.
  StandingAsk(Ranks& ranks, const ItemLayout& items, std::vector<uint32_t> ids)
      : ranks_(ranks), items_(items), ids_(std::move(ids)) {
    items.SortByOwner(&ids_);
    std::vector<std::string> asks(ranks.size());
    for (uint32_t id : ids_) Put(id, &asks[items.OwnerOf(id)]);
    const Received asked = ranks.Exchange(std::move(asks));
    asked_.resize(ranks.size());
    for (int r = 0; r < ranks.size(); ++r) AppendAll(asked.From(r), &asked_[r]);
  }
  // The position of `id` in the answers. REQUIRES: `id` is asked.
  size_t SlotOf(uint32_t id) const {
    return std::lower_bound(ids_.begin(), ids_.end(), id, ItemLayout::ByOwner{&items_}) - ids_.begin();
  }
  // value_of(id) of every id asked, by slot. Collective.
  template <typename ValueOf>
  std::vector<uint32_t> Values(const ValueOf& value_of) {
    std::vector<std::string> answers(ranks_.size());
    for (int r = 0; r < ranks_.size(); ++r) {
      answers[r].reserve(asked_[r].size() * sizeof(uint32_t));
      for (uint32_t id : asked_[r]) Put(value_of(id), &answers[r]);
    }
    const Received answered = ranks_.Exchange(std::move(answers));
    std::vector<uint32_t> values;
    values.reserve(ids_.size());
    for (int r = 0; r < ranks_.size(); ++r) AppendAll(answered.From(r), &values);
    return values;
  }

 private:
  Ranks& ranks_;
  const ItemLayout& items_;
  std::vector<uint32_t> ids_;  // By owner.
  std::vector<std::vector<uint32_t>> asked_;  // By rank, what it asks of this one.
};

// Both directions of every edge, at the rank of its first end.
std::vector<std::pair<uint32_t, uint32_t>> BothWays(
    Ranks& ranks, const ItemLayout& items,
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
    Ranks& ranks, const ItemLayout& items,
    const std::vector<std::pair<uint32_t, uint32_t>>& edges) {
  const int rank = ranks.rank();
  const uint32_t count = items.count(rank);
  const auto local = [&](uint32_t id) { return items.OwnerOf(id) == rank; };
  const auto at = [&](uint32_t id) { return items.LocalIndex(id); };
  // Every edge both ways, as (local index of u, v), and v's local index
  // when it is this rank's (kRemote otherwise).
  constexpr uint32_t kRemote = UINT32_MAX;
  std::vector<std::pair<uint32_t, uint32_t>> both = BothWays(ranks, items, edges);
  std::vector<uint32_t> v_at(both.size(), kRemote);
  std::vector<uint32_t> remote;  // Neighbours on other ranks.
  for (size_t e = 0; e < both.size(); ++e) {
    both[e].first = at(both[e].first);
    if (local(both[e].second)) {
      v_at[e] = at(both[e].second);
    } else {
      remote.push_back(both[e].second);
    }
  }
  std::vector<uint32_t> active;  // Local indexes of the items with an edge.
  for (const auto& edge : both) active.push_back(edge.first);
  std::sort(active.begin(), active.end());
  active.erase(std::unique(active.begin(), active.end()), active.end());
  ComponentLabels labels;
  labels.linked.assign(count, false);
  for (uint32_t u : active) labels.linked[u] = true;
  std::vector<uint32_t>& f = labels.smallest;  // By local index.
  f.resize(count);
  for (uint32_t k = 0; k < count; ++k) f[k] = items.GlobalId(rank, k);
  std::vector<uint32_t> gf(count);
  // The neighbours on other ranks never change: asked once, and each edge
  // knows where its neighbour's answer is.
  StandingAsk neighbours(ranks, items, std::move(remote));
  std::vector<size_t> slot(both.size());
  for (size_t e = 0; e < both.size(); ++e) {
    if (v_at[e] == kRemote) slot[e] = neighbours.SlotOf(both[e].second);
  }
  for (bool changed = true; changed; ++labels.rounds) {
    // Grandparents of this rank's items.
    std::vector<uint32_t> parents;
    for (uint32_t u : active) {
      if (!local(f[u])) parents.push_back(f[u]);
    }
    const RemoteValues parent_f(ranks, items, parents,
                                [&](uint32_t id) { return f[at(id)]; });
    for (uint32_t u : active) gf[u] = local(f[u]) ? f[at(f[u])] : parent_f.Of(f[u]);
    // Grandparents of the neighbours.
    const std::vector<uint32_t> neighbour_gf =
        neighbours.Values([&](uint32_t id) { return gf[at(id)]; });
    // Hooking and shortcutting, all as minima: the order of updates does
    // not matter.
    std::vector<uint32_t> next = f;
    std::vector<std::string> hooks(ranks.size());  // (remote parent, value)
    for (uint32_t u : active) next[u] = std::min(next[u], gf[u]);
    for (size_t e = 0; e < both.size(); ++e) {
      const uint32_t u = both[e].first;
      const uint32_t g = v_at[e] != kRemote ? gf[v_at[e]] : neighbour_gf[slot[e]];
      next[u] = std::min(next[u], g);
      const uint32_t parent = f[u];
      if (local(parent)) {
        next[at(parent)] = std::min(next[at(parent)], g);
      } else if (g < parent) {  // Only a lower value can change it.
        Put(parent, &hooks[items.OwnerOf(parent)]);
        Put(g, &hooks[items.OwnerOf(parent)]);
      }
    }
    const Received hooked = ranks.Exchange(std::move(hooks));
    for (int r = 0; r < ranks.size(); ++r) {
      std::vector<uint32_t> pairs;
      AppendAll(hooked.From(r), &pairs);
      for (size_t p = 0; p + 1 < pairs.size(); p += 2) {
        next[at(pairs[p])] = std::min(next[at(pairs[p])], pairs[p + 1]);
      }
    }
    changed = ranks.Max(next != f ? 1 : 0) != 0;
    f = std::move(next);
  }
  return labels;
}

}  // namespace newsdedup
