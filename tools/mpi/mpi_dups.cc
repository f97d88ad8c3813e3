#include "tools/mpi/mpi_dups.h"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <functional>
#include <span>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "core/component_decider.h"
#include "core/dump_candidates.h"
#include "core/feature_codec.h"
#include "core/match_params.h"
#include "core/mix.h"
#include "core/pair_rules.h"
#include "core/parallel_for.h"
#include "core/stored_context.h"
#include "core/template_texts.h"
#include "core/verdicts.h"
#include "core/weak_titles.h"
#include "spdlog/spdlog.h"
#include "tools/dups.h"
#include "tools/dups_corpus.h"
#include "tools/mpi/corpus_share.h"
#include "tools/mpi/distributed_components.h"
#include "tools/mpi/item_layout.h"
#include "tools/report_format.h"

namespace newsdedup {
namespace {

// An item's record sent to the rank deciding its component (its features
// go only where they are not already).
struct DecisionRecord {
  uint32_t component = 0;  // Its smallest item.
  uint32_t item = 0;
  std::string name;
  Verdicts verdicts;
};

// A cluster of two or more items, at the rank of its first item.
struct Cluster {
  uint32_t first = 0;
  std::vector<std::string> names;      // In item order.
  std::vector<MatchEvidence> evidence;  // What joined each item.
};

// Features of other ranks' items, fetched from their owners.
class FeatureCache {
 public:
  // Holds `features[i]` as the features of `ids[i]` (distinct ids).
  void Add(std::vector<uint32_t> ids, std::vector<TextFeatures> features) {
    std::vector<size_t> order(ids.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return ids[a] < ids[b]; });
    ids_.resize(ids.size());
    features_.resize(ids.size());
    for (size_t i = 0; i < order.size(); ++i) {
      ids_[i] = ids[order[i]];
      features_[i] = std::move(features[order[i]]);
    }
  }
  const TextFeatures* Find(uint32_t id) const {
    const auto it = std::lower_bound(ids_.begin(), ids_.end(), id);
    return it != ids_.end() && *it == id ? &features_[it - ids_.begin()] : nullptr;
  }

 private:
  std::vector<uint32_t> ids_;
  std::vector<TextFeatures> features_;
};

void PutVerdicts(const Verdicts& verdicts, std::string* out) {
  Put(static_cast<uint32_t>(verdicts.accepted.size()), out);
  for (const Verdicts::Accepted& a : verdicts.accepted) {
    Put(a.ref.index, out);
    Put(static_cast<uint8_t>(a.evidence.rule), out);
    Put(a.evidence.similarity, out);
    Put(a.evidence.containment, out);
    Put(a.evidence.title_similarity, out);
  }
  Put(static_cast<uint32_t>(verdicts.vetoes.size()), out);
  for (const CandidateRef& ref : verdicts.vetoes) Put(ref.index, out);
}

bool TakeVerdicts(std::string_view* in, Verdicts* verdicts) {
  uint32_t accepted = 0, vetoes = 0;
  if (!Take(in, &accepted)) return false;
  verdicts->accepted.resize(accepted);
  for (Verdicts::Accepted& a : verdicts->accepted) {
    uint8_t rule = 0;
    if (!Take(in, &a.ref.index) || !Take(in, &rule) || !Take(in, &a.evidence.similarity) ||
        !Take(in, &a.evidence.containment) || !Take(in, &a.evidence.title_similarity)) {
      return false;
    }
    a.evidence.rule = static_cast<MatchRule>(rule);
  }
  if (!Take(in, &vetoes)) return false;
  verdicts->vetoes.resize(vetoes);
  for (CandidateRef& ref : verdicts->vetoes) {
    if (!Take(in, &ref.index)) return false;
  }
  return true;
}

// One run of the MPI dups on one rank: a method per phase, the state in the
// members.
class MpiDupsRun {
 public:
  MpiDupsRun(Ranks& ranks, const std::vector<std::string>& files, const DupsOptions& options)
      : ranks_(ranks),
        files_(files),
        options_(options),
        params_(DupsParams(options)),
        threads_(options.threads > 0
                     ? options.threads
                     : std::max(1, ResolveThreads(0) / std::max(1, ranks.ranks_on_node()))),
        corpus_(files, params_, threads_, options.ignore_urls) {}

