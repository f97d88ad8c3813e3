#include "core/matcher.h"

#include <algorithm>
#include <string>

#include "absl/strings/str_cat.h"
#include "core/event_dates.h"
#include "core/normalize.h"
#include "core/similarity.h"
#include "core/url.h"
#include "xxhash.h"

namespace newsdedup {
namespace {

uint64_t HashBytes(std::string_view bytes) {
  return XXH3_64bits(bytes.data(), bytes.size());
}

uint64_t HashWordHashes(std::span<const uint64_t> word_hashes) {
  return XXH3_64bits(word_hashes.data(), word_hashes.size() * sizeof(uint64_t));
}

void SetUrlHashes(std::string_view url, TextFeatures* features) {
  if (url.empty()) return;
  const std::string canonical_url = CanonicalUrl(url);
  if (canonical_url.empty()) return;
  features->url_hash = HashBytes(canonical_url);
  const std::string key = UrlArticleKey(canonical_url);
  if (!key.empty()) features->url_key_hash = HashBytes(key);
}

// The same page by its URL, or the same article by the id its URLs carry.
bool SameUrl(const TextFeatures& a, const TextFeatures& b) {
  return (a.url_hash != 0 && a.url_hash == b.url_hash) ||
         (a.url_key_hash != 0 && a.url_key_hash == b.url_key_hash);
}

// The lede's hash and fingerprint from its word hashes (none: both stay 0).
void SetLedeHashes(const MatchParams& params, std::span<const uint64_t> lede_words,
                   TextFeatures* features) {
  if (lede_words.empty()) return;
  features->lede_hash = HashWordHashes(lede_words);
  const bool long_enough = lede_words.size() >= static_cast<size_t>(params.fingerprint_min_words);
  features->lede_fingerprint = long_enough ? SimHash(lede_words) : features->lede_hash;
}

// Shingles of a word-hash sequence, exactly as Shingler::Shingle computes
// them from the text, so that stored and fresh features agree. Unless
// `as_set`, they stay in text order with repeats: signing needs no more.
void ShinglesOf(std::span<const uint64_t> words, int n, ShingleSet* out, bool as_set = true) {
  out->clear();
  if (words.empty()) return;
  const size_t size = static_cast<size_t>(n);
  if (words.size() < size) {
    out->push_back(Shingler::CombineWordHashes(words));
    return;
  }
  out->reserve(words.size() - size + 1);
  for (size_t i = 0; i + size <= words.size(); ++i) {
    out->push_back(Shingler::CombineWordHashes(words.subspan(i, size)));
  }
  if (!as_set) return;
  std::sort(out->begin(), out->end());
  out->erase(std::unique(out->begin(), out->end()), out->end());
}

void AppendBandKeys(const LshParams& lsh, const Signature& signature, LshView view,
                    std::vector<uint64_t>* out) {
  const size_t start = out->size();
  out->resize(start + lsh.bands);
  BandKeys(lsh, signature, out->data() + start);
  // Xor with a per-view constant keeps keys of one view as spread as before
  // while making the two views' keys unrelated.
  const uint64_t salt = static_cast<uint64_t>(view) * 0x9E3779B97F4A7C15ULL;
  for (size_t i = start; i < out->size(); ++i) (*out)[i] ^= salt;
}

bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }

// True for an uppercase first letter: ASCII, or Latin-1/Latin Extended-A
// capitals (À-Þ is C3 80-9E; Œ, Š, Ž... are C4/C5 with an even second byte).
bool StartsUppercase(std::string_view word) {
  const unsigned char c = static_cast<unsigned char>(word[0]);
  if (c >= 'A' && c <= 'Z') return true;
  if (word.size() < 2) return false;
  const unsigned char next = static_cast<unsigned char>(word[1]);
  if (c == 0xC3) return next >= 0x80 && next <= 0x9E && next != 0x97;
  if (c == 0xC4 || c == 0xC5) return (next & 1) == 0;
  return false;
}

// True when a sentence ends in `gap` (the bytes between two words): the
// next word is capitalized whatever it is.
bool EndsSentence(std::string_view gap) {
  return gap.find_first_of(".!?:\n") != std::string_view::npos ||
         gap.find("\u2026") != std::string_view::npos;  // An ellipsis, "…".
}

// Version identity: the canonical forms of the three fields.
uint64_t CanonicalHash(std::string_view title, std::string_view lede, std::string_view body) {
  std::string canonical = CanonicalForm(title);
  canonical += '\n';
  canonical += CanonicalForm(lede);
  canonical += '\n';
  canonical += CanonicalForm(body);
  return HashBytes(canonical);
}

bool HasAsciiDigit(std::string_view text) {
  return std::any_of(text.begin(), text.end(), IsAsciiDigit);
}

// True when some name of `names` is not a word of `other_words`.
bool HasNameMissingFrom(const ShingleSet& names, const ShingleSet& other_words) {
  return IntersectionSize(names, other_words) < names.size();
}

// Each text names someone or something the other does not mention at all:
// a name was replaced, not added, recased or re-accented.
bool NamesReplaced(const TextFeatures& a, const TextFeatures& b) {
  return HasNameMissingFrom(a.names, b.lead_words) && HasNameMissingFrom(b.names, a.lead_words);
}

ShingleSet SortedSet(std::span<const uint64_t> hashes) {
  ShingleSet set(hashes.begin(), hashes.end());
  std::sort(set.begin(), set.end());
  set.erase(std::unique(set.begin(), set.end()), set.end());
  return set;
}

// One lede naming no one, under two titles: the standing description of a
// series (a weekly column: "Le journal des lectures en poche du
// journaliste"), whose titles name each instance's people, even before the
// source has shown it under enough titles to be learned as a template. The
// lede of one story retitled names its people (on the Spiegel dev captures,
// counting any shared lede lost 5% of the updates).
bool StandingLede(const TextFeatures& a, const TextFeatures& b) {
  if (a.lede_hash == 0 || a.lede_hash != b.lede_hash) return false;
  const auto names_only_title = [](const TextFeatures& f) {
    return IntersectionSize(f.names, f.title_words) == f.names.size();
  };
  return names_only_title(a) && names_only_title(b);
}

// Dates, title ordinals or (under a recurring title) names say that the two
// texts are about different days or people; the similarity may excuse it.
bool ConflictingFacts(const TextFeatures& a, const TextFeatures& b, bool weak_title) {
  return DatesConflict(a.dates, b.dates) || OrdinalsConflict(a.title_ordinals, b.title_ordinals) ||
         (weak_title && NamesReplaced(a, b));
}

bool ConflictAt(const MatchParams& params, const TextFeatures& a, const TextFeatures& b,
                bool weak_title, double similarity) {
  return ConflictingFacts(a, b, weak_title) && similarity < params.date_conflict_jaccard;
}

// The number words of a title, ordinals ("7e", "troisième") as their rank,
// so that "troisième" and "3e" are the same number.
ShingleSet TitleNumbers(std::string_view title_form) {
  ShingleSet numbers;
  size_t start = 0;
  while (start < title_form.size()) {
    size_t end = title_form.find(' ', start);
    if (end == std::string_view::npos) end = title_form.size();
    const std::string_view word = title_form.substr(start, end - start);
    start = end + 1;
    if (const std::vector<uint32_t> rank = FindOrdinals(word); !rank.empty()) {
      numbers.push_back(HashBytes(absl::StrCat("rank:", rank.front())));
    } else if (std::any_of(word.begin(), word.end(), IsAsciiDigit)) {
      numbers.push_back(HashBytes(word));
    }
  }
  std::sort(numbers.begin(), numbers.end());
  numbers.erase(std::unique(numbers.begin(), numbers.end()), numbers.end());
  return numbers;
}

}  // namespace

