#include "core/dump_parser.h"

#include <algorithm>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "core/json_lines.h"
#include "core/html_page.h"
#include "core/normalize.h"
#include "core/shingler.h"
#include "core/utf8.h"
#include "xxhash.h"

namespace newsdedup {
namespace {

absl::string_view ToAbsl(std::string_view s) { return {s.data(), s.size()}; }

// ---------------------------------------------------------------------------
// Lines and their shape.

// How a line ends, ignoring closing quotes and brackets after the mark.
enum class Ending { kNone, kSentence, kQuestion, kOther };

struct Line {
  std::string_view text;  // Trimmed, never empty.
  int number = 0;         // 1-based line number in the dump.
  int chars = 0;          // Code points.
  int words = 0;
  int sentence_breaks = 0;  // ". X" inside the line: more than one sentence.
  Ending ending = Ending::kNone;
  bool blank_before = false;
};

bool IsTrimmable(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

// Trims ASCII blanks and NBSP (U+00A0) on both sides.
std::string_view Trim(std::string_view s) {
  while (true) {
    if (!s.empty() && IsTrimmable(s.front())) {
      s.remove_prefix(1);
    } else if (s.size() >= 2 && s[0] == '\xC2' && s[1] == '\xA0') {
      s.remove_prefix(2);
    } else {
      break;
    }
  }
  while (true) {
    if (!s.empty() && IsTrimmable(s.back())) {
      s.remove_suffix(1);
    } else if (s.size() >= 2 && s[s.size() - 2] == '\xC2' &&
               s.back() == '\xA0') {
      s.remove_suffix(2);
    } else {
      break;
    }
  }
  return s;
}

// Byte offset where the last code point of `s` starts. REQUIRES: !s.empty().
size_t LastCodePointStart(std::string_view s) {
  size_t i = s.size() - 1;
  while (i > 0 && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) --i;
  return i;
}

bool IsCloser(std::string_view c) {
  return c == "\"" || c == ")" || c == "'" || c == "\xC2\xBB" /* » */ ||
         c == "\xE2\x80\x9D" /* ” */ || c == "\xE2\x80\x99" /* ’ */ || c == "]";
}

Ending EndingOf(std::string_view s) {
  bool closed = false;
  while (!s.empty()) {
    const size_t start = LastCodePointStart(s);
    const std::string_view last = s.substr(start);
    if (last == "." || last == "!" || last == "\xE2\x80\xA6" /* … */) {
      return Ending::kSentence;
    }
    if (last == "?") return Ending::kQuestion;
    if (last == " ") {
      s.remove_suffix(1);
      continue;
    }
    if (IsCloser(last)) {
      closed = true;
      s.remove_suffix(last.size());
      continue;
    }
    // « potentiel inexploité »: a quote closing a phrase, not a sentence.
    if (closed) return Ending::kNone;
    if (last == ":" || last == ";" || last == "," || last == "-") {
      return Ending::kOther;
    }
    return Ending::kNone;
  }
  return Ending::kNone;
}

bool StartsUppercase(std::string_view s) {
  if (s.empty()) return false;
  const auto c0 = static_cast<unsigned char>(s[0]);
  if (c0 >= 'A' && c0 <= 'Z') return true;
  // À..Þ (U+00C0..U+00DE except ×) and Cyrillic А..Я.
  if (s.size() < 2) return false;
  const auto c1 = static_cast<unsigned char>(s[1]);
  return (c0 == 0xC3 && c1 >= 0x80 && c1 <= 0x9E && c1 != 0x97) ||
         (c0 == 0xD0 && c1 >= 0x90 && c1 <= 0xAF);
}

bool IsSentencePunctuation(unsigned char c) {
  return c == '.' || c == '!' || c == '?';
}

// Fills the shape fields of `line` in one branch-light pass over its bytes:
// this loop is most of the cost of parsing a listing.
void MeasureLine(Line* line) {
  const std::string_view s = line->text;
  int chars = 0;
  int words = 0;
  int breaks = 0;
  unsigned char previous = ' ';
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    chars += (c & 0xC0) != 0x80;
    words += (c != ' ') & (previous == ' ');
    if ((c == ' ') & IsSentencePunctuation(previous)) {
      breaks += StartsUppercase(s.substr(i + 1));
    }
    previous = c;
  }
  line->chars = chars;
  line->words = words;
  line->sentence_breaks = breaks;
  line->ending = EndingOf(s);
}

// Splits `text` into trimmed non-empty lines, each cut to `max_line_bytes`
// (at a code point boundary). Counts the cut lines and the first one.
std::vector<Line> SplitLines(std::string_view text, size_t max_line_bytes,
                             int* cut_lines, int* first_cut_line) {
  std::vector<Line> lines;
  lines.reserve(std::count(text.begin(), text.end(), '\n') + 1);
  int number = 0;
  bool blank_before = false;
  size_t start = 0;
  while (start < text.size()) {
    const void* newline =
        std::memchr(text.data() + start, '\n', text.size() - start);
    const size_t end = newline == nullptr
                           ? text.size()
                           : static_cast<const char*>(newline) - text.data();
    ++number;
    std::string_view raw = text.substr(start, end - start);
    start = end + 1;
    if (raw.size() > max_line_bytes) {
      size_t cut = max_line_bytes;
      while (cut > 0 && (static_cast<unsigned char>(raw[cut]) & 0xC0) == 0x80) {
        --cut;
      }
      raw = raw.substr(0, cut);
      if ((*cut_lines)++ == 0) *first_cut_line = number;
    }
    const std::string_view trimmed = Trim(raw);
    if (trimmed.empty()) {
      blank_before = true;
      continue;
    }
    Line& line = lines.emplace_back();
    line.text = trimmed;
    line.number = number;
    line.blank_before = blank_before;
    blank_before = false;
    MeasureLine(&line);
  }
  return lines;
}

// ---------------------------------------------------------------------------
// Listing pages: title/lede labelling by dynamic programming.

// Log-odds-like evidence that a line is a headline.
float TitleScore(const Line& line) {
  float score = 0;
  if (line.chars <= 150) {
    score += 2;
  } else if (line.chars > 220) {
    score -= (line.chars - 220) / 20.0f;
  }
  if (line.words <= 25) {
    score += 1;
  } else if (line.words > 35) {
    score -= 3;
  }
  switch (line.ending) {
    case Ending::kNone:
      score += 1.5f;
      break;
    case Ending::kQuestion:
      score += 0.5f;
      break;
    case Ending::kSentence:
      score -= 2;
      break;
    case Ending::kOther:
      score -= 1;
      break;
  }
  score -= 1.5f * std::min(line.sentence_breaks, 3);
  return score;
}

// Evidence that a line is a teaser paragraph.
float LedeScore(const Line& line) {
  float score = 0;
  if (line.chars >= 150) {
    score += 2;
  } else if (line.chars >= 80) {
    score += 0.5f;
  } else {
    score -= 1.5f;
  }
  switch (line.ending) {
    case Ending::kSentence:
      score += 2;
      break;
    case Ending::kQuestion:
      score += 1;
      break;
    case Ending::kNone:
      score -= 1.5f;
      break;
    case Ending::kOther:
      break;
  }
  score += std::min(line.sentence_breaks, 2);
  return score;
}

// A headline is shorter than the paragraph under it.
float PairScore(const Line& title, const Line& lede) {
  if (lede.chars <= title.chars) return -1;
  return lede.chars * 2 >= title.chars * 3 ? 1.5f : 1;
}

// Costs of the labellings that break the title-then-lede rhythm.
constexpr float kOrphanFirstLedeCost = 0.5f;  // The usual cut-off page top.
constexpr float kOrphanLedeCost = 4;
constexpr float kLastTitleAloneCost = 2;  // The page was cut after a title.
constexpr float kTitleAloneCost = 5;

enum class Cut : uint8_t { kOrphanLede, kPair, kTitleAlone };

struct ListingCut {
  std::vector<Cut> cuts;  // In line order; a kPair covers two lines.
  // Items shaped as a listing's should be: the first line's orphan lede, or
  // a pair whose title looks like a title and whose lede like a lede.
  int well_shaped_items = 0;
};

ListingCut CutListing(const std::vector<Line>& lines) {
  const size_t n = lines.size();
  // best[i]: best score of lines[i..n); choice[i]: how lines[i] starts it.
  std::vector<float> best(n + 1, 0);
  std::vector<Cut> choice(n, Cut::kOrphanLede);
  for (size_t i = n; i-- > 0;) {
    const float lede = LedeScore(lines[i]);
    const float title = TitleScore(lines[i]);
    float score =
        lede - (i == 0 ? kOrphanFirstLedeCost : kOrphanLedeCost) + best[i + 1];
    Cut cut = Cut::kOrphanLede;
    const float alone = title -
                        (i + 1 == n ? kLastTitleAloneCost : kTitleAloneCost) +
                        best[i + 1];
    if (alone > score) {
      score = alone;
      cut = Cut::kTitleAlone;
    }
    if (i + 1 < n) {
      const float pair = title + LedeScore(lines[i + 1]) +
                         PairScore(lines[i], lines[i + 1]) + best[i + 2];
      if (pair > score) {
        score = pair;
        cut = Cut::kPair;
      }
    }
    best[i] = score;
    choice[i] = cut;
  }
  ListingCut result;
  for (size_t i = 0; i < n;) {
    const Cut cut = choice[i];
    result.cuts.push_back(cut);
    if ((cut == Cut::kOrphanLede && i == 0) ||
        (cut == Cut::kPair && TitleScore(lines[i]) > 0 &&
         LedeScore(lines[i + 1]) > 0)) {
      ++result.well_shaped_items;
    }
    i += cut == Cut::kPair ? 2 : 1;
  }
  return result;
}

void ParseListing(const std::vector<Line>& lines, ParsedDump* dump) {
  const ListingCut listing = CutListing(lines);
  dump->items.reserve(listing.cuts.size());
  size_t i = 0;
  for (const Cut cut : listing.cuts) {
    Item& item = dump->items.emplace_back();
    item.position = static_cast<int>(dump->items.size()) - 1;
    switch (cut) {
      case Cut::kOrphanLede:
        item.lede = lines[i].text;
        i += 1;
        break;
      case Cut::kTitleAlone:
        item.title = lines[i].text;
        i += 1;
        break;
      case Cut::kPair:
        item.title = lines[i].text;
        item.lede = lines[i + 1].text;
        i += 2;
        break;
    }
  }
}

// ---------------------------------------------------------------------------
// Article pages: boilerplate out, then title, lede and body.

// Lowercase ASCII copy, for vocabulary lookups.
std::string Lower(std::string_view s) {
  return absl::AsciiStrToLower(ToAbsl(s));
}

// Letters and digits, counting every byte of a multibyte character.
bool IsWordByte(char c) {
  const auto u = static_cast<unsigned char>(c);
  return absl::ascii_isalnum(u) || u >= 0x80;
}

// True when `term` occurs in `lower` with no letter glued to a side of it
// that starts or ends with an ASCII letter ("share" is not in "shares",
// "\xC2\xA9" is in "\xC2\xA9" "2025").
bool ContainsTerm(std::string_view lower, std::string_view term) {
  for (size_t at = lower.find(term); at != std::string_view::npos;
       at = lower.find(term, at + 1)) {
    const size_t end = at + term.size();
    const bool left_ok = at == 0 || !IsWordByte(lower[at - 1]) ||
                         !absl::ascii_isalnum(term.front());
    const bool right_ok = end == lower.size() || !IsWordByte(lower[end]) ||
                          !absl::ascii_isalnum(term.back());
    if (left_ok && right_ok) return true;
  }
  return false;
}

template <size_t N>
int CountTerms(std::string_view lower, const std::string_view (&terms)[N]) {
  int count = 0;
  for (const std::string_view term : terms) {
    for (size_t at = lower.find(term); at != std::string_view::npos;
         at = lower.find(term, at + term.size())) {
      ++count;
    }
  }
  return count;
}

template <size_t N>
bool ContainsAnyTerm(std::string_view lower,
                     const std::string_view (&terms)[N]) {
  for (const std::string_view term : terms) {
    if (ContainsTerm(lower, term)) return true;
  }
  return false;
}

// Page chrome that no article sentence needs; checked on blocks of up to
// kMaxChromeWords words.
constexpr std::string_view kChromeTerms[] = {
    "cookie",
    "cookies",
    "consent",
    "consentement",
    "newsletter",
    "newsletters",
    "subscribe",
    "subscribe now",
    "abonnez-vous",
    "s'abonner",
    "s\xE2\x80\x99"
    "abonner",
    "je m'abonne",
    "inscrivez-vous",
    "s'inscrire",
    "s\xE2\x80\x99"
    "inscrire",
    "sign up",
    "all rights reserved",
    "tous droits r\xC3\xA9serv\xC3\xA9s",
    "privacy policy",
    "politique de confidentialit\xC3\xA9",
    "mentions l\xC3\xA9gales",
    "terms of use",
    "read more",
    "read also",
    "lire aussi",
    "related articles",
    "related stories",
    "articles similaires",
    "sur le m\xC3\xAAme sujet",
    "advertisement",
    "publicit\xC3\xA9",
    "copyright",
    "\xC2\xA9",
    "share on",
    "share this",
    "partager sur",
    "follow us",
    "suivez-nous"};
constexpr int kMaxChromeWords = 40;

// Words that mark a block as chrome only when the block is tiny (share bars,
// menus, consent buttons, photo credits).
constexpr std::string_view kTinyChromeTerms[] = {"share",
                                                 "partager",
                                                 "facebook",
                                                 "twitter",
                                                 "linkedin",
                                                 "whatsapp",
                                                 "telegram",
                                                 "email",
                                                 "e-mail",
                                                 "print",
                                                 "imprimer",
                                                 "menu",
                                                 "accueil",
                                                 "home",
                                                 "search",
                                                 "rechercher",
                                                 "log in",
                                                 "connexion",
                                                 "photo",
                                                 "cr\xC3\xA9"
                                                 "dit",
                                                 "credit",
                                                 "toujours actif",
                                                 "always active",
                                                 "accept all",
                                                 "tout accepter",
                                                 "reject all",
                                                 "tout refuser"};
constexpr int kMaxTinyChromeWords = 8;

// Consent-banner vocabulary: a long block with several of these is a banner.
constexpr std::string_view kConsentTerms[] = {"cookie",
                                              "consent",
                                              "navigateur",
                                              "browser",
                                              "traceur",
                                              "tracker",
                                              "rgpd",
                                              "gdpr",
                                              "privacy",
                                              "personal data",
                                              "donn\xC3\xA9"
                                              "es personnelles",
                                              "pr\xC3\xA9"
                                              "f\xC3\xA9rences",
                                              "preferences"};

// Opening words of a byline or a date line.
constexpr std::string_view kBylineTerms[] = {"publi\xC3\xA9 le",  "published",
                                             "mis \xC3\xA0 jour", "updated",
                                             "modifi\xC3\xA9 le", "posted"};

// Photo credits: a short line carrying one is a caption.
constexpr std::string_view kCreditTerms[] = {"photo",
                                             "photos",
                                             "afp",
                                             "reuters",
                                             "getty",
                                             "cr\xC3\xA9"
                                             "dit",
                                             "credit"};

// French and English function words, for stop-word density.
constexpr std::string_view kStopWords[] = {
    "a",    "an",  "and",  "are",  "as",  "at",  "au",   "aux",  "be",
    "by",   "ce",  "d",    "dans", "de",  "des", "du",   "elle", "en",
    "est",  "et",  "for",  "from", "has", "il",  "in",   "is",   "it",
    "l",    "la",  "le",   "les",  "n",   "ne",  "of",   "on",   "or",
    "par",  "pas", "pour", "qu",   "que", "qui", "s",    "se",   "sur",
    "that", "the", "to",   "un",   "une", "was", "were", "with", "\xC3\xA0"};

bool IsStopWord(std::string_view lower_word) {
  return std::find(std::begin(kStopWords), std::end(kStopWords), lower_word) !=
         std::end(kStopWords);
}

struct WordStats {
  int words = 0;
  int stop_words = 0;
  int content_words = 0;
  int capitalized_content_words = 0;
};

// Words split at spaces and apostrophes (l'Union -> l, Union), stripped of
// surrounding punctuation.
WordStats CountWords(std::string_view text) {
  static constexpr std::string_view kCurlyApostrophe = "\xE2\x80\x99";
  WordStats stats;
  size_t i = 0;
  while (i < text.size()) {
    size_t end = i;
    size_t separator = 0;
    for (; end < text.size(); ++end) {
      if (text[end] == ' ' || text[end] == '\'') {
        separator = 1;
        break;
      }
      if (text.substr(end, kCurlyApostrophe.size()) == kCurlyApostrophe) {
        separator = kCurlyApostrophe.size();
        break;
      }
    }
    std::string_view word = text.substr(i, end - i);
    i = end + separator;
    while (!word.empty() && absl::ascii_ispunct(word.front())) {
      word.remove_prefix(1);
    }
    while (!word.empty() && absl::ascii_ispunct(word.back())) {
      word.remove_suffix(1);
    }
    if (word.empty()) continue;
    ++stats.words;
    if (IsStopWord(Lower(word))) {
      ++stats.stop_words;
    } else {
      ++stats.content_words;
      stats.capitalized_content_words += StartsUppercase(word);
    }
  }
  return stats;
}

// Breadcrumbs and menus: short segments joined by separators.
bool IsBreadcrumb(std::string_view text) {
  static constexpr std::string_view kSeparators[] = {" > ",
                                                     " | ",
                                                     " / ",
                                                     " \xE2\x80\xBA " /* › */,
                                                     " \xC2\xB7 " /* · */,
                                                     " \xE2\x80\xA2 " /* • */};
  int separators = 0;
  for (const std::string_view separator : kSeparators) {
    for (size_t at = text.find(separator); at != std::string_view::npos;
         at = text.find(separator, at + 1)) {
      ++separators;
    }
  }
  // » separates crumbs only when no « opens a quotation.
  if (text.find("\xC2\xAB") == std::string_view::npos) {
    for (size_t at = text.find(" \xC2\xBB "); at != std::string_view::npos;
         at = text.find(" \xC2\xBB ", at + 1)) {
      ++separators;
    }
  }
  return separators >= 2;
}

enum class Role {
  kContent,       // Kept: paragraph, heading, short sentence.
  kChrome,        // Banner, menu, share bar, byline: dropped.
  kFooterMarker,  // Newsletter, "read more", copyright: dropped; when it is
                  // a bare heading ("Lire aussi"), the short lines after it
                  // are its link list, dropped too.
  kCaption,       // Photo caption: dropped.
};

// A footer marker this short heads a link list or a footer block.
constexpr int kMaxBlockHeadingWords = 4;
// Only a paragraph this long ends a link list or a footer: promotional
// blurbs in footers are short sentences.
constexpr int kMinArticleParagraphWords = 25;

struct Block {
  const Line* line = nullptr;
  Role role = Role::kContent;
  bool paragraph = false;  // Long content: a lede candidate.
};

bool IsSentenceEnded(const Line& line) {
  return line.ending == Ending::kSentence || line.ending == Ending::kQuestion;
}

bool IsParagraph(const Line& line) {
  return line.words >= 15 && (IsSentenceEnded(line) || line.words >= 40);
}

Role ClassifyBlock(const Line& line, const PageLine& page_line, const WordStats& words,
                   int repeats, bool known_stop_words, const ParseOptions& options) {
  const std::string lower = Lower(line.text);
  if (options.known_boilerplate != nullptr &&
      options.known_boilerplate->contains(page_line.shape_hash)) {
    return Role::kChrome;
  }
  if (line.words <= kMaxChromeWords && ContainsAnyTerm(lower, kChromeTerms)) {
    return Role::kFooterMarker;
  }
  if (CountTerms(lower, kConsentTerms) >= 2) return Role::kChrome;
  if (line.words <= 25 && !IsParagraph(line) &&
      ContainsAnyTerm(lower, kCreditTerms)) {
    return Role::kCaption;
  }
  if (line.words <= kMaxTinyChromeWords &&
      ContainsAnyTerm(lower, kTinyChromeTerms)) {
    return Role::kChrome;
  }
  if (line.words <= 20 && IsBreadcrumb(line.text)) return Role::kChrome;
  if (line.words <= 20 && !IsSentenceEnded(line) &&
      (lower.rfind("par ", 0) == 0 || lower.rfind("by ", 0) == 0 ||
       ContainsAnyTerm(lower, kBylineTerms))) {
    return Role::kChrome;
  }
  if (line.words <= 12 && repeats >= 2) return Role::kCaption;
  // A short phrase made only of names ("Kaja Kallas à Achgabat").
  if (line.words <= 8 && !IsSentenceEnded(line) && words.content_words >= 2 &&
      words.capitalized_content_words == words.content_words) {
    return Role::kCaption;
  }
  // A long run of words with no function words is a tag cloud or a menu,
  // when the page's language has function words we know.
  if (known_stop_words && line.words > 15 && line.sentence_breaks == 0 &&
      words.stop_words * 20 < words.words) {
    return Role::kChrome;
  }
  return Role::kContent;
}

// Short lines that may carry a title: a run of these ends at a paragraph.
bool CanBeTitle(const Block& block) {
  return block.role == Role::kContent && block.line->words >= 3 &&
         block.line->words <= 40 && block.line->ending != Ending::kSentence;
}

void AppendParagraph(std::string_view text, std::string* out) {
  if (!out->empty()) out->append("\n\n");
  out->append(text);
}

// Every line with the hashes the store learns it by.
void FillPageLines(const std::vector<Line>& lines, ParsedDump* dump) {
  dump->page_lines.reserve(lines.size());
  for (const Line& line : lines) {
    dump->page_lines.push_back({.shape_hash = LineShapeHash(line.text),
                                .words_hash = HashOfWords(line.text),
                                .words = line.words});
  }
}

std::vector<Block> ClassifyBlocks(const std::vector<Line>& lines, const ParsedDump& dump,
                                  const ParseOptions& options) {
  absl::flat_hash_map<std::string_view, int> repeats;
  for (const Line& line : lines) ++repeats[line.text];
  std::vector<WordStats> word_stats;
  word_stats.reserve(lines.size());
  WordStats page;
  for (const Line& line : lines) {
    const WordStats& words = word_stats.emplace_back(CountWords(line.text));
    page.words += words.words;
    page.stop_words += words.stop_words;
  }
  const bool known_stop_words = page.stop_words * 6 >= page.words;
  std::vector<Block> blocks(lines.size());
  for (size_t i = 0; i < lines.size(); ++i) {
    blocks[i].line = &lines[i];
    blocks[i].role = ClassifyBlock(lines[i], dump.page_lines[i], word_stats[i],
                                   repeats[lines[i].text], known_stop_words, options);
    blocks[i].paragraph = blocks[i].role == Role::kContent && IsParagraph(lines[i]);
  }
  return blocks;
}

// The title without an anchor: the first title-shaped line of the run of
// short lines right before the lede (captions, bylines or a subtitle may
// follow it); before the title lies page chrome.
std::vector<Block>::const_iterator TitleBeforeLede(const std::vector<Block>& blocks,
                                                   std::vector<Block>::const_iterator lede) {
  auto run_start = lede;
  while (run_start != blocks.begin()) {
    const Block& previous = *(run_start - 1);
    if (previous.paragraph || previous.line->words > 30 ||
        (previous.line->words >= 12 && IsSentenceEnded(*previous.line))) {
      break;
    }
    --run_start;
  }
  const auto title = std::find_if(run_start, lede, CanBeTitle);
  return title == lede ? blocks.end() : title;
}

// The article's paragraphs after the lede: the page tail after the last
// long paragraph holds the footer, and from its first chrome block on
// nothing is article.
std::string BodyAfter(const std::vector<Block>& blocks, std::vector<Block>::const_iterator lede) {
  auto tail = blocks.end();
  while (tail != lede + 1 &&
         !((tail - 1)->paragraph && (tail - 1)->line->words >= kMinArticleParagraphWords)) {
    --tail;
  }
  const auto footer = std::find_if(tail, blocks.end(), [](const Block& b) {
    return b.role != Role::kContent;
  });
  std::string body;
  bool in_link_list = false;
  for (auto it = lede + 1; it < footer; ++it) {
    switch (it->role) {
      case Role::kFooterMarker:
        in_link_list = it->line->words <= kMaxBlockHeadingWords;
        continue;
      case Role::kChrome:
      case Role::kCaption:
        continue;
      case Role::kContent:
        break;
    }
    if (it->paragraph && it->line->words >= kMinArticleParagraphWords) {
      in_link_list = false;
    } else if (in_link_list) {
      continue;
    }
    AppendParagraph(it->line->text, &body);
  }
  return body;
}

absl::Status ParseArticle(const std::vector<Line>& lines, const ParseOptions& options,
                          ParsedDump* dump) {
  dump->kind = SnapshotKind::kArticle;
  FillPageLines(lines, dump);
  std::vector<Block> blocks = ClassifyBlocks(lines, *dump, options);
  std::optional<PageAnchor> anchor = options.anchor;
  if (anchor.has_value() &&
      (anchor->title_line >= blocks.size() ||
       (anchor->lede_line.has_value() &&
        (*anchor->lede_line <= anchor->title_line || *anchor->lede_line >= blocks.size())))) {
    anchor.reset();
  }
  // The anchor's lines are the article's, whatever their shape says.
  auto from = blocks.cbegin();
  if (anchor.has_value()) {
    blocks[anchor->title_line].role = Role::kContent;
    from = blocks.cbegin() + static_cast<std::ptrdiff_t>(anchor->title_line) + 1;
    if (anchor->lede_line.has_value()) {
      Block& lede = blocks[*anchor->lede_line];
      lede.role = Role::kContent;
      lede.paragraph = true;
    }
  }
  const auto lede =
      anchor.has_value() && anchor->lede_line.has_value()
          ? blocks.cbegin() + static_cast<std::ptrdiff_t>(*anchor->lede_line)
          : std::find_if(from, blocks.cend(), [](const Block& b) { return b.paragraph; });
  const auto title = anchor.has_value()
                         ? blocks.cbegin() + static_cast<std::ptrdiff_t>(anchor->title_line)
                         : (lede == blocks.cend() ? blocks.cend() : TitleBeforeLede(blocks, lede));
  if (lede == blocks.cend() && title == blocks.cend()) {
    return absl::InvalidArgumentError(absl::StrCat(
        "article page without text: no title and no paragraph among its ", lines.size(),
        " lines"));
  }
  Item& item = dump->items.emplace_back();
  item.position = 0;
  if (anchor.has_value() && !anchor->title.empty()) {
    item.title = anchor->title;
  } else if (title != blocks.cend()) {
    item.title = title->line->text;
  } else {
    dump->warnings.push_back("article page: no title line before the lede");
  }
  if (lede == blocks.cend()) {
    dump->warnings.push_back("article page: no paragraph found, only its title");
    return absl::OkStatus();
  }
  item.lede = lede->line->text;
  item.body = BodyAfter(blocks, lede);
  return absl::OkStatus();
}


// ---------------------------------------------------------------------------
// HTML pages (core/html_page.h): a listing of headline cards, or an article
// whose blocks are cut as the lines of a text page.

// One line per block. REQUIRES: no block holds a newline (HtmlPage's never).
std::vector<Line> LinesOfBlocks(const std::vector<std::string>& blocks) {
  std::vector<Line> lines;
  lines.reserve(blocks.size());
  for (const std::string& block : blocks) {
    const std::string_view trimmed = Trim(block);
    if (trimmed.empty()) continue;
    Line& line = lines.emplace_back();
    line.text = trimmed;
    line.number = static_cast<int>(lines.size());
    MeasureLine(&line);
  }
  return lines;
}

void ParseHtmlListing(const HtmlPage& page, ParsedDump* dump) {
  for (const HtmlHeadline& headline : page.headlines) {
    Item& item = dump->items.emplace_back();
    item.position = static_cast<int>(dump->items.size()) - 1;
    item.title = headline.title;
    item.lede = headline.teaser;
    item.url = ResolveUrl(page.url, headline.url);
  }
}

absl::Status ParseHtml(std::string_view bytes, const ParseOptions& options, ParsedDump* dump) {
  const HtmlPage page = ReadHtmlPage(bytes);
  if (page.LooksLikeListing()) {
    ParseHtmlListing(page, dump);
    return absl::OkStatus();
  }
  // The page's own title anchors the article, unless the caller knows
  // better; a title found in no block becomes the first line.
  std::vector<std::string> blocks = page.blocks;
  const std::string title = MatchingForm(page.title);
  size_t title_line = 0;
  while (title_line < blocks.size() && MatchingForm(blocks[title_line]) != title) ++title_line;
  if (title_line == blocks.size() && !title.empty()) {
    blocks.insert(blocks.begin(), page.title);
    title_line = 0;
  }
  ParseOptions article_options = options;
  if (!article_options.anchor.has_value() && !title.empty()) {
    article_options.anchor = PageAnchor{.title_line = title_line, .lede_line = std::nullopt};
  }
  const std::vector<Line> lines = LinesOfBlocks(blocks);
  if (lines.empty()) {
    return absl::InvalidArgumentError("HTML page without text: no title and no text block");
  }
  if (absl::Status status = ParseArticle(lines, article_options, dump); !status.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("HTML page without text: ", status.message()));
  }
  dump->items.front().url = page.url;
  return absl::OkStatus();
}

// ---------------------------------------------------------------------------
// Format detection.

constexpr std::string_view kBom = "\xEF\xBB\xBF";
// Detection looks at the top of the dump only: a page's shape shows early.
constexpr size_t kDetectionBytes = 64 << 10;
// ... in its first lines, each seen to this length, so that one huge line
// (a title of megabytes) cannot stand for the whole page.
constexpr size_t kDetectionLineBytes = 2048;

// The first non-blank line of `text`, whole, when it is at most `max_bytes`.
std::string_view FirstLine(std::string_view text, size_t max_bytes) {
  while (!text.empty()) {
    const size_t end = std::min(text.find('\n'), text.size());
    const std::string_view line = Trim(text.substr(0, end));
    if (!line.empty()) return line.size() <= max_bytes ? line : std::string_view();
    text.remove_prefix(std::min(end + 1, text.size()));
  }
  return {};
}

// A first line that is one JSON object, however long (up to the limit).
bool LooksLikeJsonl(std::string_view text, size_t max_json_line_bytes) {
  const std::string_view first = FirstLine(text, max_json_line_bytes);
  return !first.empty() && IsJsonObjectLine(first);
}

// The top kDetectionBytes of `text`, each line cut to kDetectionLineBytes.
std::string DetectionSample(std::string_view text) {
  std::string sample;
  while (!text.empty() && sample.size() < kDetectionBytes) {
    const size_t end = std::min(text.find('\n'), text.size());
    std::string_view line = text.substr(0, end);
    if (line.size() > kDetectionLineBytes) {
      size_t cut = kDetectionLineBytes;
      while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;
      line = line.substr(0, cut);
    }
    sample.append(line);
    sample.push_back('\n');
    text.remove_prefix(std::min(end + 1, text.size()));
  }
  return sample;
}

// Even the best listing cut of an article page has many ill-shaped items:
// runs of paragraphs, menus and buttons paired with each other, headings
// without a paragraph.
bool LooksLikeArticle(const std::vector<Line>& lines) {
  const ListingCut cut = CutListing(lines);
  return cut.well_shaped_items * 10 < static_cast<int>(cut.cuts.size()) * 7;
}

DumpFormat DetectFormat(std::string_view text, size_t max_json_line_bytes) {
  if (LooksLikeJsonl(text, max_json_line_bytes)) return DumpFormat::kJsonl;
  if (LooksLikeHtml(text)) return DumpFormat::kHtml;
  int cut_lines = 0;
  int first_cut_line = 0;
  const std::string sample = DetectionSample(text);
  const std::vector<Line> lines =
      SplitLines(sample, kDetectionLineBytes, &cut_lines, &first_cut_line);
  return LooksLikeArticle(lines) ? DumpFormat::kArticle : DumpFormat::kListing;
}

// JSON Lines (core/json_lines.h), with this parser's warnings and errors.
absl::Status ParseJsonlDump(std::string_view bytes, const ParseOptions& options,
                            ParsedDump* dump) {
  const size_t max_line_bytes = std::max<size_t>(options.max_json_line_bytes, 1);
  JsonLinesResult parsed = ParseJsonLines(bytes, /*first_line=*/1, max_line_bytes);
  // A cut object is no object: its item would be lost without a word.
  if (parsed.cut_lines > 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("line ", parsed.first_cut_line, ": a JSON object longer than ",
                     max_line_bytes, " bytes (the limit for one JSON Lines line)"));
  }
  dump->items = std::move(parsed.items);
  for (std::string& warning : parsed.warnings) dump->warnings.push_back(std::move(warning));
  if (!options.piece_of_larger_dump && !dump->items.empty()) {
    if (std::string unread = UnreadFieldsWarning(parsed.unread_fields); !unread.empty()) {
      dump->warnings.push_back(std::move(unread));
    }
  }
  if (!dump->items.empty() || options.piece_of_larger_dump) return absl::OkStatus();
  if (parsed.warnings.empty()) {
    dump->warnings.push_back("empty dump: no items");
    return absl::OkStatus();
  }
  return absl::InvalidArgumentError(
      "JSON Lines dump without a single usable object (each needs a title "
      "or a text, body or description)");
}

}  // namespace

