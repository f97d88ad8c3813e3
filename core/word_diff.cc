#include "core/word_diff.h"

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"

namespace newsdedup {
namespace {

enum class TokenClass { kWord, kSpace, kOther };

TokenClass ClassOf(unsigned char c) {
  if (c >= 0x80 || std::isalnum(c)) return TokenClass::kWord;  // UTF-8 stays in words.
  if (c == ' ' || c == '\t' || c == '\n' || c == '\r') return TokenClass::kSpace;
  return TokenClass::kOther;
}

// A token is a word or one punctuation byte, with the spaces that follow it
// (leading spaces are a token of their own): a change then carries its own
// spacing and "[-a b-]" needs no gluing.
std::vector<std::string_view> Tokenize(std::string_view text) {
  std::vector<std::string_view> tokens;
  size_t i = 0;
  while (i < text.size()) {
    const TokenClass cls = ClassOf(static_cast<unsigned char>(text[i]));
    size_t end = i + 1;
    if (cls != TokenClass::kOther) {
      while (end < text.size() && ClassOf(static_cast<unsigned char>(text[end])) == cls) {
        ++end;
      }
    }
    if (cls != TokenClass::kSpace) {
      while (end < text.size() &&
             ClassOf(static_cast<unsigned char>(text[end])) == TokenClass::kSpace) {
        ++end;
      }
    }
    tokens.push_back(text.substr(i, end - i));
    i = end;
  }
  return tokens;
}

void Append(std::vector<DiffChunk>* chunks, DiffChunk::Kind kind, std::string_view text) {
  if (text.empty()) return;
  if (!chunks->empty() && chunks->back().kind == kind) {
    chunks->back().text.append(text);
  } else {
    chunks->push_back(DiffChunk{kind, std::string(text)});
  }
}

// A token without the spaces that follow it: what Myers compares, so that
// "durable" at the end of a line equals "durable " inside one.
std::string_view Word(std::string_view token) {
  size_t end = token.size();
  while (end > 0 && ClassOf(static_cast<unsigned char>(token[end - 1])) == TokenClass::kSpace) {
    --end;
  }
  return end == 0 ? token : token.substr(0, end);
}

// Appends tokens that compare equal; a difference in their trailing spaces
// becomes a space-only change, so that the chunks still rebuild both texts.
void AppendEqual(std::vector<DiffChunk>* chunks, std::string_view a, std::string_view b) {
  const std::string_view word = Word(a);
  Append(chunks, DiffChunk::Kind::kEqual, word);
  const std::string_view space_a = a.substr(word.size());
  const std::string_view space_b = b.substr(word.size());
  if (space_a == space_b) {
    Append(chunks, DiffChunk::Kind::kEqual, space_a);
  } else {
    Append(chunks, DiffChunk::Kind::kDeleted, space_a);
    Append(chunks, DiffChunk::Kind::kInserted, space_b);
  }
}

// Myers' O((N+M)D) shortest edit script. Keeps one V array per edit
// distance (sizes 1, 3, 5...) to walk the path back.
void Myers(const std::vector<std::string_view>& a, const std::vector<std::string_view>& b,
           std::vector<DiffChunk>* chunks) {
  const int n = static_cast<int>(a.size());
  const int m = static_cast<int>(b.size());
  const int max = n + m;
  // Diagonals k in [-max - 1, max + 1]: the d = 0 step reads k = 1, and each
  // trace row keeps one diagonal beyond either end of [-d, d].
  std::vector<int> v(2 * max + 3, 0);
  std::vector<std::vector<int>> trace;
  const int offset = max + 1;
  int final_d = 0;
  for (int d = 0; d <= max; ++d) {
    bool done = false;
    for (int k = -d; k <= d; k += 2) {
      int x = (k == -d || (k != d && v[offset + k - 1] < v[offset + k + 1]))
                  ? v[offset + k + 1]
                  : v[offset + k - 1] + 1;
      int y = x - k;
      while (x < n && y < m && Word(a[x]) == Word(b[y])) {
        ++x;
        ++y;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        done = true;
        break;
      }
    }
    trace.emplace_back(v.begin() + offset - d - 1, v.begin() + offset + d + 2);
    if (done) {
      final_d = d;
      break;
    }
  }
  // Walk back from (n, m), collecting operations in reverse.
  struct Op {
    DiffChunk::Kind kind;
    int index;        // In a, or in b for insertions.
    int other = 0;    // In b, for equal tokens.
  };
  std::vector<Op> ops;
  int x = n, y = m;
  for (int d = final_d; d > 0; --d) {
    const std::vector<int>& prev = trace[d - 1];  // Covers k in [-d, d].
    auto at = [&](int k) { return prev[k + d]; };
    const int k = x - y;
    const bool down = (k == -d || (k != d && at(k - 1) < at(k + 1)));
    const int prev_k = down ? k + 1 : k - 1;
    const int prev_x = at(prev_k);
    const int prev_y = prev_x - prev_k;
    while (x > prev_x && y > prev_y) {
      --x;
      --y;
      ops.push_back({DiffChunk::Kind::kEqual, x, y});
    }
    if (down) {
      ops.push_back({DiffChunk::Kind::kInserted, --y});
    } else {
      ops.push_back({DiffChunk::Kind::kDeleted, --x});
    }
  }
  while (x > 0) {
    --x;
    --y;
    ops.push_back({DiffChunk::Kind::kEqual, x, y});
  }
  std::reverse(ops.begin(), ops.end());
  for (const Op& op : ops) {
    if (op.kind == DiffChunk::Kind::kEqual) {
      AppendEqual(chunks, a[op.index], b[op.other]);
    } else {
      Append(chunks, op.kind, op.kind == DiffChunk::Kind::kInserted ? b[op.index] : a[op.index]);
    }
  }
}

// Gathers each run of changes between two equal chunks into one deletion
// followed by one insertion, as git's word diff shows a replacement.
std::vector<DiffChunk> Coalesce(std::vector<DiffChunk> chunks) {
  std::vector<DiffChunk> out;
  std::string deleted, inserted;
  auto flush = [&] {
    if (!deleted.empty()) out.push_back({DiffChunk::Kind::kDeleted, std::move(deleted)});
    if (!inserted.empty()) out.push_back({DiffChunk::Kind::kInserted, std::move(inserted)});
    deleted.clear();
    inserted.clear();
  };
  for (DiffChunk& chunk : chunks) {
    switch (chunk.kind) {
      case DiffChunk::Kind::kDeleted:
        deleted += chunk.text;
        break;
      case DiffChunk::Kind::kInserted:
        inserted += chunk.text;
        break;
      case DiffChunk::Kind::kEqual:
        flush();
        out.push_back(std::move(chunk));
        break;
    }
  }
  flush();
  return out;
}

bool IsSpaceOnly(std::string_view text) {
  for (unsigned char c : text) {
    if (ClassOf(c) != TokenClass::kSpace) return false;
  }
  return true;
}

// A UTF-8 character boundary at or below `limit`.
size_t CharBoundary(std::string_view text, size_t limit) {
  if (limit >= text.size()) return text.size();
  while (limit > 0 && (static_cast<unsigned char>(text[limit]) & 0xC0) == 0x80) --limit;
  return limit;
}

// The length of the longest prefix of `text` of at most `limit` bytes that
// ends at a word boundary (before a space); a character boundary when the
// first word alone is longer than `limit`.
size_t HeadAtWordBoundary(std::string_view text, size_t limit) {
  if (limit >= text.size()) return text.size();
  size_t cut = limit;
  while (cut > 0 && ClassOf(static_cast<unsigned char>(text[cut])) != TokenClass::kSpace) --cut;
  while (cut > 0 && ClassOf(static_cast<unsigned char>(text[cut - 1])) == TokenClass::kSpace) {
    --cut;
  }
  return cut > 0 ? cut : CharBoundary(text, limit);
}

// Where the shortest suffix of `text` of at most `limit` bytes that starts
// at a word (after a space) begins; a character boundary when the last word
// alone is longer than `limit`.
size_t TailAtWordBoundary(std::string_view text, size_t limit) {
  if (limit >= text.size()) return 0;
  size_t start = text.size() - limit;
  while (start < text.size() &&
         ClassOf(static_cast<unsigned char>(text[start - 1])) != TokenClass::kSpace) {
    ++start;
  }
  if (start < text.size()) return start;
  start = text.size() - limit;
  while (start < text.size() && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) ++start;
  return start;
}

size_t CountWords(std::string_view text) {
  size_t words = 0;
  bool in_word = false;
  for (unsigned char c : text) {
    const bool word = ClassOf(c) == TokenClass::kWord;
    if (word && !in_word) ++words;
    in_word = word;
  }
  return words;
}

// Appends `text` with each line break shown as `style.newline`, so that a
// rendered diff stays on one line whatever the paragraphs inside it; the
// pieces between breaks go through `style.escape` when there is one.
void AppendShown(std::string* out, std::string_view text, const DiffStyle& style) {
  const auto append_piece = [&](std::string_view piece) {
    if (piece.empty()) return;
    if (style.escape == nullptr) {
      out->append(piece);
    } else {
      out->append(style.escape(piece));
    }
  };
  size_t piece_start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\n' && text[i] != '\r') continue;
    append_piece(text.substr(piece_start, i - piece_start));
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
    out->append(style.newline);
    piece_start = i + 1;
  }
  append_piece(text.substr(piece_start));
}

// An unchanged run, shortened to the ends that touch a change.
void AppendEqualRun(std::string* out, std::string_view text, bool first, bool last,
                    const DiffStyle& style) {
  if (text.size() <= style.max_equal_bytes) {
    AppendShown(out, text, style);
    return;
  }
  const size_t keep = style.max_equal_bytes / 2;
  // The start of the first run and the end of the last run are context for
  // nothing: keep only the side that touches a change.
  if (!first) AppendShown(out, text.substr(0, HeadAtWordBoundary(text, keep)), style);
  out->append(first ? "… " : (last ? " …" : " … "));
  if (!last) AppendShown(out, text.substr(TailAtWordBoundary(text, keep)), style);
}

// A deleted or inserted run, shortened to its start and a word count.
void AppendChangedRun(std::string* out, std::string_view text, bool deleted,
                      const DiffStyle& style) {
  out->append(deleted ? style.delete_open : style.insert_open);
  if (text.size() > style.max_change_bytes) {
    const std::string_view shown = text.substr(0, HeadAtWordBoundary(text, style.max_change_bytes));
    AppendShown(out, shown, style);
    absl::StrAppend(out, " … (", CountWords(text) - CountWords(shown), " more words)");
  } else {
    AppendShown(out, text, style);
  }
  out->append(deleted ? style.delete_close : style.insert_close);
}

}  // namespace