FeatureExtractor::FeatureExtractor(const MatchParams& params)
    : params_(params),
      lsh_(params.Lsh()),
      shingler_(params.shingle_size),
      minhasher_(params.num_hashes, params.seed),
      signature_(params.num_hashes) {}

TextFeatures FeatureExtractor::Extract(std::string_view title, std::string_view lede,
                                       std::string_view body, std::string_view url,
                                       bool with_band_keys, bool with_canonical_hash) {
  TextFeatures features;
  // One tokenizer pass per field gives every word hash; the hashes of the
  // matching form and all shingles derive from them. The same pass over
  // title and lede finds proper names (capitalized words inside sentences,
  // by their hash) and builds the title's matching form (months, ordinals,
  // headline numbers) and, when they hold digits, the lede's (event dates).
  std::vector<uint64_t> words;
  std::string lead_text;
  const bool lead_has_digits = HasAsciiDigit(title) || HasAsciiDigit(lede);
  bool join_words = true;
  auto hash_and_join = [&](std::string_view text) {
    size_t pos = 0, previous_end = 0;
    bool first = true;
    while (tokenizer_.NextWord(text, &pos)) {
      const std::string_view word = tokenizer_.word();
      const size_t start = tokenizer_.word_start();
      words.push_back(HashWord(word));
      if (!first && !EndsSentence(text.substr(previous_end, start - previous_end)) &&
          StartsUppercase(text.substr(start))) {
        features.names.push_back(words.back());
      }
      first = false;
      previous_end = tokenizer_.word_end();
      if (!join_words) continue;
      if (!lead_text.empty()) lead_text += ' ';
      lead_text.append(word);
    }
  };
  // A kicker ("Guerre au Levant, en direct : …") is the words before the
  // title's first colon; a colon ends a word, so its words come first.
  const size_t colon = title.find(':');
  if (colon != std::string_view::npos) hash_and_join(title.substr(0, colon));
  const size_t kicker_words = words.size();
  hash_and_join(colon == std::string_view::npos ? title : title.substr(colon));
  const size_t title_words = words.size();
  const size_t title_form_size = lead_text.size();
  features.title_hash = title_words == 0 ? 0 : HashWordHashes(words);
  if (kicker_words > 0 && kicker_words < title_words) {
    features.kicker_hash = HashWordHashes(std::span<const uint64_t>(words).first(kicker_words));
  }
  features.title_words = SortedSet(std::span<const uint64_t>(words).first(title_words));
  features.title_rest_words = features.kicker_hash == 0
                                  ? features.title_words
                                  : SortedSet(std::span<const uint64_t>(words).subspan(
                                        kicker_words, title_words - kicker_words));

  join_words = lead_has_digits;
  hash_and_join(lede);
  const size_t lead_words = words.size();
  SetLedeHashes(params_,
                std::span<const uint64_t>(words).subspan(title_words, lead_words - title_words),
                &features);
  features.lead_words.assign(words.begin(), words.end());
  std::sort(features.lead_words.begin(), features.lead_words.end());
  features.lead_words.erase(std::unique(features.lead_words.begin(), features.lead_words.end()),
                            features.lead_words.end());
  std::vector<uint64_t> body_words;
  shingler_.WordHashesInto(body, &body_words);
  words.insert(words.end(), body_words.begin(), body_words.end());
  features.words = static_cast<int>(words.size());

  features.matching_hash = HashWordHashes(words);
  features.lede_body_hash =
      HashWordHashes(std::span<const uint64_t>(words).subspan(title_words));
  if (with_canonical_hash) features.canonical_hash = CanonicalHash(title, lede, body);
  SetUrlHashes(url, &features);

  ShinglesOf(words, params_.shingle_size, &features.full);

  // The title's matching form is always kept (months and ordinal words name
  // no digit); the lede's only when title or lede hold digits.
  const std::string_view title_form = std::string_view(lead_text).substr(0, title_form_size);
  if (lead_has_digits) features.dates = FindEventDates(lead_text);
  if (const std::vector<uint32_t> months = FindMonthsNamedAlone(title_form); !months.empty()) {
    features.dates.insert(features.dates.end(), months.begin(), months.end());
    std::sort(features.dates.begin(), features.dates.end());
  }
  features.title_ordinals = FindOrdinals(title_form);
  features.title_numbers = TitleNumbers(title_form);
  std::sort(features.names.begin(), features.names.end());
  features.names.erase(std::unique(features.names.begin(), features.names.end()),
                       features.names.end());

  if (with_band_keys) AddBandKeys(words, lead_words, &features.full, &features);
  return features;
}

