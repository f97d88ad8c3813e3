#ifndef NEWSDEDUP_CORE_STORED_CONTEXT_H_
#define NEWSDEDUP_CORE_STORED_CONTEXT_H_

// What the store knows that bears on one dump: the stored versions its
// indexes found for the dump's items, with every version of the stories they
// belong to, and what it learned of the dump's source. Empty for `dups`,
// which compares a corpus only with itself.

#include <cstdint>
#include <vector>

#include "core/matcher.h"
#include "core/template_texts.h"

namespace newsdedup {

struct StoredContext {
  struct Version {
    uint64_t id = 0;
    uint32_t story = 0;  // Index in `stories`.
    TextFeatures features;
  };
  struct Story {
    uint64_t number = 0;  // As the store names it.
    // Indexes in `versions` of its versions, newest first (at most
    // max_story_versions_checked are looked at).
    std::vector<uint32_t> versions;
  };
  std::vector<Version> versions;
  std::vector<Story> stories;
  // Per item of the dump, the indexes in `versions` to verify: what the
  // exact, URL and title indexes found, and the best band candidates
  // (RankBandCandidates). Empty, or one entry per item.
  std::vector<std::vector<uint32_t>> candidates;
  // What the store learned of the dump's source, for the dump's titles and
  // ledes; empty for a new source and for `dups`.
  SourceTemplates templates;
};

}  // namespace newsdedup

#endif  // NEWSDEDUP_CORE_STORED_CONTEXT_H_
