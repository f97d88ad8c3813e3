// newsdedup_eval: measures story-identity quality on labeled items.
//
// Every input file is ingested, in order, into an in-memory StoryStore by the
// real Ingester (one snapshot per file, or per value of --split-field), so
// that items are matched exactly as `newsdedup ingest` matches them; each
// item's story is then read back from the store and compared with its label.
//
// Pairwise precision and recall count item pairs: a pair is "true" when both
// items carry the same label and "predicted" when both went to the same
// story. All counts come from the contingency table of (label, story) cells,
// so the cost is O(items + cells), never O(items^2). The pairs printed as
// worst cases are re-scored with core's FeatureExtractor and Verify.
//
// Labels come from a JSON Lines `label` field, or from --truth: JSON Lines
// with {"id", "cluster"} (the corpus generator's truth.jsonl) or
// {"file", "position", "story"} (tests/fixtures/seeds_truth.jsonl). An item is
// named by its JSONL `id` when it has one, else by FILE:POSITION (file base
// name, 0-based position in the snapshot).

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "core/dump_parser.h"
#include "core/match_params.h"
#include "core/matcher.h"
#include "core/similarity.h"
#include "nlohmann/json.hpp"
#include "store/ingest.h"
#include "store/story_store.h"

namespace newsdedup {
namespace {

using nlohmann::json;

constexpr char kUsage[] =
    "usage: newsdedup_eval [flags] FILE...\n"
    "Ingests FILEs in order (one snapshot each) into an in-memory store with\n"
    "the real matcher and scores the stories found against ground truth.\n"
    "  --truth FILE          JSONL: {id, cluster[, type]} or {file, position, story};\n"
    "                        without it, JSONL items need a `label` field\n"
    "  --traps FILE          JSONL pairs {a, b, why} that must stay apart\n"
    "  --split-field NAME    one snapshot per value of this JSONL field (e.g. night)\n"
    "  --ignore-urls         drop JSONL `url` so that only texts decide\n"
    "  --worst N             false merges and splits to show (default 10)\n"
    "  --threads N           ingest threads (default: one per core)\n"
    "  --json                machine-readable output\n"
    "  matcher thresholds (defaults from core/match_params.h):\n"
    "  --shingle-size N --num-hashes N --lsh-threshold F\n"
    "  --near-duplicate-jaccard F --containment F --title-jaccard F\n"
    "  --title-text-overlap F --date-conflict-jaccard F --weak-title-stories N\n"
    "  caps: --max-candidates-per-key N --max-verified-candidates N\n"
    "  --max-story-versions-checked N\n";

struct Flags {
  std::vector<std::string> inputs;
  std::string truth;
  std::string traps;
  std::string split_field;
  bool ignore_urls = false;
  int worst = 10;
  int threads = 0;
  bool json = false;
  MatchParams params;
};

absl::Status ParseFlags(int argc, char** argv, Flags* flags) {
  auto bad = [](std::string_view flag, std::string_view value) {
    return absl::InvalidArgumentError(
        absl::StrCat("bad value '", std::string(value), "' for ", std::string(flag)));
  };
  for (int i = 1; i < argc; ++i) {
    std::string_view flag = argv[i];
    if (!flag.starts_with("--") || flag == "-") {
      flags->inputs.emplace_back(flag);
      continue;
    }
    if (flag == "--json") {
      flags->json = true;
      continue;
    }
    if (flag == "--ignore-urls") {
      flags->ignore_urls = true;
      continue;
    }
    std::string_view value;
    if (const size_t eq = flag.find('='); eq != std::string_view::npos) {
      value = flag.substr(eq + 1);
      flag = flag.substr(0, eq);
    } else if (i + 1 < argc) {
      value = argv[++i];
    } else {
      return absl::InvalidArgumentError(absl::StrCat(std::string(flag), " wants a value"));
    }
    const absl::string_view v(value.data(), value.size());
    MatchParams& p = flags->params;
    bool ok = true;
    if (flag == "--truth") {
      flags->truth = std::string(value);
    } else if (flag == "--traps") {
      flags->traps = std::string(value);
    } else if (flag == "--split-field") {
      flags->split_field = std::string(value);
    } else if (flag == "--worst") {
      ok = absl::SimpleAtoi(v, &flags->worst) && flags->worst >= 0;
    } else if (flag == "--threads") {
      ok = absl::SimpleAtoi(v, &flags->threads);
    } else if (flag == "--shingle-size") {
      ok = absl::SimpleAtoi(v, &p.shingle_size) && p.shingle_size >= 1;
    } else if (flag == "--num-hashes") {
      ok = absl::SimpleAtoi(v, &p.num_hashes) && p.num_hashes >= 1;
    } else if (flag == "--lsh-threshold") {
      ok = absl::SimpleAtod(v, &p.lsh_threshold) && p.lsh_threshold > 0 &&
           p.lsh_threshold < 1;
    } else if (flag == "--near-duplicate-jaccard") {
      ok = absl::SimpleAtod(v, &p.near_duplicate_jaccard);
    } else if (flag == "--containment") {
      ok = absl::SimpleAtod(v, &p.containment);
    } else if (flag == "--title-jaccard") {
      ok = absl::SimpleAtod(v, &p.title_jaccard);
    } else if (flag == "--title-text-overlap") {
      ok = absl::SimpleAtod(v, &p.title_text_overlap);
    } else if (flag == "--date-conflict-jaccard") {
      ok = absl::SimpleAtod(v, &p.date_conflict_jaccard);
    } else if (flag == "--weak-title-stories") {
      ok = absl::SimpleAtoi(v, &p.weak_title_stories);
    } else if (flag == "--max-candidates-per-key") {
      ok = absl::SimpleAtoi(v, &p.max_candidates_per_key) && p.max_candidates_per_key >= 0;
    } else if (flag == "--max-verified-candidates") {
      ok = absl::SimpleAtoi(v, &p.max_verified_candidates) && p.max_verified_candidates >= 0;
    } else if (flag == "--max-story-versions-checked") {
      ok = absl::SimpleAtoi(v, &p.max_story_versions_checked) &&
           p.max_story_versions_checked >= 0;
    } else {
      return absl::InvalidArgumentError(absl::StrCat("unknown flag ", std::string(flag)));
    }
    if (!ok) return bad(flag, value);
  }
  if (flags->inputs.empty()) return absl::InvalidArgumentError("no input file");
  return absl::OkStatus();
}

absl::StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return absl::NotFoundError(absl::StrCat("cannot read ", path));
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// Calls `fn(line_number, object)` for each JSON object line of `bytes`;
// InvalidArgumentError naming the first line that is not one.
template <typename Fn>
absl::Status ForEachJsonLine(const std::string& path, const std::string& bytes, Fn fn) {
  int number = 0;
  for (absl::string_view line : absl::StrSplit(bytes, '\n')) {
    ++number;
    if (line.find_first_not_of(" \t\r") == absl::string_view::npos) continue;
    json object = json::parse(line.begin(), line.end(), nullptr, false);
    if (object.is_discarded() || !object.is_object()) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ":", number, ": not a JSON object"));
    }
    absl::Status status = fn(number, object);
    if (!status.ok()) return status;
  }
  return absl::OkStatus();
}