void FeatureExtractor::AddBandKeys(std::span<const uint64_t> words, size_t lead_words,
                                   const ShingleSet* full, TextFeatures* features) {
  const int n = params_.shingle_size;
  const bool has_body = lead_words != words.size();
  if (full == nullptr) ShinglesOf(words, n, &full_, /*as_set=*/false);
  const ShingleSet& full_shingles = full != nullptr ? *full : full_;
  if (has_body) ShinglesOf(words.first(lead_words), n, &lead_, /*as_set=*/false);
  minhasher_.SignInto(has_body ? lead_ : full_shingles, signature_.data());
  AppendBandKeys(lsh_, signature_, LshView::kLead, &features->lead_band_keys);
  if (has_body) {
    minhasher_.SignInto(full_shingles, signature_.data());
    AppendBandKeys(lsh_, signature_, LshView::kFull, &features->full_band_keys);
  }
}

void FeatureExtractor::Complete(std::string_view title, std::string_view lede,
                                std::string_view body, TextFeatures* sketch) {
  TextFeatures full = Extract(title, lede, body, /*url=*/{}, /*with_band_keys=*/false,
                              /*with_canonical_hash=*/false);
  full.lead_band_keys = std::move(sketch->lead_band_keys);
  full.full_band_keys = std::move(sketch->full_band_keys);
  full.canonical_hash = sketch->canonical_hash;
  full.url_hash = sketch->url_hash;
  full.url_key_hash = sketch->url_key_hash;
  *sketch = std::move(full);
}

