#ifndef NEWSDEDUP_CORE_MATCHER_H_
#define NEWSDEDUP_CORE_MATCHER_H_

// The story-identity policy of DESIGN.md, as pure functions over text
// features: given an item and a candidate (a stored version or an earlier
// item), says whether they are the same story, by which rule and with what
// evidence; and classifies the change between two versions. Candidates come
// from the indexes (exact hash, URL, title hash, LSH bands); every one is
// verified here on the shingle sets, never accepted on a band collision.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/match_params.h"
#include "core/minhash.h"
#include "core/shingler.h"

namespace newsdedup {

// What the matcher knows of one text (an item or a stored version).
struct TextFeatures {
  uint64_t matching_hash = 0;   // Matching form of title + lede + body.
  uint64_t canonical_hash = 0;  // Canonical form of the same: the version.
  uint64_t title_hash = 0;      // Matching form of the title; 0 if none.
  uint64_t lede_body_hash = 0;  // Matching form of lede + body, no title.
  uint64_t lede_hash = 0;       // Matching form of the lede alone; 0 if none.
  // SimHash of the lede's words (core/similarity.h), so that a lede edited a
  // little stays a few bits away where its lede_hash changes; a lede of
  // fewer than MatchParams::fingerprint_min_words words is too short to tell
  // an edit from another text ("Le dessin du lundi" / "du mardi") and gets
  // its lede_hash. 0 if no lede.
  uint64_t lede_fingerprint = 0;
  uint64_t url_hash = 0;        // Canonical URL; 0 if none.
  uint64_t url_key_hash = 0;    // The article id its URL carries (core/url.h); 0 if none.
  ShingleSet title_words;       // Word hashes of the title, as a set.
  // The words before the title's first colon (a series' kicker, "Guerre au
  // Levant, en direct"), hashed as title_hash is; 0 when the title has none.
  uint64_t kicker_hash = 0;
  ShingleSet title_rest_words;  // Title words after the kicker, as a set.
  ShingleSet full;              // Shingles of title + lede + body.
  // Event dates named in title + lede, and months the title names alone
  // (core/event_dates.h).
  std::vector<uint32_t> dates;
  // Numbers in the title ("7e journée", and ordinal words as their rank): a
  // recurring headline template ("Ligue 1, 7e journée" vs "17e journée")
  // differs only in them.
  ShingleSet title_numbers;
  // Ordinals of the title ("5e étape", "troisième"), which count as dates.
  std::vector<uint32_t> title_ordinals;
  // Word hashes of title + lede, as a set.
  ShingleSet lead_words;
  // Word hashes of the capitalized words inside sentences of title + lede
  // (proper names): the same feature signed by another author is another
  // story.
  ShingleSet names;
  int words = 0;                // Words in title + lede + body.
  // LSH band keys of the lead and (when there is a body) full signatures;
  // empty unless extracted with signatures.
  std::vector<uint64_t> lead_band_keys;
  std::vector<uint64_t> full_band_keys;
};

// Computes TextFeatures. Not thread-safe (reuses buffers): one per thread.
class FeatureExtractor {
 public:
  explicit FeatureExtractor(const MatchParams& params);

  // `with_band_keys` adds signatures' band keys (needed for items to look up
  // and index; not for stored versions being verified). Without
  // `with_canonical_hash` the version identity is left 0 (clustering needs
  // no versions, and the canonical form is a pass of its own).
  TextFeatures Extract(std::string_view title, std::string_view lede,
                       std::string_view body, std::string_view url,
                       bool with_band_keys, bool with_canonical_hash = true);

  // Only what finds candidates and templates: matching_hash, title_hash,
  // lede_hash, lede_fingerprint, url_hash, url_key_hash, words and both
  // views' band keys, equal to Extract's. Costs a fraction of it (no sorted
  // sets, names, dates or canonical form): an item that shares no key with
  // another never needs more.
  TextFeatures ExtractSketch(std::string_view title, std::string_view lede,
                             std::string_view body, std::string_view url,
                             bool with_canonical_hash = false);