std::vector<DiffChunk> WordDiff(std::string_view before, std::string_view after) {
  const std::vector<std::string_view> a = Tokenize(before);
  const std::vector<std::string_view> b = Tokenize(after);
  // Common prefix and suffix cost nothing to find and shrink Myers' input.
  size_t prefix = 0;
  while (prefix < a.size() && prefix < b.size() && Word(a[prefix]) == Word(b[prefix])) {
    ++prefix;
  }
  size_t suffix = 0;
  while (suffix < a.size() - prefix && suffix < b.size() - prefix &&
         Word(a[a.size() - 1 - suffix]) == Word(b[b.size() - 1 - suffix])) {
    ++suffix;
  }
  std::vector<DiffChunk> chunks;
  for (size_t i = 0; i < prefix; ++i) AppendEqual(&chunks, a[i], b[i]);
  const std::vector<std::string_view> middle_a(a.begin() + prefix, a.end() - suffix);
  const std::vector<std::string_view> middle_b(b.begin() + prefix, b.end() - suffix);
  Myers(middle_a, middle_b, &chunks);
  for (size_t i = 0; i < suffix; ++i) {
    AppendEqual(&chunks, a[a.size() - suffix + i], b[b.size() - suffix + i]);
  }
  return Coalesce(std::move(chunks));
}

std::string RenderDiff(const std::vector<DiffChunk>& chunks, const DiffStyle& style) {
  std::string out;
  for (size_t i = 0; i < chunks.size(); ++i) {
    const DiffChunk& chunk = chunks[i];
    if (chunk.kind == DiffChunk::Kind::kEqual) {
      AppendEqualRun(&out, chunk.text, i == 0, i + 1 == chunks.size(), style);
      continue;
    }
    const bool deleted = chunk.kind == DiffChunk::Kind::kDeleted;
    // Spacing changes are not worth a marker: show the new spacing.
    if (IsSpaceOnly(chunk.text)) {
      if (!deleted) AppendShown(&out, chunk.text, style);
      continue;
    }
    AppendChangedRun(&out, chunk.text, deleted, style);
  }
  return out;
}

DiffStyle ColorDiffStyle() {
  DiffStyle style;
  style.delete_open = "\x1b[31m[-";
  style.delete_close = "-]\x1b[0m";
  style.insert_open = "\x1b[32m{+";
  style.insert_close = "+}\x1b[0m";
  return style;
}

}  // namespace newsdedup
