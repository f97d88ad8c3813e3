#ifndef NEWSDEDUP_CORE_MATCH_PARAMS_H_
#define NEWSDEDUP_CORE_MATCH_PARAMS_H_

// Every parameter that decides story identity. Stores record Describe() at
// creation and refuse to open with other values, since persisted shingles,
// signatures and band keys depend on them. Defaults come from the threshold
// sweep on labeled data (README, "Detection quality").

#include <cstdint>
#include <string>

#include "core/lsh_index.h"

namespace newsdedup {

struct MatchParams {
  int shingle_size = 3;   // Words per shingle.
  int num_hashes = 128;   // MinHash slots.
  uint64_t seed = 1;      // MinHash seed.
  // LSH candidate threshold on the Jaccard of lead or full texts (25 bands
  // of 5 rows at k = 128). Candidates are then ranked by shared bands and
  // verified, so banding only has to find them: 0.3 (37 bands of 3) found
  // the same pairs on the eval sets with edits up to 15% and a little more
  // at 30% (recall 0.935 vs 0.926) for 48% more postings to write and read.
  double lsh_threshold = 0.5;

  // Rule 2: near-duplicate text (Jaccard of full-text shingle sets).
  double near_duplicate_jaccard = 0.5;
  // Rule 3: near-duplicate title (Jaccard of title word sets) whose lead
  // texts overlap by at least title_text_overlap (Jaccard or containment).
  double title_jaccard = 0.7;
  double title_text_overlap = 0.4;
  // A title shared by at least this many stories is a recurring feature
  // ("Le dessin du jour") and no evidence at all.
  int weak_title_stories = 3;
  // Rule 4: the shorter text's shingles inside the longer one's (a teaser
  // and its article), for texts of at least containment_min_shingles.
  double containment = 0.8;
  int containment_min_shingles = 8;
  // Texts naming disjoint event dates, or where a proper name was replaced
  // by another, are different stories unless their Jaccard reaches this (a
  // corrected typo in an otherwise equal text).
  double date_conflict_jaccard = 0.9;

  // Learned from the source (core/source_history.h, core/page_profile.h).
  //
  // A line on the article pages of at least this many other stories of the
  // source is boilerplate (menus, paywall notices, footers) and leaves the
  // page before matching. One is enough, so that it works from a source's
  // second page; a page's own earlier captures do not count, as its story
  // is known from its anchor or its paragraphs.
  int boilerplate_page_stories = 1;
  // A lede seen under at least this many titles of a source (or a title over
  // this many ledes) is template text, no evidence of one story
  // (core/template_texts.h). On the dev captures (README, "Real sites") no
  // article reached 3 titles over one lede in 2,500 (Spiegel: 1), while
  // every template did; with 2, 238 articles retitled once would count.
  int template_partners = 3;
  // Over a template lede the titles are the evidence left, and they must
  // share this Jaccard of words (with the same numbers): a near-duplicate
  // retitled with a word or two swapped keeps about half of a short title's
  // words, while the template's other stories share only its standing words.
  // 0.7, the bar of rule 3, split such retitled copies (generated 11,000
  // items: recall 0.9800 vs 0.9857) and kept no other template apart.
  double template_lede_title_jaccard = 0.5;
  // Ledes under one title whose SimHashes (core/similarity.h) are at most
  // this many bits apart count as one lede: a story whose lede was edited
  // twice keeps its title's evidence. Replacing 15% of a lede's words moves
  // it about 11 bits, another lede is about 32 away (below 20 about once in
  // 5,000).
  int template_same_lede_bits = 18;
  // Ledes shorter than this are told apart by hash, not SimHash: over a few
  // words one replaced word moves the fingerprint as far as another text.
  int fingerprint_min_words = 8;

  // Transition pairing (core/transition_pairing.h): a story that left a
  // listing and a story new in the same snapshot are one when their titles
  // or leads overlap by this Jaccard of words and they share this many names
  // besides the words of both titles. On the dev captures 0.5 with one name
  // paired 21 true rewrites against 15 follow-up articles of the daily Le
  // Monde feeds (0.4: 26 against 27) and 9 against 1 on the 2-hourly
  // Spiegel feed (README, "Real sites").
  double transition_jaccard = 0.5;
  int transition_shared = 1;

  // Caps: how much evidence one item looks at. They change answers (a
  // candidate never looked at cannot match), so they are recorded too.
  //
  // Versions (stored, or earlier items of the dump) taken per index key: a
  // recurring title or a template lead could otherwise pull thousands of
  // versions into one decision; the newest are kept.
  int max_candidates_per_key = 32;
  // Band candidates verified per item, those sharing the most bands with it
  // (bands * J^rows estimates their similarity): near-duplicates share many
  // bands, texts that merely use one template share one or two, and there can
  // be hundreds of those.
  int max_verified_candidates = 12;
  // Versions of a candidate story checked for a conflict with the item (the
  // newest distinct texts): a conflict with any of them rules the story out,
  // so that an undated version cannot chain the 17 and 18 April cartoons.
  int max_story_versions_checked = 32;
  // Ids a stored posting list keeps (the newest): a bucket shared by
  // thousands of versions is a template, not evidence, and unbounded it
  // would make every lookup of it read megabytes.
  int max_postings_per_key = 2000;

  // Change classes: a text grown to change_growth times its shingles while
  // keeping change_kept of the old ones inside it was "expanded" (a teaser
  // into its article); the reverse is "truncated".
  double change_growth = 1.5;
  double change_kept = 0.8;

  // Banding derived from (lsh_threshold, num_hashes).
  LshParams Lsh() const;

  // "name=value" lines, one per parameter, plus the normalizer version and
  // the LSH bands and rows. Equal strings <=> compatible stores.
  std::string Describe() const;
};

}  // namespace newsdedup

#endif  // NEWSDEDUP_CORE_MATCH_PARAMS_H_