std::string_view DumpFormatName(DumpFormat format) {
  switch (format) {
    case DumpFormat::kListing:
      return "listing";
    case DumpFormat::kArticle:
      return "article";
    case DumpFormat::kJsonl:
      return "jsonl";
    case DumpFormat::kHtml:
      return "html";
  }
  return "listing";
}

uint64_t LineShapeHash(std::string_view line) {
  const std::string matching = MatchingForm(line);
  std::string shape;
  shape.reserve(matching.size());
  bool in_digits = false;
  for (const char c : matching) {
    const bool digit = c >= '0' && c <= '9';
    if (!digit) {
      shape.push_back(c);
    } else if (!in_digits) {
      shape.push_back('0');
    }
    in_digits = digit;
  }
  // "48.56" is "48 56" in matching form: one number still.
  for (size_t at = shape.find("0 0"); at != std::string::npos; at = shape.find("0 0", at)) {
    shape.erase(at + 1, 2);
  }
  return XXH3_64bits(shape.data(), shape.size());
}

absl::StatusOr<DumpFormat> ParseDumpFormatName(std::string_view name) {
  for (const DumpFormat format :
       {DumpFormat::kListing, DumpFormat::kArticle, DumpFormat::kJsonl, DumpFormat::kHtml}) {
    if (name == DumpFormatName(format)) return format;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("unknown dump format \"", ToAbsl(name),
                   "\" (expected listing, article, jsonl or html)"));
}