TextFeatures FeatureExtractor::ExtractSketch(std::string_view title, std::string_view lede,
                                             std::string_view body, std::string_view url,
                                             bool with_canonical_hash) {
  TextFeatures features;
  if (with_canonical_hash) features.canonical_hash = CanonicalHash(title, lede, body);
  std::vector<uint64_t>& words = words_;
  words.clear();
  const auto hash_words = [&](std::string_view text) {
    tokenizer_.ForEachWord(text, [&](std::string_view word) { words.push_back(HashWord(word)); });
  };
  hash_words(title);
  const size_t title_words = words.size();
  if (title_words > 0) features.title_hash = HashWordHashes(words);
  hash_words(lede);
  const size_t lead_words = words.size();
  SetLedeHashes(params_,
                std::span<const uint64_t>(words).subspan(title_words, lead_words - title_words),
                &features);
  hash_words(body);
  features.words = static_cast<int>(words.size());
  features.matching_hash = HashWordHashes(words);
  SetUrlHashes(url, &features);
  AddBandKeys(words, lead_words, /*full=*/nullptr, &features);
  return features;
}

std::string_view MatchRuleName(MatchRule rule) {
  switch (rule) {
    case MatchRule::kNone:
      return "new";
    case MatchRule::kTitle:
      return "title";
    case MatchRule::kContainment:
      return "containment";
    case MatchRule::kNearDuplicate:
      return "near_duplicate";
    case MatchRule::kUrl:
      return "url";
    case MatchRule::kExact:
      return "exact";
    case MatchRule::kTransition:
      return "transition";
  }
  return "unknown";
}

double MatchEvidence::Score() const {
  // Transition evidence is the weakest: it never competes with a match.
  const int strength = rule == MatchRule::kTransition ? 0 : static_cast<int>(rule);
  return strength * 10.0 + similarity + containment;
}