  // Completes a sketch into what Extract with band keys makes (keeping the
  // sketch's band keys, canonical hash and URL hash). REQUIRES: the sketch
  // was made of these texts.
  void Complete(std::string_view title, std::string_view lede, std::string_view body,
                TextFeatures* sketch);

 private:
  // Band keys of the lead (the first lead_words words) and, when there is a
  // body, of the full text. `full`: the full shingle set, when made already.
  void AddBandKeys(std::span<const uint64_t> words, size_t lead_words, const ShingleSet* full,
                   TextFeatures* features);

  MatchParams params_;
  LshParams lsh_;
  Shingler shingler_;
  WordTokenizer tokenizer_;  // For title and lede: hashes and matching form at once.
  ShingleSet lead_;  // Shingles of title + lede, only for the lead signature.
  ShingleSet full_;  // Shingles of a sketch, in text order.
  std::vector<uint64_t> words_;  // Word hashes of a sketch.
  MinHasher minhasher_;
  Signature signature_;  // Reused.
};

// Band keys of the two LSH views differ even for equal signatures, so that a
// lead is only compared with leads and a full text with full texts.
enum class LshView : uint64_t { kLead = 0x6c656164, kFull = 0x66756c6c };

// Why an item belongs to a story. The pairwise rules are declared in order
// of strength; stored as bytes, so new values only go last.
enum class MatchRule : uint8_t {
  kNone = 0,
  kTitle,          // Near-duplicate title with overlapping text.
  kContainment,    // One text contains the other (teaser and article).
  kNearDuplicate,  // Near-duplicate text.
  kUrl,            // Same canonical URL.
  kExact,          // Same matching-form text.
  // Not a pairwise rule: a story new in a listing paired with one that left
  // it in the same snapshot (core/transition_pairing.h), after the resolver.
  kTransition,
};

std::string_view MatchRuleName(MatchRule rule);

struct MatchEvidence {
  MatchRule rule = MatchRule::kNone;
  double similarity = 0;   // Jaccard of the full texts.
  double containment = 0;  // Shorter full text inside the longer one.
  double title_similarity = 0;
  // Orders competing candidates: rule first, then similarity.
  double Score() const;
};

// Decides whether `item` and `candidate` are the same story. `weak_title`
// says that the candidate's title is shared by many stories (a recurring
// feature), so a title match is no evidence. Returns nullopt when they are
// different stories.
std::optional<MatchEvidence> Verify(const MatchParams& params,
                                    const TextFeatures& item,
                                    const TextFeatures& candidate,
                                    bool weak_title);

// For two texts whose shared lede is a template (core/template_texts.h):
// whether `evidence` (from Verify) holds without the lede, that is, it is an
// exact repeat or the same URL, or their titles share
// params.template_lede_title_jaccard of their words and the same numbers.
bool SupportedBesidesLede(const MatchParams& params, const TextFeatures& item,
                          const TextFeatures& candidate, const MatchEvidence& evidence);

// True when `a` and `b` can never be one story, whatever a third text says:
// they name disjoint event dates or title ordinals, or — under a recurring
// title or over one lede that names no one, where a replaced name is another
// instance of the feature rather than a correction — each names someone the
// other does not; and they are not nearly identical (nor the same URL). Ingest refuses a story any of whose candidate
// versions conflicts with the item, so that a version without a date cannot
// chain the 17 and the 18 April cartoons.
bool Conflict(const MatchParams& params, const TextFeatures& a, const TextFeatures& b,
              bool weak_title);

// How a story's text changed between two versions.
enum class ChangeClass : uint8_t {
  kNone,       // Same version.
  kMinor,      // Only case, punctuation or accents moved.
  kRetitled,   // Same text under another title.
  kExpanded,   // The old text is (nearly) inside a much longer new one.
  kTruncated,  // The reverse.
  kEdited,     // Anything else.
  // Title and lede rewritten: only transition pairing tied the new text to
  // the story it replaced (stored as a byte: new values only go last).
  kRewritten,
};

std::string_view ChangeClassName(ChangeClass change);

ChangeClass ClassifyChange(const MatchParams& params, const TextFeatures& before,
                           const TextFeatures& after);

}  // namespace newsdedup

#endif  // NEWSDEDUP_CORE_MATCHER_H_
