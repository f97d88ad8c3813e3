#include "core/page_profile.h"

#include <algorithm>
#include <tuple>

#include "absl/container/flat_hash_map.h"

namespace newsdedup {
namespace {

// Lines this long are paragraphs: their history names the story whose page
// they are on, as menus and footers, short or seen everywhere, cannot.
constexpr int kParagraphWords = 15;

bool IsBoilerplate(const MatchParams& params, const TextHistory& history, uint64_t story) {
  return history.PartnersBesides(story) >=
         static_cast<uint32_t>(std::max(params.boilerplate_page_stories, 1));
}

// The story the page's paragraphs were seen on before: a page captured
// again. Most of its paragraphs must name that story and it alone, as the
// boilerplate paragraphs of a new page name the stories of earlier pages.
uint64_t StoryOfParagraphs(std::span<const PageLine> lines, std::span<const TextHistory> histories) {
  absl::flat_hash_map<uint64_t, int> votes;
  int paragraphs = 0;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].words < kParagraphWords) continue;
    ++paragraphs;
    if (histories[i].partners == 1 && histories[i].recent.size() == 1) {
      ++votes[histories[i].recent.front()];
    }
  }
  uint64_t best = 0;
  int best_votes = 0;
  for (const auto& [story, count] : votes) {
    if (count > best_votes || (count == best_votes && story > best)) {
      best = story;
      best_votes = count;
    }
  }
  return best_votes >= 2 && best_votes * 2 > paragraphs ? best : 0;
}

struct AnchorChoice {
  PageAnchor anchor;
  uint64_t story = 0;
  uint64_t version = 0;
  // Better choices compare greater: the page shows the teaser's title, its
  // lede follows it, it is not a line other stories' pages show, more
  // paragraph words follow it.
  std::tuple<bool, bool, bool, int, size_t> rank = {};
};

// Words of paragraph-long lines after `line`, up to the next teaser line.
int ParagraphWordsAfter(std::span<const PageLine> lines, size_t line,
                        const absl::flat_hash_set<size_t>& teaser_lines) {
  int words = 0;
  for (size_t i = line + 1; i < lines.size() && !teaser_lines.contains(i); ++i) {
    if (lines[i].words >= kParagraphWords) words += lines[i].words;
  }
  return words;
}

// A headline has a few words: a section label ("Planète") above it is not
// one.
constexpr int kHeadlineWords = 3;

// The headline above a teaser's lede: the nearest line of a few words, and
// fewer than the lede's, at most kLedeReach lines before it.
std::optional<size_t> HeadlineAbove(std::span<const PageLine> lines, size_t lede_line) {
  for (size_t back = 1; back <= kLedeReach && back <= lede_line; ++back) {
    const PageLine& line = lines[lede_line - back];
    if (line.words >= kHeadlineWords && line.words < lines[lede_line].words) {
      return lede_line - back;
    }
  }
  return std::nullopt;
}

// Where the teaser places the article: its title line and the lede that
// follows it, or its lede line and the headline above it.
std::optional<PageAnchor> AnchorOf(std::span<const PageLine> lines, const TeaserInPage& teaser) {
  if (teaser.line >= lines.size()) return std::nullopt;
  if (teaser.by == TeaserLine::kLede) {
    const std::optional<size_t> headline = HeadlineAbove(lines, teaser.line);
    if (!headline.has_value()) return std::nullopt;
    return PageAnchor{.title_line = *headline, .lede_line = teaser.line, .title = teaser.title};
  }
  PageAnchor anchor{.title_line = teaser.line};
  for (size_t j = teaser.line + 1; j < lines.size() && j <= teaser.line + kLedeReach; ++j) {
    if (teaser.lede_hash != 0 && lines[j].words_hash == teaser.lede_hash) {
      anchor.lede_line = j;
      break;
    }
  }
  return anchor;
}

std::optional<AnchorChoice> ChooseAnchor(const MatchParams& params, std::span<const PageLine> lines,
                                         std::span<const TextHistory> histories,
                                         std::span<const TeaserInPage> teasers) {
  absl::flat_hash_set<size_t> teaser_lines;
  for (const TeaserInPage& t : teasers) teaser_lines.insert(t.line);
  std::optional<AnchorChoice> best;
  for (const TeaserInPage& teaser : teasers) {
    const std::optional<PageAnchor> anchor = AnchorOf(lines, teaser);
    if (!anchor.has_value()) continue;
    AnchorChoice choice{.anchor = *anchor, .story = teaser.story, .version = teaser.version};
    // Earlier lines win ties: the reversed index ranks them higher.
    choice.rank = {teaser.by == TeaserLine::kTitle, choice.anchor.lede_line.has_value(),
                   !IsBoilerplate(params, histories[teaser.line], teaser.story),
                   ParagraphWordsAfter(lines, teaser.line, teaser_lines),
                   lines.size() - teaser.line};
    if (!best.has_value() || choice.rank > best->rank ||
        (choice.rank == best->rank && choice.story > best->story)) {
      best = choice;
    }
  }
  return best;
}

}  // namespace

PageProfile ProfilePage(const MatchParams& params, std::span<const PageLine> lines,
                        std::span<const TextHistory> histories,
                        std::span<const TeaserInPage> teasers) {
  PageProfile profile;
  if (histories.size() != lines.size()) return profile;
  if (std::optional<AnchorChoice> choice = ChooseAnchor(params, lines, histories, teasers)) {
    profile.anchor = choice->anchor;
    profile.story = choice->story;
    profile.anchor_version = choice->version;
  } else {
    profile.story = StoryOfParagraphs(lines, histories);
  }
  for (size_t i = 0; i < lines.size(); ++i) {
    const bool anchor_line = profile.anchor.has_value() &&
                             (i == profile.anchor->title_line || i == profile.anchor->lede_line);
    if (!anchor_line && IsBoilerplate(params, histories[i], profile.story)) {
      profile.boilerplate.insert(lines[i].shape_hash);
    }
  }
  // A line shared with the anchor's title or lede stays, whatever else
  // repeats it.
  if (profile.anchor.has_value()) {
    profile.boilerplate.erase(lines[profile.anchor->title_line].shape_hash);
    if (profile.anchor->lede_line) profile.boilerplate.erase(lines[*profile.anchor->lede_line].shape_hash);
  }
  return profile;
}

}  // namespace newsdedup