std::optional<MatchEvidence> Verify(const MatchParams& params, const TextFeatures& item,
                                    const TextFeatures& candidate, bool weak_title) {
  MatchEvidence evidence;
  if (item.matching_hash == candidate.matching_hash) {
    evidence.rule = MatchRule::kExact;
    evidence.similarity = 1.0;
    evidence.containment = 1.0;
    evidence.title_similarity = 1.0;
    return evidence;
  }
  const Overlap overlap = SetOverlap(item.full, candidate.full);
  evidence.similarity = overlap.jaccard;
  evidence.containment = overlap.containment;
  const size_t smaller_size = std::min(item.full.size(), candidate.full.size());
  evidence.title_similarity = Jaccard(item.title_words, candidate.title_words);

  // Rule 0: the publisher says it is the same page, whatever the text became.
  if (SameUrl(item, candidate)) {
    evidence.rule = MatchRule::kUrl;
    return evidence;
  }
  // Same words about another day, or by another person: a recurring event
  // or feature, not an edit.
  if (ConflictAt(params, item, candidate, weak_title, evidence.similarity)) return std::nullopt;
  if (evidence.similarity >= params.near_duplicate_jaccard) {
    evidence.rule = MatchRule::kNearDuplicate;
    return evidence;
  }
  if (smaller_size >= static_cast<size_t>(params.containment_min_shingles) &&
      evidence.containment >= params.containment) {
    evidence.rule = MatchRule::kContainment;
    return evidence;
  }
  // A headline template whose numbers changed ("7e journée", "17e journée")
  // names another instance of the template.
  if (!weak_title && item.title_numbers == candidate.title_numbers &&
      !item.title_words.empty() && !candidate.title_words.empty() &&
      evidence.title_similarity >= params.title_jaccard &&
      std::max(evidence.similarity, evidence.containment) >= params.title_text_overlap) {
    evidence.rule = MatchRule::kTitle;
    return evidence;
  }
  return std::nullopt;
}

bool SupportedBesidesLede(const MatchParams& params, const TextFeatures& item,
                          const TextFeatures& candidate, const MatchEvidence& evidence) {
  if (evidence.rule == MatchRule::kExact || evidence.rule == MatchRule::kUrl) return true;
  return !item.title_words.empty() && !candidate.title_words.empty() &&
         item.title_numbers == candidate.title_numbers &&
         evidence.title_similarity >= params.template_lede_title_jaccard;
}

bool Conflict(const MatchParams& params, const TextFeatures& a, const TextFeatures& b,
              bool weak_title) {
  if (a.matching_hash == b.matching_hash) return false;
  if (SameUrl(a, b)) return false;
  // The similarity is only needed when there is a conflict to excuse.
  if (!ConflictingFacts(a, b, weak_title || StandingLede(a, b))) return false;
  return !JaccardAtLeast(a.full, b.full, params.date_conflict_jaccard);
}

std::string_view ChangeClassName(ChangeClass change) {
  switch (change) {
    case ChangeClass::kNone:
      return "none";
    case ChangeClass::kMinor:
      return "minor";
    case ChangeClass::kRetitled:
      return "retitled";
    case ChangeClass::kExpanded:
      return "expanded";
    case ChangeClass::kTruncated:
      return "truncated";
    case ChangeClass::kEdited:
      return "edited";
    case ChangeClass::kRewritten:
      return "rewritten";
  }
  return "unknown";
}

ChangeClass ClassifyChange(const MatchParams& params, const TextFeatures& before,
                           const TextFeatures& after) {
  if (before.canonical_hash == after.canonical_hash) return ChangeClass::kNone;
  if (before.matching_hash == after.matching_hash) return ChangeClass::kMinor;
  if (before.lede_body_hash == after.lede_body_hash) return ChangeClass::kRetitled;
  // A teaser grown into its article (or cut back to it): most of the short
  // text survives inside a much longer one.
  if (after.full.size() >= params.change_growth * before.full.size() &&
      Containment(before.full, after.full) >= params.change_kept) {
    return ChangeClass::kExpanded;
  }
  if (before.full.size() >= params.change_growth * after.full.size() &&
      Containment(after.full, before.full) >= params.change_kept) {
    return ChangeClass::kTruncated;
  }
  return ChangeClass::kEdited;
}

}  // namespace newsdedup