// A JSON string or number as text ("" when absent or of another type).
std::string FieldText(const json& object, const char* key) {
  const auto it = object.find(key);
  if (it == object.end()) return "";
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number_integer()) return std::to_string(it->get<int64_t>());
  if (it->is_number_unsigned()) return std::to_string(it->get<uint64_t>());
  return "";
}

struct Truth {
  std::string cluster;
  std::string type;  // Generator item type ("near", "teaser"...); may be empty.
};

absl::StatusOr<absl::flat_hash_map<std::string, Truth>> ReadTruth(const std::string& path) {
  absl::StatusOr<std::string> bytes = ReadFile(path);
  if (!bytes.ok()) return bytes.status();
  absl::flat_hash_map<std::string, Truth> truth;
  absl::Status status = ForEachJsonLine(path, *bytes, [&](int line, const json& o) {
    std::string name = FieldText(o, "id");
    if (name.empty() && o.contains("file")) {
      name = absl::StrCat(FieldText(o, "file"), ":", FieldText(o, "position"));
    }
    Truth t{.cluster = FieldText(o, "cluster"), .type = FieldText(o, "type")};
    if (t.cluster.empty()) t.cluster = FieldText(o, "story");
    if (name.empty() || t.cluster.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(path, ":", line, ": wants id or file+position, and cluster or story"));
    }
    if (!truth.emplace(name, std::move(t)).second) {
      return absl::InvalidArgumentError(absl::StrCat(path, ":", line, ": duplicate ", name));
    }
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return truth;
}

// One ingested item with its label and the story the store gave it.
struct EvalItem {
  std::string name;
  Item item;
  std::string label;
  std::string type;
  std::string story;
  ItemRecord record;  // How ingest tied it to its story.
  TextFeatures features;
};

// One snapshot to ingest: a file, or the lines of a JSONL file sharing a
// value of the split field.
struct Snapshot {
  std::string file;  // Base name, for FILE:POSITION names.
  std::string bytes;
};

// `labels` gets the JSONL `label` of every item that has one, by item name.
absl::StatusOr<std::vector<Snapshot>> LoadSnapshots(
    const Flags& flags, absl::flat_hash_map<std::string, std::string>* labels) {
  std::vector<Snapshot> snapshots;
  for (const std::string& path : flags.inputs) {
    absl::StatusOr<std::string> bytes = ReadFile(path);
    if (!bytes.ok()) return bytes.status();
    const std::string file = std::filesystem::path(path).filename().string();
    if (DetectDumpFormat(*bytes) != DumpFormat::kJsonl) {
      snapshots.push_back(Snapshot{.file = file, .bytes = *std::move(bytes)});
      continue;
    }
    // JSONL is rewritten (split, urls dropped) and its labels kept by id,
    // since the parser's Item has no label.
    std::map<std::string, size_t> group_of_value;
    const size_t first = snapshots.size();
    absl::Status status = ForEachJsonLine(path, *bytes, [&](int, json& o) {
      const std::string value = flags.split_field.empty() ? "" : FieldText(o, flags.split_field.c_str());
      auto [it, added] = group_of_value.emplace(value, snapshots.size());
      if (added) snapshots.push_back(Snapshot{.file = file, .bytes = ""});
      Snapshot& snapshot = snapshots[it->second];
      const std::string label = FieldText(o, "label");
      const std::string id = FieldText(o, "id");
      if (!label.empty() && !id.empty()) (*labels)[id] = label;
      if (flags.ignore_urls) o.erase("url");
      snapshot.bytes += o.dump();
      snapshot.bytes += '\n';
      return absl::OkStatus();
    });
    if (!status.ok()) return status;
    if (snapshots.size() == first) {
      return absl::InvalidArgumentError(absl::StrCat(path, ": no JSON object"));
    }
  }
  return snapshots;
}

// Ingests every snapshot and returns the items with their stories and labels.
absl::StatusOr<std::vector<EvalItem>> IngestAll(const Flags& flags) {
  absl::flat_hash_map<std::string, std::string> labels;
  absl::StatusOr<std::vector<Snapshot>> snapshots = LoadSnapshots(flags, &labels);
  if (!snapshots.ok()) return snapshots.status();
  absl::flat_hash_map<std::string, Truth> truth;
  if (!flags.truth.empty()) {
    absl::StatusOr<absl::flat_hash_map<std::string, Truth>> read = ReadTruth(flags.truth);
    if (!read.ok()) return read.status();
    truth = *std::move(read);
  }
  absl::StatusOr<std::unique_ptr<StoryStore>> store = StoryStore::Open(
      "/newsdedup-eval", flags.params.Describe(), StoryStore::Options{.in_memory = true});
  if (!store.ok()) return store.status();
  Ingester ingester(store->get(), flags.params, flags.threads);
  FeatureExtractor extractor(flags.params);

  std::vector<EvalItem> items;
  for (size_t s = 0; s < snapshots->size(); ++s) {
    const Snapshot& snapshot = (*snapshots)[s];
    IngestRequest request;
    request.source = "eval";
    // Distinct, increasing capture times: one day per snapshot.
    request.captured_at = absl::StrFormat("%04d-%02d-%02dT00:00:00Z", 2001 + s / 336,
                                          1 + s / 28 % 12, 1 + s % 28);
    request.file_name = snapshot.file;
    request.bytes = snapshot.bytes;
    absl::StatusOr<IngestResult> result = ingester.Ingest(request);
    if (!result.ok()) return result.status();
    absl::StatusOr<std::vector<ItemRecord>> records =
        (*store)->GetSnapshotItems(result->snapshot.id);
    if (!records.ok()) return records.status();
    // The ingester parsed these same bytes the same way.
    absl::StatusOr<ParsedDump> dump = ParseDump(snapshot.bytes);
    if (!dump.ok()) return dump.status();
    if (dump->items.size() != records->size()) {
      return absl::InternalError(absl::StrCat(snapshot.file, ": ", dump->items.size(),
                                              " items parsed but ", records->size(),
                                              " stored"));
    }
    for (size_t i = 0; i < records->size(); ++i) {
      EvalItem e;
      e.item = std::move(dump->items[i]);
      e.name = e.item.id.empty() ? absl::StrCat(snapshot.file, ":", i) : e.item.id;
      e.record = (*records)[i];
      e.story = e.record.story_id;
      if (const auto it = labels.find(e.name); it != labels.end()) e.label = it->second;
      if (const auto it = truth.find(e.name); it != truth.end()) {
        e.label = it->second.cluster;
        e.type = it->second.type;
      }
      if (e.label.empty()) {
        return absl::InvalidArgumentError(absl::StrCat("no label for item ", e.name));
      }
      e.features = extractor.Extract(e.item.title, e.item.lede, e.item.body, e.item.url,
                                     /*with_band_keys=*/false);
      items.push_back(std::move(e));
    }
  }
  return items;
}

int64_t Pairs(int64_t n) { return n * (n - 1) / 2; }

// Pair counts of one view: all pairs, or the pairs touching an item of one type.
struct PairCounts {
  int64_t items = 0;
  int64_t true_pairs = 0;
  int64_t predicted_pairs = 0;
  int64_t correct_pairs = 0;
  double Precision() const {
    return predicted_pairs == 0 ? 1.0 : double(correct_pairs) / predicted_pairs;
  }
  double Recall() const { return true_pairs == 0 ? 1.0 : double(correct_pairs) / true_pairs; }
  double F1() const {
    const double p = Precision(), r = Recall();
    return p + r == 0 ? 0.0 : 2 * p * r / (p + r);
  }
};

// Items of the whole set and of a subset (one type) in one group of the
// partition: pairs touching the subset are C(n,2) - C(n-h,2).
struct Count {
  int64_t n = 0;
  int64_t h = 0;
  int64_t Touching() const { return Pairs(n) - Pairs(n - h); }
};

// Pairwise counts restricted to pairs with at least one item satisfying
// `in_subset` (all pairs when it always holds), from the contingency table.
template <typename Pred>
PairCounts CountPairs(const std::vector<EvalItem>& items, Pred in_subset) {
  absl::flat_hash_map<std::string, Count> by_label, by_story;
  absl::flat_hash_map<std::pair<std::string, std::string>, Count> cells;
  PairCounts counts;
  for (const EvalItem& e : items) {
    const int64_t h = in_subset(e) ? 1 : 0;
    counts.items += h;
    for (Count* c : {&by_label[e.label], &by_story[e.story], &cells[{e.label, e.story}]}) {
      c->n += 1;
      c->h += h;
    }
  }
  for (const auto& [label, c] : by_label) counts.true_pairs += c.Touching();
  for (const auto& [story, c] : by_story) counts.predicted_pairs += c.Touching();
  for (const auto& [cell, c] : cells) counts.correct_pairs += c.Touching();
  return counts;
}

// Adjusted Rand index (Hubert and Arabie) from the all-pairs counts.
double AdjustedRand(const PairCounts& all, int64_t n) {
  const double total = double(Pairs(n));
  if (total == 0) return 1.0;
  const double expected = double(all.true_pairs) * all.predicted_pairs / total;
  const double maximum = 0.5 * (all.true_pairs + all.predicted_pairs);
  if (maximum == expected) return 1.0;
  return (all.correct_pairs - expected) / (maximum - expected);
}

// Verify's view of one pair, with the scores even when it says "different".
struct PairScore {
  const EvalItem* a = nullptr;
  const EvalItem* b = nullptr;
  MatchEvidence evidence;
  bool weak_title = false;
  int64_t pairs = 0;  // Wrong pairs of the merge or split it stands for.
};

// Titles carried by items of at least weak_title_stories predicted stories,
// as the ingester's recurring-feature test sees them.
absl::flat_hash_set<uint64_t> WeakTitles(const std::vector<EvalItem>& items,
                                         const MatchParams& params) {
  absl::flat_hash_map<uint64_t, absl::flat_hash_set<std::string>> stories;
  for (const EvalItem& e : items) {
    if (e.features.title_hash != 0) stories[e.features.title_hash].insert(e.story);
  }
  absl::flat_hash_set<uint64_t> weak;
  for (const auto& [title, s] : stories) {
    if (s.size() >= static_cast<size_t>(params.weak_title_stories)) weak.insert(title);
  }
  return weak;
}

PairScore Score(const MatchParams& params, const absl::flat_hash_set<uint64_t>& weak,
                const EvalItem& a, const EvalItem& b) {
  PairScore score;
  score.a = &a;
  score.b = &b;
  score.weak_title = weak.contains(b.features.title_hash);
  const std::optional<MatchEvidence> verified =
      Verify(params, a.features, b.features, score.weak_title);
  if (verified.has_value()) {
    score.evidence = *verified;
    return score;
  }
  const ShingleSet& x = a.features.full;
  const ShingleSet& y = b.features.full;
  score.evidence.similarity = Jaccard(x, y);
  score.evidence.containment = x.size() <= y.size() ? Containment(x, y) : Containment(y, x);
  score.evidence.title_similarity = Jaccard(a.features.title_words, b.features.title_words);
  return score;
}

// The most similar pair between two groups (first 30 items of each), to show
// why a merge happened or why a split should not have.
PairScore BestPair(const MatchParams& params, const absl::flat_hash_set<uint64_t>& weak,
                   const std::vector<const EvalItem*>& x,
                   const std::vector<const EvalItem*>& y) {
  constexpr size_t kMaxPerSide = 30;
  PairScore best;
  double best_score = -1;
  for (size_t i = 0; i < std::min(x.size(), kMaxPerSide); ++i) {
    for (size_t j = 0; j < std::min(y.size(), kMaxPerSide); ++j) {
      PairScore s = Score(params, weak, *x[i], *y[j]);
      const double value = s.evidence.Score() + s.evidence.title_similarity;
      if (value > best_score) {
        best_score = value;
        best = s;
      }
    }
  }
  return best;
}

// For each group of `outer` (stories for merges, labels for splits) split
// into several parts by `inner`: the wrong pairs and the closest pair between
// its two largest parts. Worst first.
template <typename Outer, typename Inner>
std::vector<PairScore> WorstCases(const std::vector<EvalItem>& items, const Flags& flags,
                                  const absl::flat_hash_set<uint64_t>& weak, Outer outer,
                                  Inner inner) {
  std::map<std::string, std::map<std::string, std::vector<const EvalItem*>>> groups;
  for (const EvalItem& e : items) groups[outer(e)][inner(e)].push_back(&e);
  std::vector<std::pair<int64_t, const std::map<std::string, std::vector<const EvalItem*>>*>>
      bad;
  for (const auto& [key, parts] : groups) {
    if (parts.size() < 2) continue;
    int64_t n = 0, same = 0;
    for (const auto& [part, members] : parts) {
      n += members.size();
      same += Pairs(members.size());
    }
    bad.emplace_back(Pairs(n) - same, &parts);
  }
  std::stable_sort(bad.begin(), bad.end(),
                   [](const auto& l, const auto& r) { return l.first > r.first; });
  std::vector<PairScore> worst;
  for (size_t k = 0; k < bad.size() && worst.size() < static_cast<size_t>(flags.worst); ++k) {
    std::vector<const std::vector<const EvalItem*>*> parts;
    for (const auto& [part, members] : *bad[k].second) parts.push_back(&members);
    std::stable_sort(parts.begin(), parts.end(),
                     [](const auto* l, const auto* r) { return l->size() > r->size(); });
    PairScore s = BestPair(flags.params, weak, *parts[0], *parts[1]);
    s.pairs = bad[k].first;
    worst.push_back(s);
  }
  return worst;
}

// The first `bytes` bytes of `text`, not cutting a UTF-8 sequence.
std::string Prefix(const std::string& text, size_t bytes) {
  if (text.size() <= bytes) return text;
  while (bytes > 0 && (static_cast<unsigned char>(text[bytes]) & 0xC0) == 0x80) --bytes;
  return text.substr(0, bytes);
}

json ItemJson(const EvalItem& e) {
  // An orphan lede has no title: its lede's start stands for it.
  return json{{"name", e.name},
              {"title", e.item.title.empty() ? Prefix(e.item.lede, 90) : e.item.title},
              {"label", e.label},
              {"story", e.story},
              {"type", e.type},
              {"joined_by", std::string(MatchRuleName(e.record.rule))},
              {"joined_similarity", e.record.similarity},
              {"joined_containment", e.record.containment}};
}

json PairJson(const PairScore& s) {
  return json{{"wrong_pairs", s.pairs},
              {"a", ItemJson(*s.a)},
              {"b", ItemJson(*s.b)},
              {"rule", std::string(MatchRuleName(s.evidence.rule))},
              {"similarity", s.evidence.similarity},
              {"containment", s.evidence.containment},
              {"title_similarity", s.evidence.title_similarity},
              {"weak_title", s.weak_title}};
}

json CountsJson(const PairCounts& c) {
  return json{{"items", c.items},
              {"true_pairs", c.true_pairs},
              {"predicted_pairs", c.predicted_pairs},
              {"correct_pairs", c.correct_pairs},
              {"precision", c.Precision()},
              {"recall", c.Recall()},
              {"f1", c.F1()}};
}

// Stories holding two texts that name disjoint event dates without being
// nearly identical: the chains the story-wide veto exists to prevent.
int64_t StoriesWithDateConflicts(const std::vector<EvalItem>& items, const MatchParams& params) {
  absl::flat_hash_map<std::string, std::vector<const TextFeatures*>> dated;
  absl::flat_hash_set<std::pair<std::string, uint64_t>> seen;
  for (const EvalItem& e : items) {
    if (e.features.dates.empty() || !seen.insert({e.story, e.features.matching_hash}).second) {
      continue;
    }
    dated[e.story].push_back(&e.features);
  }
  int64_t conflicting = 0;
  for (const auto& [story, texts] : dated) {
    bool conflict = false;
    for (size_t a = 0; a < texts.size() && !conflict; ++a) {
      for (size_t b = a + 1; b < texts.size() && !conflict; ++b) {
        conflict = Conflict(params, *texts[a], *texts[b], /*weak_title=*/false);
      }
    }
    conflicting += conflict;
  }
  return conflicting;
}

absl::StatusOr<json> Evaluate(const Flags& flags) {
  absl::StatusOr<std::vector<EvalItem>> ingested = IngestAll(flags);
  if (!ingested.ok()) return ingested.status();
  const std::vector<EvalItem>& items = *ingested;

  const PairCounts all = CountPairs(items, [](const EvalItem&) { return true; });
  absl::flat_hash_set<std::string> labels, stories;
  std::map<std::string, int> types;
  for (const EvalItem& e : items) {
    labels.insert(e.label);
    stories.insert(e.story);
    if (!e.type.empty()) ++types[e.type];
  }
  json out;
  out["items"] = items.size();
  out["true_clusters"] = labels.size();
  out["predicted_stories"] = stories.size();
  out["pairs"] = CountsJson(all);
  out["adjusted_rand_index"] = AdjustedRand(all, static_cast<int64_t>(items.size()));
  out["stories_with_date_conflicts"] = StoriesWithDateConflicts(items, flags.params);
  out["by_type"] = json::object();
  for (const auto& [type, n] : types) {
    out["by_type"][type] =
        CountsJson(CountPairs(items, [&](const EvalItem& e) { return e.type == type; }));
  }
  if (types.contains("teaser") && types.contains("article")) {
    // Teaser <-> article pairs of one cluster, found when in one story.
    absl::flat_hash_map<std::string, std::pair<int64_t, int64_t>> by_label;
    absl::flat_hash_map<std::pair<std::string, std::string>, std::pair<int64_t, int64_t>> cells;
    for (const EvalItem& e : items) {
      if (e.type != "teaser" && e.type != "article") continue;
      for (auto* c : {&by_label[e.label], &cells[{e.label, e.story}]}) {
        (e.type == "teaser" ? c->first : c->second) += 1;
      }
    }
    int64_t truth = 0, found = 0;
    for (const auto& [label, c] : by_label) truth += c.first * c.second;
    for (const auto& [cell, c] : cells) found += c.first * c.second;
    out["teaser_article"] = json{{"pairs", truth},
                                 {"found", found},
                                 {"recall", truth == 0 ? 1.0 : double(found) / truth}};
  }

  const absl::flat_hash_set<uint64_t> weak = WeakTitles(items, flags.params);
  out["worst_false_merges"] = json::array();
  for (const PairScore& s : WorstCases(
           items, flags, weak, [](const EvalItem& e) { return e.story; },
           [](const EvalItem& e) { return e.label; })) {
    out["worst_false_merges"].push_back(PairJson(s));
  }
  out["worst_false_splits"] = json::array();
  for (const PairScore& s : WorstCases(
           items, flags, weak, [](const EvalItem& e) { return e.label; },
           [](const EvalItem& e) { return e.story; })) {
    out["worst_false_splits"].push_back(PairJson(s));
  }

  if (!flags.traps.empty()) {
    absl::StatusOr<std::string> bytes = ReadFile(flags.traps);
    if (!bytes.ok()) return bytes.status();
    absl::flat_hash_map<std::string, const EvalItem*> by_name;
    for (const EvalItem& e : items) by_name[e.name] = &e;
    json traps = json::array();
    int merged = 0;
    absl::Status status = ForEachJsonLine(flags.traps, *bytes, [&](int line, const json& o) {
      const auto a = by_name.find(FieldText(o, "a"));
      const auto b = by_name.find(FieldText(o, "b"));
      if (a == by_name.end() || b == by_name.end()) {
        return absl::InvalidArgumentError(
            absl::StrCat(flags.traps, ":", line, ": unknown item in pair"));
      }
      json trap = PairJson(Score(flags.params, weak, *a->second, *b->second));
      trap.erase("wrong_pairs");
      trap["why"] = FieldText(o, "why");
      trap["merged"] = a->second->story == b->second->story;
      merged += trap["merged"].get<bool>() ? 1 : 0;
      traps.push_back(std::move(trap));
      return absl::OkStatus();
    });
    if (!status.ok()) return status;
    out["traps"] = json{{"pairs", traps.size()}, {"merged", merged}, {"list", traps}};
  }
  return out;
}

std::string Fixed(const json& value) { return absl::StrFormat("%.4f", value.get<double>()); }

void PrintText(const json& r) {
  std::printf("items %d, true clusters %d, predicted stories %d\n", r["items"].get<int>(),
              r["true_clusters"].get<int>(), r["predicted_stories"].get<int>());
  const json& p = r["pairs"];
  std::printf("pairs: true %lld, predicted %lld, correct %lld\n",
              p["true_pairs"].get<long long>(), p["predicted_pairs"].get<long long>(),
              p["correct_pairs"].get<long long>());
  std::printf("precision %s  recall %s  F1 %s  ARI %s\n", Fixed(p["precision"]).c_str(),
              Fixed(p["recall"]).c_str(), Fixed(p["f1"]).c_str(),
              Fixed(r["adjusted_rand_index"]).c_str());
  std::printf("stories holding texts of disjoint event dates: %lld\n",
              r["stories_with_date_conflicts"].get<long long>());
  if (!r["by_type"].empty()) {
    std::printf("\npairs touching an item of each type:\n");
    std::printf("  %-14s %7s %10s %10s %10s %9s %9s %9s\n", "type", "items", "true", "predicted",
                "correct", "precision", "recall", "F1");
    for (const auto& [type, c] : r["by_type"].items()) {
      std::printf("  %-14s %7lld %10lld %10lld %10lld %9s %9s %9s\n", type.c_str(),
                  c["items"].get<long long>(), c["true_pairs"].get<long long>(),
                  c["predicted_pairs"].get<long long>(), c["correct_pairs"].get<long long>(),
                  Fixed(c["precision"]).c_str(), Fixed(c["recall"]).c_str(),
                  Fixed(c["f1"]).c_str());
    }
  }
  if (r.contains("teaser_article")) {
    const json& t = r["teaser_article"];
    std::printf("teaser <-> article: %lld of %lld pairs found, recall %s\n",
                t["found"].get<long long>(), t["pairs"].get<long long>(),
                Fixed(t["recall"]).c_str());
  }
  auto print_pair = [](const json& s) {
    std::printf("  rule %s  similarity %.3f  containment %.3f  title %.3f%s\n",
                s["rule"].get<std::string>().c_str(), s["similarity"].get<double>(),
                s["containment"].get<double>(), s["title_similarity"].get<double>(),
                s["weak_title"].get<bool>() ? "  (weak title)" : "");
    for (const char* side : {"a", "b"}) {
      const json& e = s[side];
      std::printf("    %s [%s] story %s, joined by %s (%.3f/%.3f): %s\n",
                  e["name"].get<std::string>().c_str(), e["label"].get<std::string>().c_str(),
                  e["story"].get<std::string>().c_str(),
                  e["joined_by"].get<std::string>().c_str(),
                  e["joined_similarity"].get<double>(), e["joined_containment"].get<double>(),
                  e["title"].get<std::string>().c_str());
    }
  };
  for (const char* kind : {"worst_false_merges", "worst_false_splits"}) {
    std::printf("\n%s: %zu\n", kind, r[kind].size());
    for (const json& s : r[kind]) {
      std::printf("- %lld wrong pairs\n", s["wrong_pairs"].get<long long>());
      print_pair(s);
    }
  }
  if (r.contains("traps")) {
    std::printf("\ntraps merged: %d of %d\n", r["traps"]["merged"].get<int>(),
                r["traps"]["pairs"].get<int>());
    for (const json& t : r["traps"]["list"]) {
      std::printf("- %s: %s\n", t["merged"].get<bool>() ? "MERGED" : "apart",
                  t["why"].get<std::string>().c_str());
      print_pair(t);
    }
  }
}

}  // namespace
}  // namespace newsdedup

int main(int argc, char** argv) {
  newsdedup::Flags flags;
  if (argc == 2 && std::string_view(argv[1]) == "--help") {
    std::fputs(newsdedup::kUsage, stdout);
    return 0;
  }
  if (absl::Status status = newsdedup::ParseFlags(argc, argv, &flags); !status.ok()) {
    std::fprintf(stderr, "newsdedup_eval: %s\n%s", status.ToString().c_str(),
                 newsdedup::kUsage);
    return 2;
  }
  absl::StatusOr<nlohmann::json> result = newsdedup::Evaluate(flags);
  if (!result.ok()) {
    std::fprintf(stderr, "newsdedup_eval: %s\n", result.status().ToString().c_str());
    return 1;
  }
  if (flags.json) {
    // The parser repaired every text to UTF-8; replacing keeps dump() from
    // throwing should a cut ever slip through.
    std::printf("%s\n",
                result->dump(1, ' ', false, nlohmann::json::error_handler_t::replace).c_str());
  } else {
    newsdedup::PrintText(*result);
  }
  return 0;
}
