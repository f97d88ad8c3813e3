#ifndef NEWSDEDUP_CORE_WORD_DIFF_H_
#define NEWSDEDUP_CORE_WORD_DIFF_H_

// Word-level diff of two texts, as git's --word-diff: the texts are cut into
// words, punctuation and spaces, and the shortest edit script (Myers) says
// which words were deleted and inserted.

#include <string>
#include <string_view>
#include <vector>

namespace newsdedup {

struct DiffChunk {
  enum class Kind { kEqual, kDeleted, kInserted };
  Kind kind = Kind::kEqual;
  std::string text;
};

// Chunks that rebuild `before` (equal + deleted) and `after` (equal +
// inserted). Adjacent chunks of one kind are merged; spaces between changed
// words stay inside the change.
std::vector<DiffChunk> WordDiff(std::string_view before, std::string_view after);

struct DiffStyle {
  std::string delete_open = "[-", delete_close = "-]";
  std::string insert_open = "{+", insert_close = "+}";
  // Unchanged runs longer than this many bytes are shortened to their ends
  // around " … "; inserted or deleted runs to their start and a word count.
  // Cuts fall between words, never inside one.
  size_t max_equal_bytes = 160;
  size_t max_change_bytes = 400;
  // Applied to every piece of the texts shown (not to the markers), so that
  // a markup style can escape them; null shows them as they are.
  std::string (*escape)(std::string_view text) = nullptr;
  // What a line break (between paragraphs, or title and lede) is shown as:
  // a rendered diff is one line.
  std::string newline = "¶ ";
};

// Renders chunks on one line: "[-old-]{+new+}" by default; ANSI colors with
// a color style. Long runs are shortened as DiffStyle says.
std::string RenderDiff(const std::vector<DiffChunk>& chunks, const DiffStyle& style);

// A style with ANSI red/green for terminals.
DiffStyle ColorDiffStyle();

}  // namespace newsdedup

#endif  // NEWSDEDUP_CORE_WORD_DIFF_H_