  absl::Status Run(std::ostream& out, RankFigures* figures) {
    ranks_.StartPhase("read");
    if (absl::Status s = OpenKeptOutput(); !s.ok()) return s;
    absl::StatusOr<ItemLayout> layout = ReadCorpusShare(ranks_, files_, options_.format, &corpus_);
    if (!layout.ok()) return layout.status();
    items_ = std::move(*layout);
    ranks_.StartPhase("weak_titles");
    CountWeakTitles();
    ranks_.StartPhase("templates");
    CountTemplates();
    ranks_.StartPhase("candidates");
    FindCandidates();
    ranks_.StartPhase("features");
    if (absl::Status s = ShareFeatures(); !s.ok()) return s;
    ranks_.StartPhase("verdicts");
    Judge();
    ranks_.StartPhase("components");
    FindComponents();
    ranks_.StartPhase("decisions");
    if (absl::Status s = Decide(); !s.ok()) return s;
    ranks_.StartPhase("output");
    Write(out);
    if (absl::Status s = WriteKept(); !s.ok()) return s;
    figures->phases = ranks_.Phases();
    figures->cpu_seconds = CpuSeconds();
    figures->peak_rss_bytes = PeakRssBytes();
    figures->items = corpus_.size();
    figures->threads = threads_;
    figures->component_rounds = component_rounds_;
    return absl::OkStatus();
  }

 private:
  uint32_t count() const { return items_.count(ranks_.rank()); }
  bool IsLocal(uint32_t item) const { return items_.OwnerOf(item) == ranks_.rank(); }
  // This rank's k-th item, and back.
  uint32_t Global(uint32_t k) const { return items_.GlobalId(ranks_.rank(), k); }
  uint32_t Local(uint32_t item) const { return items_.LocalIndex(item); }
  absl::Status Agree(const absl::Status& status) { return ranks_.AgreeOnError(0, status); }

  // Sends each distinct one of `mine` to the rank owning its key
  // (key_of(record)); each owner runs find(records) on every record of its
  // keys, from all ranks, for the keys found (ascending), and tells each rank
  // which of the keys it sent were found. Returns those of this rank's keys.
  // Collective. Record: trivially copyable, ordered by its key first.
  template <typename Record, typename KeyOf, typename Find>
  std::vector<uint64_t> CountAtOwners(std::vector<Record> mine, KeyOf key_of, Find find);
  void CountWeakTitles();
  void CountTemplates();
  void FindCandidates();
  void SendKeysOfFamilies(const KeyFamilies& families, size_t begin, size_t end,
                          std::vector<std::vector<uint64_t>>* pair_lists);
  absl::Status ShareFeatures();
  // Fetches the features of `ids` (other ranks' items) from their owners
  // into *cache, with the weakness of their titles and whether their title
  // and lede are templates. Collective; `prepare`
  // runs on the items other ranks asked of this one before they are
  // answered.
  absl::Status FetchFeatures(std::vector<uint32_t> ids,
                             const std::function<absl::Status(std::span<const uint32_t>)>& prepare,
                             FeatureCache* cache);
  // What this rank knows of an item's title and lede, as sent with its
  // features (kWeakTitle | kTemplateTitle | kTemplateLede), and back.
  uint8_t TextFlagsOf(const TextFeatures& f) const;
  void LearnTextFlags(const TextFeatures& f, uint8_t flags);
  // The features of any item this rank has: its own, or fetched.
  const TextFeatures& FeaturesOf(uint32_t item) const;
  void Judge();
  void FindComponents();
  absl::Status Decide();
  // Per linked item of this rank, the rank deciding its component.
  std::vector<int> DecidersOfComponents();
  std::vector<DecisionRecord> ReceiveDecisionRecords(const std::vector<int>& deciders);
  void DecideComponent(std::span<const DecisionRecord> records, ComponentDecider& decider,
                       std::vector<std::string>* clusters_out,
                       std::vector<std::string>* dropped_out);
  void Write(std::ostream& out);
  // --keep-first: rank 0 opens the file before the work, as `dups` does,
  // and writes every rank's kept items to it, chunk by chunk.
  absl::Status OpenKeptOutput();
  absl::Status WriteKept();