DumpFormat DetectDumpFormat(std::string_view bytes) {
  if (bytes.substr(0, kBom.size()) == kBom) bytes.remove_prefix(kBom.size());
  return DetectFormat(bytes, ParseOptions().max_json_line_bytes);
}

absl::StatusOr<ParsedDump> ParseDump(std::string_view bytes,
                                     const ParseOptions& options) {
  const void* nul = std::memchr(bytes.data(), '\0', bytes.size());
  if (nul != nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("binary file: NUL byte at offset ",
                     static_cast<const char*>(nul) - bytes.data()));
  }
  ParsedDump dump;
  std::string repaired;
  if (!IsValidUtf8(bytes)) {
    const int replaced = RepairUtf8(bytes, &repaired);
    dump.warnings.push_back(
        absl::StrCat("repaired ", replaced, " invalid UTF-8 byte",
                     replaced == 1 ? "" : "s", " (each replaced by U+FFFD)"));
    bytes = repaired;
  }
  if (bytes.substr(0, kBom.size()) == kBom) bytes.remove_prefix(kBom.size());
  dump.format =
      options.format.has_value() ? *options.format
                                 : DetectFormat(bytes, options.max_json_line_bytes);
  if (dump.format == DumpFormat::kHtml) {
    if (absl::Status status = ParseHtml(bytes, options, &dump); !status.ok()) return status;
    return dump;
  }
  if (dump.format == DumpFormat::kJsonl) {
    if (absl::Status status = ParseJsonlDump(bytes, options, &dump); !status.ok()) {
      return status;
    }
    return dump;
  }
  int cut_lines = 0;
  int first_cut_line = 0;
  const std::vector<Line> lines =
      SplitLines(bytes, std::max<size_t>(options.max_line_bytes, 1), &cut_lines,
                 &first_cut_line);
  if (cut_lines > 0) {
    dump.warnings.push_back(
        absl::StrCat(cut_lines, " line", cut_lines == 1 ? "" : "s",
                     " longer than ", options.max_line_bytes,
                     " bytes cut (first at line ", first_cut_line, ")"));
  }
  if (lines.empty()) {
    dump.warnings.push_back("empty dump: no items");
    return dump;
  }
  switch (dump.format) {
    case DumpFormat::kListing:
      ParseListing(lines, &dump);
      break;
    case DumpFormat::kArticle: {
      const absl::Status status = ParseArticle(lines, options, &dump);
      if (!status.ok()) return status;
      break;
    }
    case DumpFormat::kJsonl:
    case DumpFormat::kHtml:
      break;  // Parsed above.
  }
  return dump;
}

}  // namespace newsdedup
