#ifndef NEWSDEDUP_STORE_SOURCE_LEARNING_H_
#define NEWSDEDUP_STORE_SOURCE_LEARNING_H_

// The ingest's side of learning from a source (core/source_history.h): what
// it reads from the store before a dump is matched, and the histories it
// writes back with the snapshot.
//  - Article pages: each line's history and the stored teasers (texts
//    without a body: listing items) whose title or lede is one of its lines
//    (the ledes through the source's lede histories, which name the titles
//    they came with), in batched lookups, make the page's profile
//    (core/page_profile.h): its boilerplate and its anchor, with which the
//    page is cut again. After the page's story is decided, each of its lines
//    counts that story.
//  - Listings: each item's title and lede history make the source's
//    templates (core/template_texts.h); each item then counts its lede for
//    its title and its title for its lede.

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "core/dump_parser.h"
#include "core/match_params.h"
#include "core/matcher.h"
#include "core/page_profile.h"
#include "core/template_texts.h"
#include "store/records.h"
#include "store/story_store.h"

namespace newsdedup {

// An article page's profile and the line histories it was made from.
struct LearnedPage {
  PageProfile profile;
  std::vector<TextHistory> histories;  // One per page line.
};

// REQUIRES: dump is an article page (page_lines filled).
absl::StatusOr<LearnedPage> LearnArticlePage(StoryStore* store, const MatchParams& params,
                                             const std::string& source, const ParsedDump& dump);

// The page's lines, each counting `story` (its story number), whose
// histories changed.
std::vector<SourceTextRecord> PageLineUpdates(const LearnedPage& page,
                                              const std::vector<PageLine>& lines,
                                              uint64_t story);

// The histories of the items' titles and ledes in `source`.
absl::StatusOr<SourceTemplates> LoadSourceTemplates(StoryStore* store, const std::string& source,
                                                    const std::vector<TextFeatures>& items);

// Each listing item's title counting its lede and its lede counting its
// title: the histories that changed.
std::vector<SourceTextRecord> TemplateUpdates(const MatchParams& params,
                                              const SourceTemplates& learned,
                                              const std::vector<TextFeatures>& items);

}  // namespace newsdedup

#endif  // NEWSDEDUP_STORE_SOURCE_LEARNING_H_