  Ranks& ranks_;
  const std::vector<std::string>& files_;
  const DupsOptions options_;
  const MatchParams params_;
  const StoredContext no_store_;  // `dups` compares a corpus with itself only.
  const int threads_;
  DupsCorpus corpus_;
  ItemLayout items_;
  // What this rank knows of the titles and ledes of its items and of the
  // features it fetched.
  WeakTitles weak_;
  TemplateTexts templates_;
  const PairRules rules_{params_, weak_, templates_};
  DumpCandidates candidates_;
  // Features of other ranks' items: candidates of this rank's items, then
  // members of the components this rank decides.
  FeatureCache candidate_features_;
  FeatureCache member_features_;
  std::vector<Verdicts> verdicts_;  // Per item of this rank.
  ComponentLabels labels_;
  int component_rounds_ = 0;
  // Clusters whose first item is on this rank.
  std::vector<Cluster> clusters_;
  // --keep-first: per item of this rank, whether it is a later member of a
  // cluster (not kept).
  std::vector<char> dropped_;
  std::ofstream kept_out_;  // On rank 0.
};

// The rank that owns an index key, a title, or a component's decision.
int OwnerOfHash(uint64_t hash, int ranks) {
  return static_cast<int>(FastRange32(Fmix64(hash), static_cast<uint32_t>(ranks)));
}

// What a rank sends of a title and lede with their features.
constexpr uint8_t kWeakTitle = 1;
constexpr uint8_t kTemplateTitle = 2;
constexpr uint8_t kTemplateLede = 4;

uint8_t MpiDupsRun::TextFlagsOf(const TextFeatures& f) const {
  return static_cast<uint8_t>((weak_.Contains(f.title_hash) ? kWeakTitle : 0) |
                              (templates_.TitleIsTemplate(f.title_hash) ? kTemplateTitle : 0) |
                              (templates_.LedeIsTemplate(f.lede_hash) ? kTemplateLede : 0));
}

void MpiDupsRun::LearnTextFlags(const TextFeatures& f, uint8_t flags) {
  if (flags & kWeakTitle) weak_.Insert(f.title_hash);
  if (flags & kTemplateTitle) templates_.InsertTitle(f.title_hash);
  if (flags & kTemplateLede) templates_.InsertLede(f.lede_hash);
}

template <typename Record, typename KeyOf, typename Find>
std::vector<uint64_t> MpiDupsRun::CountAtOwners(std::vector<Record> mine, KeyOf key_of,
                                                Find find) {
  const int ranks = ranks_.size();
  std::sort(mine.begin(), mine.end());
  mine.erase(std::unique(mine.begin(), mine.end()), mine.end());
  std::vector<std::string> sent(ranks);
  for (const Record& record : mine) Put(record, &sent[OwnerOfHash(key_of(record), ranks)]);
  const Received carried = ranks_.Exchange(std::move(sent));
  std::vector<Record> all;
  for (int r = 0; r < ranks; ++r) AppendAll(carried.From(r), &all);
  const std::vector<uint64_t> found = find(all);
  // Each rank learns which of the keys it sent were found.
  std::vector<std::string> answers(ranks);
  for (int r = 0; r < ranks; ++r) {
    std::vector<Record> from;
    AppendAll(carried.From(r), &from);  // Sorted: sent so.
    for (size_t k = 0; k < from.size(); ++k) {
      const uint64_t key = key_of(from[k]);
      if ((k == 0 || key != key_of(from[k - 1])) &&
          std::binary_search(found.begin(), found.end(), key)) {
        Put(key, &answers[r]);
      }
    }
  }
  const Received answered = ranks_.Exchange(std::move(answers));
  std::vector<uint64_t> mine_found;
  for (int r = 0; r < ranks; ++r) AppendAll(answered.From(r), &mine_found);
  return mine_found;
}

void MpiDupsRun::CountWeakTitles() {
  std::vector<TitleCarrier> mine;
  for (const TextFeatures& f : corpus_.features()) {
    if (f.title_hash != 0) mine.push_back(TextCarrier(f));
  }
  const std::vector<uint64_t> weak = CountAtOwners(
      std::move(mine), [](const TitleCarrier& c) { return c.title; },
      [&](std::vector<TitleCarrier>& carriers) { return FindWeakTitles(params_, carriers); });
  for (uint64_t title : weak) weak_.Insert(title);
}

void MpiDupsRun::CountTemplates() {
  std::vector<TextPartner> title_ledes, lede_titles;
  TitleLedePartners(corpus_.features(), &title_ledes, &lede_titles);
  const auto text_of = [](const TextPartner& p) { return p.text; };
  // `dups` has no store: nothing learned counts besides the corpus.
  const auto find_of = [&](PartnerKind kind) {
    return [this, kind](std::vector<TextPartner>& partners) {
      return FindTemplateTexts(params_, kind, partners, {});
    };
  };
  for (uint64_t title :
       CountAtOwners(std::move(title_ledes), text_of, find_of(PartnerKind::kLedeSimHash))) {
    templates_.InsertTitle(title);
  }
  for (uint64_t lede :
       CountAtOwners(std::move(lede_titles), text_of, find_of(PartnerKind::kTitleHash))) {
    templates_.InsertLede(lede);
  }
}

void MpiDupsRun::FindCandidates() {
  const KeyFamilies local = KeyFamilies::Of(corpus_.features());
  KeyFamilies families;
  families.lead_bands = ranks_.Max(local.lead_bands);
  families.full_bands = ranks_.Max(local.full_bands);
  std::vector<std::vector<uint64_t>> pair_lists;
  // A batch of families per exchange, sorted on all the rank's threads.
  const size_t batch = static_cast<size_t>(threads_);
  for (size_t f = 0; f < families.count(); f += batch) {
    SendKeysOfFamilies(families, f, std::min(f + batch, families.count()), &pair_lists);
  }
  candidates_ = CountCandidates(std::move(pair_lists), 0, count(), threads_);
  // The band keys have found the candidates; only verification is left.
  for (TextFeatures& f : corpus_.features()) {
    std::vector<uint64_t>().swap(f.lead_band_keys);
    std::vector<uint64_t>().swap(f.full_band_keys);
  }
}

void MpiDupsRun::SendKeysOfFamilies(const KeyFamilies& families, size_t begin, size_t end,
                                    std::vector<std::vector<uint64_t>>* pair_lists) {
  const int ranks = ranks_.size();
  const std::vector<TextFeatures>& features = corpus_.features();
  // Per owner: per family of the batch, a count and the entries.
  std::vector<std::string> sent(ranks);
  std::vector<std::vector<KeyedItem>> by_owner(ranks);
  for (size_t family = begin; family < end; ++family) {
    for (auto& entries : by_owner) entries.clear();
    for (uint32_t k = 0; k < count(); ++k) {
      const uint64_t key = families.KeyOf(features[k], family);
      if (key != 0) by_owner[OwnerOfHash(key, ranks)].push_back({key, Global(k)});
    }
    for (int r = 0; r < ranks; ++r) {
      Put(static_cast<uint64_t>(by_owner[r].size()), &sent[r]);
      sent[r].append(reinterpret_cast<const char*>(by_owner[r].data()),
                     by_owner[r].size() * sizeof(KeyedItem));
    }
  }
  by_owner.clear();
  const Received keys = ranks_.Exchange(std::move(sent));
  std::vector<std::vector<KeyedItem>> keyed(end - begin);
  for (int r = 0; r < ranks; ++r) {
    std::string_view from = keys.From(r);
    for (std::vector<KeyedItem>& family : keyed) {
      uint64_t n = 0;
      Take(&from, &n);
      AppendAll(from.substr(0, n * sizeof(KeyedItem)), &family);
      from.remove_prefix(n * sizeof(KeyedItem));
    }
  }
  std::vector<std::vector<uint64_t>> pairs(keyed.size());
  ParallelFor(keyed.size(), threads_, [&](size_t b, size_t e, int) {
    for (size_t family = b; family < e; ++family) {
      std::sort(keyed[family].begin(), keyed[family].end());
      AppendKeyPairs(keyed[family], static_cast<size_t>(params_.max_candidates_per_key),
                     &pairs[family]);
      std::vector<KeyedItem>().swap(keyed[family]);
    }
  });
  // Each pair to the rank of its later item, which counts them: the later
  // item as its index there.
  std::vector<std::string> routed(ranks);
  for (const std::vector<uint64_t>& list : pairs) {
    for (uint64_t pair : list) {
      const auto later = static_cast<uint32_t>(pair >> 32);
      Put(uint64_t{Local(later)} << 32 | (pair & UINT32_MAX), &routed[items_.OwnerOf(later)]);
    }
  }
  pairs.clear();
  const Received received = ranks_.Exchange(std::move(routed));
  for (int r = 0; r < ranks; ++r) {
    pair_lists->emplace_back();
    AppendAll(received.From(r), &pair_lists->back());
  }
}

absl::Status MpiDupsRun::ShareFeatures() {
  // Compared: items with candidates, and candidates.
  std::vector<char> compared(count(), false);
  std::vector<uint32_t> remote;
  for (uint32_t k = 0; k < count(); ++k) {
    const auto candidates = candidates_.Of(k);
    if (!candidates.empty()) compared[k] = true;
    for (const EarlierCandidate& c : candidates) {
      if (IsLocal(c.item)) {
        compared[Local(c.item)] = true;
      } else {
        remote.push_back(c.item);
      }
    }
  }
  return FetchFeatures(
      std::move(remote),
      [&](std::span<const uint32_t> asked) {
        for (uint32_t id : asked) compared[Local(id)] = true;
        std::vector<uint32_t> local;
        for (uint32_t k = 0; k < count(); ++k) {
          if (compared[k]) local.push_back(k);
        }
        return Agree(corpus_.Complete(local));
      },
      &candidate_features_);
}

absl::Status MpiDupsRun::FetchFeatures(
    std::vector<uint32_t> ids, const std::function<absl::Status(std::span<const uint32_t>)>& prepare,
    FeatureCache* cache) {
  items_.SortByOwner(&ids);
  std::vector<std::string> asks(ranks_.size());
  for (uint32_t id : ids) Put(id, &asks[items_.OwnerOf(id)]);
  const Received asked = ranks_.Exchange(std::move(asks));
  std::vector<std::vector<uint32_t>> asked_by(ranks_.size());
  std::vector<uint32_t> all_asked;
  for (int r = 0; r < ranks_.size(); ++r) {
    AppendAll(asked.From(r), &asked_by[r]);
    all_asked.insert(all_asked.end(), asked_by[r].begin(), asked_by[r].end());
  }
  if (absl::Status s = prepare(all_asked); !s.ok()) return s;
  // Answers in the order asked, with what this rank knows of each title
  // and lede.
  std::vector<std::string> answers(ranks_.size());
  for (int r = 0; r < ranks_.size(); ++r) {
    for (uint32_t id : asked_by[r]) {
      const TextFeatures& f = corpus_.features()[Local(id)];
      AppendFeatures(f, &answers[r]);
      Put(TextFlagsOf(f), &answers[r]);
    }
  }
  const Received answered = ranks_.Exchange(std::move(answers));
  std::vector<TextFeatures> features(ids.size());  // In the order of `ids`.
  size_t filled = 0;
  for (int r = 0; r < ranks_.size(); ++r) {
    std::string_view from = answered.From(r);
    while (!from.empty() && filled < features.size()) {
      TextFeatures& f = features[filled++];
      uint8_t flags = 0;
      if (!ReadFeatures(&from, &f) || !Take(&from, &flags)) break;
      LearnTextFlags(f, flags);
    }
  }
  if (filled != features.size()) return absl::InternalError("features from another rank cut short");
  cache->Add(std::move(ids), std::move(features));
  return absl::OkStatus();
}

const TextFeatures& MpiDupsRun::FeaturesOf(uint32_t item) const {
  if (IsLocal(item)) return corpus_.features()[Local(item)];
  if (const TextFeatures* f = candidate_features_.Find(item)) return *f;
  return *member_features_.Find(item);
}

void MpiDupsRun::Judge() {
  verdicts_.assign(count(), Verdicts());
  const auto features_of = [&](uint32_t item) -> const TextFeatures& { return FeaturesOf(item); };
  ParallelFor(count(), threads_, [&](size_t begin, size_t end, int) {
    for (size_t k = begin; k < end; ++k) {
      const auto candidates = candidates_.Of(k);
      if (candidates.empty()) continue;
      verdicts_[k] =
          JudgeCandidates(rules_, corpus_.features()[k], {}, no_store_, candidates, features_of);
    }
  });
  candidates_ = DumpCandidates();
}

void MpiDupsRun::FindComponents() {
  std::vector<std::pair<uint32_t, uint32_t>> edges;
  for (uint32_t k = 0; k < count(); ++k) {
    for (const Verdicts::Accepted& a : verdicts_[k].accepted) {
      edges.emplace_back(Global(k), a.ref.index);
    }
  }
  labels_ = FindComponentsAcrossRanks(ranks_, items_, edges);
  component_rounds_ = labels_.rounds;
}

absl::Status MpiDupsRun::Decide() {
  std::vector<DecisionRecord> records = ReceiveDecisionRecords(DecidersOfComponents());
  std::sort(records.begin(), records.end(), [](const auto& a, const auto& b) {
    return a.component != b.component ? a.component < b.component : a.item < b.item;
  });
  // Members whose features this rank lacks (most have them already: they
  // are its items, or its items' candidates).
  std::vector<uint32_t> missing;
  for (const DecisionRecord& record : records) {
    if (!IsLocal(record.item) && candidate_features_.Find(record.item) == nullptr) {
      missing.push_back(record.item);
    }
  }
  const absl::Status fetched = FetchFeatures(
      std::move(missing), [](std::span<const uint32_t>) { return absl::OkStatus(); },
      &member_features_);
  if (absl::Status s = Agree(fetched); !s.ok()) return s;
  ComponentDecider decider(rules_, no_store_);
  std::vector<std::string> clusters(ranks_.size());
  std::vector<std::string> dropped(ranks_.size());
  for (size_t begin = 0; begin < records.size();) {
    size_t end = begin + 1;
    while (end < records.size() && records[end].component == records[begin].component) ++end;
    DecideComponent(std::span<const DecisionRecord>(records).subspan(begin, end - begin),
                    decider, &clusters, &dropped);
    begin = end;
  }
  records.clear();
  const Received received = ranks_.Exchange(std::move(clusters));
  for (int r = 0; r < ranks_.size(); ++r) {
    std::string_view from = received.From(r);
    Cluster cluster;
    uint32_t members = 0;
    while (Take(&from, &cluster.first) && Take(&from, &members)) {
      cluster.names.resize(members);
      cluster.evidence.resize(members);
      for (uint32_t m = 0; m < members; ++m) {
        uint8_t rule = 0;
        TakeString(&from, &cluster.names[m]);
        Take(&from, &rule);
        Take(&from, &cluster.evidence[m].similarity);
        Take(&from, &cluster.evidence[m].containment);
        cluster.evidence[m].rule = static_cast<MatchRule>(rule);
      }
      clusters_.push_back(std::move(cluster));
    }
  }
  if (!options_.keep_first.empty()) {
    const Received later = ranks_.Exchange(std::move(dropped));
    dropped_.assign(count(), false);
    for (int r = 0; r < ranks_.size(); ++r) {
      std::vector<uint32_t> items;
      AppendAll(later.From(r), &items);
      for (uint32_t item : items) dropped_[Local(item)] = true;
    }
  }
  return absl::OkStatus();
}

// A component is decided by the rank of its largest item, which holds the
// features of that item's candidates already: a pair needs no features sent.
std::vector<int> MpiDupsRun::DecidersOfComponents() {
  std::vector<std::string> members(ranks_.size());  // (component, item) to the component's rank.
  for (uint32_t k = 0; k < count(); ++k) {
    if (!labels_.linked[k]) continue;
    Put(labels_.smallest[k], &members[items_.OwnerOf(labels_.smallest[k])]);
    Put(Global(k), &members[items_.OwnerOf(labels_.smallest[k])]);
  }
  const Received received = ranks_.Exchange(std::move(members));
  absl::flat_hash_map<uint32_t, uint32_t> largest;  // Of each component held here.
  for (int r = 0; r < ranks_.size(); ++r) {
    std::vector<uint32_t> pairs;
    AppendAll(received.From(r), &pairs);
    for (size_t p = 0; p + 1 < pairs.size(); p += 2) {
      uint32_t& max = largest[pairs[p]];
      max = std::max(max, pairs[p + 1]);
    }
  }
  std::vector<std::string> answers(ranks_.size());  // The largest item, per member asked.
  for (int r = 0; r < ranks_.size(); ++r) {
    std::vector<uint32_t> pairs;
    AppendAll(received.From(r), &pairs);
    for (size_t p = 0; p + 1 < pairs.size(); p += 2) Put(largest[pairs[p]], &answers[r]);
  }
  const Received answered = ranks_.Exchange(std::move(answers));
  std::vector<std::vector<uint32_t>> largest_by_rank(ranks_.size());
  for (int r = 0; r < ranks_.size(); ++r) AppendAll(answered.From(r), &largest_by_rank[r]);
  std::vector<size_t> next(ranks_.size(), 0);
  std::vector<int> deciders(count(), -1);
  for (uint32_t k = 0; k < count(); ++k) {  // In the order asked.
    if (!labels_.linked[k]) continue;
    const int owner = items_.OwnerOf(labels_.smallest[k]);
    deciders[k] = items_.OwnerOf(largest_by_rank[owner][next[owner]++]);
  }
  return deciders;
}

// Every linked item of this rank, with what its component's decision needs,
// sent to the rank deciding that component; what this rank decides, back.
std::vector<DecisionRecord> MpiDupsRun::ReceiveDecisionRecords(const std::vector<int>& deciders) {
  std::vector<std::string> sent(ranks_.size());
  for (uint32_t k = 0; k < count(); ++k) {
    if (!labels_.linked[k]) continue;  // Alone: a story of its own.
    std::string& out = sent[deciders[k]];
    Put(labels_.smallest[k], &out);
    Put(Global(k), &out);
    PutString(corpus_.NameOf(k), &out);
    PutVerdicts(verdicts_[k], &out);
  }
  std::vector<Verdicts>().swap(verdicts_);
  const Received received = ranks_.Exchange(std::move(sent));
  std::vector<DecisionRecord> records;
  for (int r = 0; r < ranks_.size(); ++r) {
    std::string_view from = received.From(r);
    while (!from.empty()) {
      DecisionRecord& record = records.emplace_back();
      Take(&from, &record.component);
      Take(&from, &record.item);
      TakeString(&from, &record.name);
      TakeVerdicts(&from, &record.verdicts);
    }
  }
  return records;
}

// Decides one component (its records by ascending item) and sends each
// story of two or more items to the rank of its first item (and, for
// --keep-first, each later member to its own rank).
void MpiDupsRun::DecideComponent(std::span<const DecisionRecord> records,
                                 ComponentDecider& decider,
                                 std::vector<std::string>* clusters_out,
                                 std::vector<std::string>* dropped_out) {
  std::vector<uint32_t> items;
  for (const DecisionRecord& record : records) items.push_back(record.item);
  std::vector<StoryDecision> decisions(items.size());
  decider.Decide(
      items, [&](size_t k) -> const Verdicts& { return records[k].verdicts; },
      [&](uint32_t item) -> const TextFeatures& { return FeaturesOf(item); }, decisions);
  std::vector<std::pair<uint32_t, uint32_t>> members;  // (story, k), by story then item.
  for (uint32_t k = 0; k < items.size(); ++k) members.emplace_back(decisions[k].story, k);
  std::sort(members.begin(), members.end());
  for (size_t begin = 0; begin < members.size();) {
    size_t end = begin + 1;
    while (end < members.size() && members[end].first == members[begin].first) ++end;
    if (end - begin >= 2) {
      std::string& out = (*clusters_out)[items_.OwnerOf(members[begin].first)];
      Put(members[begin].first, &out);
      Put(static_cast<uint32_t>(end - begin), &out);
      for (size_t m = begin; m < end; ++m) {
        const uint32_t k = members[m].second;
        PutString(records[k].name, &out);
        Put(static_cast<uint8_t>(decisions[k].evidence.rule), &out);
        Put(decisions[k].evidence.similarity, &out);
        Put(decisions[k].evidence.containment, &out);
        if (m > begin && !options_.keep_first.empty()) {
          Put(items[k], &(*dropped_out)[items_.OwnerOf(items[k])]);
        }
      }
    }
    begin = end;
  }
}

void MpiDupsRun::Write(std::ostream& out) {
  // Clusters are numbered and written in the order of their first items:
  // chunk by chunk, each chunk's from the rank holding it.
  std::sort(clusters_.begin(), clusters_.end(),
            [](const Cluster& a, const Cluster& b) { return a.first < b.first; });
  std::vector<uint64_t> per_chunk(items_.chunks(), 0);
  for (const Cluster& cluster : clusters_) ++per_chunk[items_.ChunkOf(cluster.first)];
  per_chunk = ranks_.Sum(per_chunk);  // Each chunk's count comes from one rank.
  std::vector<uint64_t> base(items_.chunks() + 1, 0);
  std::vector<int> owners(items_.chunks());
  for (size_t c = 0; c < items_.chunks(); ++c) {
    base[c + 1] = base[c] + per_chunk[c];
    owners[c] = ItemLayout::RankOfChunk(c, ranks_.size());
  }
  std::vector<std::string> mine;  // This rank's chunks' lines, in chunk order.
  size_t next = 0;
  for (size_t c = 0; c < items_.chunks(); ++c) {
    if (owners[c] != ranks_.rank()) continue;
    std::string& lines = mine.emplace_back();
    for (uint64_t number = base[c]; next < clusters_.size() &&
                                    items_.ChunkOf(clusters_[next].first) == c;
         ++next, ++number) {
      lines += DupsClusterLine(number, clusters_[next].names, clusters_[next].evidence);
    }
  }
  ranks_.WriteInOrder(owners, mine, out);
  if (ranks_.rank() == 0) {
    spdlog::info("{}, {} of duplicates", Plural(items_.total(), "item", "items"),
                 Plural(base.back(), "cluster", "clusters"));
  }
}

absl::Status MpiDupsRun::OpenKeptOutput() {
  if (options_.keep_first.empty()) return absl::OkStatus();
  absl::Status status;
  if (ranks_.rank() == 0) {
    kept_out_.open(options_.keep_first, std::ios::binary | std::ios::trunc);
    if (!kept_out_) {
      status = absl::PermissionDeniedError(
          absl::StrCat("cannot write ", options_.keep_first, ": ", std::strerror(errno)));
    }
  }
  return ranks_.AgreeOnError(0, status);
}

absl::Status MpiDupsRun::WriteKept() {
  if (options_.keep_first.empty()) return absl::OkStatus();
  ranks_.StartPhase("keep_first");
  std::vector<char> keep(count());
  uint64_t kept = 0;
  for (uint32_t k = 0; k < count(); ++k) {
    keep[k] = !dropped_[k];
    kept += keep[k] ? 1 : 0;
  }
  kept = ranks_.Sum(kept);
  // A rank's items are its chunks' in order: each chunk's lines, in turn.
  std::vector<int> owners(items_.chunks());
  std::vector<std::string> mine;
  absl::Status status;
  uint32_t next = 0;
  for (size_t c = 0; c < items_.chunks(); ++c) {
    owners[c] = ItemLayout::RankOfChunk(c, ranks_.size());
    if (owners[c] != ranks_.rank()) continue;
    const uint32_t end = next + static_cast<uint32_t>(items_.ItemsOfChunk(c));
    std::string& lines = mine.emplace_back();
    if (status.ok()) {
      status = corpus_.ForEachLine(keep, next, end, [&](std::string_view line) {
        lines.append(line);
        return absl::OkStatus();
      });
    }
    next = end;
  }
  if (absl::Status s = ranks_.AgreeOnError(0, status); !s.ok()) return s;
  ranks_.WriteInOrder(owners, mine, kept_out_);
  absl::Status written;
  if (ranks_.rank() == 0) {
    kept_out_.close();
    if (!kept_out_) {
      written = absl::DataLossError(absl::StrCat("cannot write ", options_.keep_first));
    }
  }
  if (ranks_.rank() == 0 && written.ok()) {
    spdlog::info("{}: {} of {} items kept", options_.keep_first, kept, items_.total());
  }
  return ranks_.AgreeOnError(0, written);
}

}  // namespace

absl::Status RunMpiDups(Ranks& ranks, const std::vector<std::string>& files,
                        const DupsOptions& options, std::ostream& out, RankFigures* figures) {
  return MpiDupsRun(ranks, files, options).Run(out, figures);
}

}  // namespace newsdedup
