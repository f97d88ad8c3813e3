// corpus_generator: writes a deterministic synthetic news corpus with ground
// truth, for the large-corpus benchmarks (issue 6) and the labeled quality
// evaluation (issue 7).
//
// The corpus imitates a French news site scraped every night: stories are
// born on some night, stay on the listing page for a few nights (sometimes
// edited, sometimes leaving for a night and coming back), and a share of them
// are traps: exact repeats, near-duplicates with a recorded edit fraction,
// listing teasers whose lede is the first paragraph of an article, and hard
// negatives (same template, different story).
//
// Determinism: every random choice comes from our own xoshiro256** seeded by
// splitmix64, and only integer arithmetic and correctly rounded IEEE
// operations (no libm, no std::*_distribution) turn bits into choices, so a
// seed gives the same bytes on every machine. Each story draws from its own
// stream (seed, story), so a story's text does not depend on what was
// generated before it; that is what lets a repeat regenerate its text instead
// of keeping every text in memory.
//
// Outputs in --out DIR (see benchmarks/README.md):
//   night-NNN.txt          plain-text listing dumps (title line, lede line)
//   pages/night-NNN/ID.txt article pages (title, blank line, paragraphs)
//   corpus.jsonl           one JSON object per corpus item
//   articles.jsonl         --kind listing: the articles behind the teasers
//   truth.jsonl            one line per item (corpus and articles): cluster,
//                          type, edit, edit_fraction

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>
#include <unordered_set>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace newsdedup {
namespace {

// ---------------------------------------------------------------------------
// Randomness.

uint64_t SplitMix64(uint64_t* state) {
  uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// Derives an independent stream seed from a parent seed and a key.
uint64_t Mix(uint64_t seed, uint64_t key) {
  uint64_t state = seed ^ (key * 0xd1342543de82ef95ULL + 0x632be59bd9b4e019ULL);
  SplitMix64(&state);
  return SplitMix64(&state);
}

// xoshiro256**: fast, and its output is fully specified.
class Rng {
 public:
  explicit Rng(uint64_t seed) {
    for (uint64_t& s : s_) s = SplitMix64(&seed);
  }

  uint64_t Next() {
    const uint64_t result = Rotl(s_[1] * 5, 7) * 9;
    const uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = Rotl(s_[3], 45);
    return result;
  }

  // Uniform in [0, n) by multiply-shift; the bias (< n / 2^32) is irrelevant
  // here and the result is exact integer arithmetic. REQUIRES: n > 0.
  uint32_t Below(uint32_t n) {
    return static_cast<uint32_t>(((Next() >> 32) * n) >> 32);
  }
  // Uniform in [lo, hi]. REQUIRES: lo <= hi.
  int Between(int lo, int hi) {
    return lo + static_cast<int>(Below(static_cast<uint32_t>(hi - lo + 1)));
  }
  // Uniform in [0, 1) with 53 random bits.
  double Unit() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  bool Chance(double p) { return Unit() < p; }
  // Skewed towards 0: the smaller of two uniform draws.
  uint32_t Skewed(uint32_t n) { return std::min(Below(n), Below(n)); }

 private:
  static uint64_t Rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  uint64_t s_[4];
};

template <typename T, size_t N>
std::string_view Pick(Rng& rng, const T (&items)[N]) {
  return items[rng.Below(N)];
}

// ---------------------------------------------------------------------------
// Dates (proleptic Gregorian, days since 1970-01-01; H. Hinnant's algorithms).

int64_t DaysFromCivil(int64_t y, int64_t m, int64_t d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

struct CivilDate {
  int64_t year;
  int month;
  int day;
};

CivilDate CivilFromDays(int64_t z) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  const int day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  const int month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  return {yoe + era * 400 + (month <= 2), month, day};
}

constexpr std::string_view kMonths[] = {
    "janvier", "février", "mars",      "avril",   "mai",      "juin",
    "juillet", "août",    "septembre", "octobre", "novembre", "décembre"};

// First night of every corpus: nights are consecutive days from here.
const int64_t kFirstNight = DaysFromCivil(2025, 3, 1);

// ---------------------------------------------------------------------------
// Byte-level helpers for the UTF-8 we generate (ASCII and Latin-1 letters).

constexpr std::string_view kApostrophe = "\u2019";
constexpr std::string_view kNbsp = "\u00a0";
constexpr std::string_view kEllipsis = "\u2026";

bool IsLatinLetterLead(std::string_view w, size_t i) {
  // U+00C0..U+00FF except × and ÷, encoded C3 80..BF.
  return static_cast<unsigned char>(w[i]) == 0xC3 && i + 1 < w.size() &&
         static_cast<unsigned char>(w[i + 1]) != 0x97 &&
         static_cast<unsigned char>(w[i + 1]) != 0xB7;
}

bool IsAsciiLetter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool StartsWithLetter(std::string_view w) {
  return !w.empty() && (IsAsciiLetter(w[0]) || IsLatinLetterLead(w, 0));
}

// Vowel-initial words take an elided article: l’, d’, qu’ (no h-aspiré
// subtleties: h never elides here).
bool StartsWithVowel(std::string_view w) {
  if (w.empty()) return false;
  switch (w[0]) {
    case 'a':
    case 'e':
    case 'i':
    case 'o':
    case 'u':
    case 'A':
    case 'E':
    case 'I':
    case 'O':
    case 'U':
      return true;
    default:
      break;
  }
  if (!IsLatinLetterLead(w, 0)) return false;
  const unsigned char c = static_cast<unsigned char>(w[1]) | 0x20;
  return (c >= 0xA0 && c <= 0xA6) || (c >= 0xA8 && c <= 0xAF) ||
         (c >= 0xB2 && c <= 0xB6) || (c >= 0xB9 && c <= 0xBC);
}

// Appends `w` with its first letter upper-cased (ASCII or Latin-1).
void AppendCapitalized(std::string* out, std::string_view w) {
  if (w.empty()) return;
  const size_t at = out->size();
  out->append(w.data(), w.size());
  char& c = (*out)[at];
  if (c >= 'a' && c <= 'z') {
    c = static_cast<char>(c - 'a' + 'A');
  } else if (IsLatinLetterLead(w, 0) &&
             static_cast<unsigned char>(w[1]) >= 0xA0) {
    (*out)[at + 1] = static_cast<char>(static_cast<unsigned char>(w[1]) - 0x20);
  }
}

void AppendUint(std::string* out, uint64_t v, int width = 1) {
  char digits[24];
  int n = 0;
  do {
    digits[n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0);
  for (int i = n; i < width; ++i) out->push_back('0');
  while (n > 0) out->push_back(digits[--n]);
}

void AppendIsoDate(std::string* out, int64_t days) {
  const CivilDate date = CivilFromDays(days);
  AppendUint(out, static_cast<uint64_t>(date.year), 4);
  out->push_back('-');
  AppendUint(out, static_cast<uint64_t>(date.month), 2);
  out->push_back('-');
  AppendUint(out, static_cast<uint64_t>(date.day), 2);
}

void AppendJsonString(std::string* out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out->push_back('"');
  size_t run = 0;  // Start of the pending run of bytes that need no escape.
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out->append(s.data() + run, i - run);
    run = i + 1;
    out->push_back('\\');
    switch (c) {
      case '"':
        out->push_back('"');
        break;
      case '\\':
        out->push_back('\\');
        break;
      case '\n':
        out->push_back('n');
        break;
      default:
        out->append("u00");
        out->push_back(kHex[c >> 4]);
        out->push_back(kHex[c & 15]);
    }
  }
  out->append(s.data() + run, s.size() - run);
  out->push_back('"');
}

// ---------------------------------------------------------------------------
// Vocabulary.

constexpr std::string_view kDeterminers[] = {
    "le",    "la",  "les", "un", "une", "des",  "du",    "ce",
    "cette", "ces", "son", "sa", "ses", "leur", "leurs", "notre"};
constexpr std::string_view kPrepositions[] = {
    "de",    "à",     "dans",   "pour",  "sur",    "par",
    "avec",  "entre", "en",     "vers",  "sans",   "sous",
    "après", "avant", "contre", "selon", "depuis", "chez"};
constexpr std::string_view kConjunctions[] = {
    "et", "mais", "ou", "qui", "que", "dont", "où", "car", "alors que"};
constexpr std::string_view kVerbs[] = {"a",        "est",   "sont",   "ont",
                                       "doit",     "peut",  "va",     "devrait",
                                       "pourrait", "reste", "semble", "veut"};
constexpr std::string_view kPastParticiples[] = {
    "annoncé",  "présidé", "signé",  "inauguré", "dévoilé", "rencontré",
    "présenté", "proposé", "adopté", "lancé",    "reçu",    "critiqué"};
// Frequent real words, ranked first so that the text reads French.
constexpr std::string_view kCommonWords[] = {"président",
                                             "gouvernement",
                                             "pays",
                                             "accord",
                                             "région",
                                             "sommet",
                                             "coopération",
                                             "économie",
                                             "projet",
                                             "réunion",
                                             "ministre",
                                             "développement",
                                             "sécurité",
                                             "stratégie",
                                             "énergie",
                                             "année",
                                             "français",
                                             "façon",
                                             "marché",
                                             "frontière",
                                             "partenariat",
                                             "investissement",
                                             "dialogue",
                                             "élection",
                                             "réforme",
                                             "habitants",
                                             "capitale",
                                             "entreprise",
                                             "politique",
                                             "nouvelle",
                                             "premier",
                                             "grand",
                                             "national",
                                             "européenne",
                                             "internationale",
                                             "transport",
                                             "numérique",
                                             "eau",
                                             "agriculture",
                                             "université",
                                             "leçon",
                                             "reçu",
                                             "hôpital",
                                             "côté",
                                             "été",
                                             "début",
                                             "rôle",
                                             "intérêt",
                                             "crise",
                                             "défi"};
constexpr std::string_view kOnsets[] = {
    "b", "c",  "d",  "f",  "g",  "j",  "l",  "m",  "n",  "p",  "r", "s", "t",
    "v", "ch", "cr", "pr", "tr", "gr", "br", "pl", "fl", "qu", "",  "",  ""};
constexpr std::string_view kNuclei[] = {
    "a",  "e",  "i",  "o",  "u",  "é",  "è", "ou", "ai", "au", "eau",
    "eu", "oi", "on", "an", "en", "in", "ô", "ê",  "â",  "ui", "ie"};
constexpr std::string_view kCodas[] = {"",  "",  "",  "r", "s",
                                       "l", "n", "t", "x", "c"};
constexpr std::string_view kSuffixes[] = {
    "tion", "ment", "ité", "ique", "eur", "age", "ence", "isme", "ée",
    "oire", "elle", "ard", "ien",  "ais", "ure", "esse", "çon",  "ette"};
constexpr std::string_view kFirstNames[] = {
    "Marie",  "Jean",   "Ana",     "Olivier", "Aïcha",  "Rustam", "Gulnara",
    "Timur",  "Sophie", "Luc",     "Zarina",  "Kamila", "Hélène", "François",
    "Élodie", "Nurlan", "Dilnoza", "Farid",   "Chloé",  "Amélie", "Bakhtiyor"};
constexpr std::string_view kRealPersons[] = {
    "Kassym-Jomart Tokaïev", "Shavkat Mirziyoyev", "Kaja Kallas",
    "Sadyr Japarov",         "Emomali Rahmon",     "Ursula von der Leyen",
    "Emmanuel Macron",       "Sergio Mattarella",  "António Guterres"};
constexpr std::string_view kPlaces[] = {
    "Astana",    "Almaty",     "Bichkek",  "Douchanbé", "Achgabat",
    "Tachkent",  "Samarcande", "Boukhara", "Bruxelles", "Paris",
    "Bakou",     "Moscou",     "Pékin",    "Genève",    "Lyon",
    "Marseille", "Strasbourg", "Kyïv",     "Omsk",      "Ankara",
    "Berlin",    "Rome",       "Varsovie", "Téhéran",   "Istanbul",
    "Oural",     "Aktaou",     "Chymkent", "Noukous",   "Khodjent"};
constexpr std::string_view kOrgs[] = {
    "l’Union européenne",
    "l’ONU",
    "la Banque mondiale",
    "l’OTAN",
    "la Commission européenne",
    "le Parlement",
    "l’Unesco",
    "le FMI",
    "la BERD",
    "le ministère de l’Économie",
    "l’Organisation de coopération de Shanghai"};

constexpr int kContentWords = 4000;
constexpr int kZipfTableBits = 16;

// A fixed pseudo-French vocabulary (the same for every seed, so corpora of
// different seeds speak the same language) with a Zipfian sampler.
class Lexicon {
 public:
  Lexicon() {
    Rng rng(0x6e657773646564ULL);
    std::unordered_set<std::string> seen;
    for (std::string_view w : kCommonWords) {
      words_.emplace_back(w);
      seen.emplace(w);
    }
    std::string w;
    while (words_.size() < kContentWords) {
      w.clear();
      const int syllables = rng.Between(1, 3);
      for (int i = 0; i < syllables; ++i) {
        w += Pick(rng, kOnsets);
        w += Pick(rng, kNuclei);
      }
      w += rng.Chance(0.4) ? Pick(rng, kSuffixes) : Pick(rng, kCodas);
      if (w.size() < 3 || w.size() > 16 || !seen.insert(w).second) continue;
      words_.push_back(w);
    }
    // Weight of rank r is 1 / (r + 2.7): only divisions and additions, which
    // IEEE rounds the same everywhere.
    std::vector<double> cumulative(words_.size());
    double total = 0;
    for (size_t r = 0; r < words_.size(); ++r) {
      total += 1.0 / (static_cast<double>(r) + 2.7);
      cumulative[r] = total;
    }
    zipf_.resize(size_t{1} << kZipfTableBits);
    size_t r = 0;
    for (size_t i = 0; i < zipf_.size(); ++i) {
      const double u = (static_cast<double>(i) + 0.5) /
                       static_cast<double>(zipf_.size()) * total;
      while (r + 1 < words_.size() && cumulative[r] < u) ++r;
      zipf_[i] = static_cast<uint16_t>(r);
    }
    for (int i = 0; i < 300; ++i) {
      std::string name(Pick(rng, kFirstNames));
      name += ' ';
      const std::string_view last = words_[rng.Between(60, kContentWords - 1)];
      AppendCapitalized(&name, last);
      if (rng.Chance(0.3)) name += rng.Chance(0.5) ? "ov" : "eva";
      persons_.push_back(std::move(name));
    }
    for (std::string_view p : kRealPersons) persons_.emplace_back(p);
  }

  std::string_view Word(Rng& rng) const {
    return words_[zipf_[rng.Next() >> (64 - kZipfTableBits)]];
  }
  std::string_view Person(Rng& rng) const {
    return persons_[rng.Below(static_cast<uint32_t>(persons_.size()))];
  }

 private:
  std::vector<std::string> words_;
  std::vector<uint16_t> zipf_;  // Quantized inverse CDF of the Zipf law.
  std::vector<std::string> persons_;
};

// ---------------------------------------------------------------------------
// Prose: appends words to a string with French spacing, sentence
// capitalization and elision, without allocating per word.

class Prose {
 public:
  Prose(std::string* out, bool nbsp_before_punct)
      : out_(out), nbsp_(nbsp_before_punct) {}

  int words() const { return words_; }

  void Word(std::string_view w) {
    if (elidable_ && StartsWithVowel(w)) {
      out_->pop_back();  // Every elidable word ends in one ASCII vowel.
      out_->append(kApostrophe);
      out_->append(w);
    } else {
      if (!at_start_) out_->push_back(' ');
      if (capitalize_) {
        AppendCapitalized(out_, w);
      } else {
        out_->append(w);
      }
    }
    elidable_ = IsElidable(w);
    capitalize_ = false;
    at_start_ = false;
    ++words_;
  }
  // A multi-word name counts as its words.
  void Name(std::string_view name) {
    Word(name);
    words_ += static_cast<int>(std::count(name.begin(), name.end(), ' '));
  }
  void Number(uint64_t n) {
    std::string digits;  // Small-string optimized: no allocation.
    if (n >= 10000) {
      AppendUint(&digits, n / 1000);
      digits.append(kNbsp);
      AppendUint(&digits, n % 1000, 3);
    } else {
      AppendUint(&digits, n);
    }
    Word(digits);
  }
  // "1er mars 2025", "27 mars" (without `year`).
  void DayMonth(int64_t days, bool year = true) {
    const CivilDate date = CivilFromDays(days);
    if (date.day == 1) {
      Word("1er");
    } else {
      Number(static_cast<uint64_t>(date.day));
    }
    Word(kMonths[date.month - 1]);
    if (year) Number(static_cast<uint64_t>(date.year));
  }
  // "le 27 mars 2025".
  void Date(int64_t days) {
    Word("le");
    DayMonth(days);
  }
  // "," and "." attach; ":", "?", "!" and ";" take a (no-break) space.
  void Punct(char p) {
    if (p != ',' && p != '.') out_->append(nbsp_ ? kNbsp : " ");
    out_->push_back(p);
    elidable_ = false;
    if (p == '.' || p == '?' || p == '!') capitalize_ = true;
  }
  void OpenQuote() {
    if (!at_start_) out_->push_back(' ');
    out_->append("«");
    out_->append(kNbsp);
    at_start_ = true;  // The next word follows the NBSP directly.
    elidable_ = false;
  }
  void CloseQuote() {
    out_->append(kNbsp);
    out_->append("»");
  }
  void Paragraph() {
    out_->append("\n\n");
    at_start_ = true;
    capitalize_ = true;
    elidable_ = false;
  }
  void Capitalize() { capitalize_ = true; }

 private:
  static bool IsElidable(std::string_view w) {
    return w == "le" || w == "la" || w == "de" || w == "que" || w == "Le" ||
           w == "La" || w == "De" || w == "Que";
  }

  std::string* out_;
  bool nbsp_;
  bool at_start_ = true;
  bool capitalize_ = true;
  bool elidable_ = false;
  int words_ = 0;
};

// What a story is about: the names, place and date its text keeps citing.
struct Facts {
  std::string_view person;
  std::string_view person2;
  std::string_view place;
  std::string_view org;
  int64_t date = 0;  // Days since the epoch.
  bool nbsp = false;
};

Facts MakeFacts(Rng& rng, const Lexicon& lex, int64_t night_day) {
  Facts f;
  f.person = lex.Person(rng);
  f.person2 = lex.Person(rng);
  f.place = Pick(rng, kPlaces);
  f.org = Pick(rng, kOrgs);
  f.date = night_day - rng.Between(0, 3);
  f.nbsp = rng.Chance(0.5);
  return f;
}

void NounPhrase(Prose& p, Rng& rng, const Lexicon& lex, const Facts& f) {
  const uint32_t roll = rng.Below(100);
  if (roll < 5) {
    p.Name(roll < 3 ? f.person : f.person2);
  } else if (roll < 9) {
    p.Word(roll < 7 ? f.place : Pick(rng, kPlaces));
  } else if (roll < 11) {
    p.Name(f.org);
  } else if (roll < 14) {
    p.Number(rng.Chance(0.5) ? rng.Between(2, 999) : rng.Between(1000, 90000));
    p.Word(rng.Chance(0.5) ? "millions" : "personnes");
  } else {
    p.Word(kDeterminers[rng.Skewed(std::size(kDeterminers))]);
    p.Word(lex.Word(rng));
    if (rng.Chance(0.3)) p.Word(lex.Word(rng));
  }
}

// Appends clauses until about `words` more words are written (at most two
// over), ending with a period or a question mark.
void Sentence(Prose& p, Rng& rng, const Lexicon& lex, const Facts& f,
              int words) {
  const int end = p.words() + std::max(words, 3);
  int phase = 0;
  while (p.words() < end) {
    const int left = end - p.words();
    if (left <= 2) {
      p.Word(lex.Word(rng));
      continue;
    }
    switch (phase) {
      case 0:
        NounPhrase(p, rng, lex, f);
        break;
      case 1:
        p.Word(kVerbs[rng.Skewed(std::size(kVerbs))]);
        p.Word(lex.Word(rng));
        break;
      case 2:
        if (rng.Chance(0.06)) {
          p.OpenQuote();
          const int n = std::min(left - 1, rng.Between(2, 5));
          for (int i = 0; i < n; ++i) p.Word(lex.Word(rng));
          p.CloseQuote();
        } else {
          NounPhrase(p, rng, lex, f);
        }
        break;
      default:
        if (rng.Chance(0.25)) {
          p.Punct(',');
          p.Word(kConjunctions[rng.Skewed(std::size(kConjunctions))]);
          phase = 0;
          continue;
        }
        p.Word(kPrepositions[rng.Skewed(std::size(kPrepositions))]);
        NounPhrase(p, rng, lex, f);
        break;
    }
    phase = std::min(phase + 1, 3);
  }
  p.Punct(rng.Chance(0.05) ? '?' : '.');
}

// Sentences until about `words` more words are written.
void Sentences(Prose& p, Rng& rng, const Lexicon& lex, const Facts& f,
               int words) {
  const int end = p.words() + words;
  while (end - p.words() > 0) {
    const int left = end - p.words();
    Sentence(p, rng, lex, f, left < 26 ? left : rng.Between(8, 22));
  }
}

// A lede of `words` words whose first sentence often dates and places the
// story ("Le 27 mars 2025, à Achgabat, ...").
void Lede(Prose& p, Rng& rng, const Lexicon& lex, const Facts& f, int words) {
  const int end = p.words() + words;
  if (rng.Chance(0.5)) {
    p.Date(f.date);
    p.Punct(',');
    p.Word("à");
    p.Word(f.place);
    p.Punct(',');
    p.Name(f.person);
    p.Word("a");
    p.Word(Pick(rng, kPastParticiples));
  }
  Sentences(p, rng, lex, f, end - p.words());
}

// A headline of about `words` words, no final period; with `lead`, it may
// open on the place ("Astana : ...") or the person.
void Title(Prose& p, Rng& rng, const Lexicon& lex, const Facts& f, int words,
           bool lead = true) {
  const int end = p.words() + words;
  switch (lead ? rng.Below(4) : 3) {
    case 0:
      p.Word(f.place);
      p.Punct(':');
      break;
    case 1:
      p.Name(f.person);
      p.Word(Pick(rng, kVerbs));
      break;
    default:
      break;
  }
  bool colon = false;
  while (p.words() < end) {
    if (end - p.words() <= 2) {
      p.Word(lex.Word(rng));
      continue;
    }
    if (!colon && p.words() > 2 && rng.Chance(0.15)) {
      p.Punct(':');
      colon = true;
    }
    if (rng.Chance(0.3)) {
      p.Word(kPrepositions[rng.Skewed(std::size(kPrepositions))]);
    }
    NounPhrase(p, rng, lex, f);
  }
  if (rng.Chance(0.08)) p.Punct('?');
}

// Article body after the lede: paragraphs of 40–150 words and, every few
// paragraphs, a short intertitle.
void Body(Prose& p, Rng& rng, const Lexicon& lex, const Facts& f, int words) {
  const int end = p.words() + words;
  int paragraphs = 0;
  while (p.words() < end) {
    p.Paragraph();
    if (++paragraphs % 4 == 0 && rng.Chance(0.7)) {
      Title(p, rng, lex, f, rng.Between(5, 10));
      p.Paragraph();
    }
    const int n = std::min(end - p.words(), rng.Between(40, 150));
    Lede(p, rng, lex, f, std::max(n, 8));
  }
}

// ---------------------------------------------------------------------------
// Hard negatives: recurring templates whose items are different stories.

enum class Family : uint8_t {
  kLiveBlog,
  kResults,
  kWeather,
  kCartoon,
  kEventReport,
};
constexpr int kFamilies = 5;

constexpr std::string_view kLiveBlogs[] = {
    "Guerre en Ukraine", "Guerre au Proche-Orient",
    "Élection présidentielle américaine", "Crise au Sahel"};
constexpr std::string_view kLeagues[] = {"Ligue 1", "Ligue 2", "Top 14",
                                         "Pro D2"};
constexpr std::string_view kTeams[] = {
    "Lorient", "Brest",    "Nantes",   "Lens",       "Lille",  "Rennes",
    "Nice",    "Monaco",   "Toulouse", "Strasbourg", "Angers", "Auxerre",
    "Metz",    "Le Havre", "Reims",    "Bordeaux",   "Caen",   "Grenoble"};
constexpr std::string_view kRegions[] = {
    "la Bretagne", "la Normandie", "l’Île-de-France", "l’Alsace",
    "la Provence", "l’Occitanie",  "la Corse",        "les Alpes",
    "le Nord",     "l’Aquitaine",  "la Bourgogne",    "le Massif central"};
constexpr std::string_view kSkies[] = {
    "des averses",    "un grand soleil",     "des orages",  "du brouillard",
    "des nuages bas", "des rafales de vent", "de la neige", "une éclaircie"};
constexpr std::string_view kCartoonists[] = {"Plantu", "Coco", "Xavier Gorce"};
constexpr std::string_view kLeaders[] = {"Kassym-Jomart Tokaïev",
                                         "Shavkat Mirziyoyev", "Kaja Kallas"};
constexpr std::string_view kSummitCities[] = {"Astana", "Samarcande",
                                              "Achgabat"};

void LiveBlog(Prose& title, Prose& text, Rng& rng, const Lexicon& lex,
              const Facts& f, uint32_t n) {
  const std::string_view subject = kLiveBlogs[n % std::size(kLiveBlogs)];
  title.Name(subject);
  title.Punct(',');
  title.Word("en");
  title.Word("direct");
  title.Punct(':');
  Title(title, rng, lex, f, rng.Between(4, 9), /*lead=*/false);
  text.Word("Suivez");
  text.Word("en");
  text.Word("direct");
  text.Word("les");
  text.Word("dernières");
  text.Word("informations");
  text.Word("sur");
  text.Word("la");
  text.Word("situation");
  text.Punct('.');
  Lede(text, rng, lex, f, rng.Between(25, 100));
}

void Results(Prose& title, Prose& text, Rng& rng, uint32_t n, int matches) {
  const std::string_view league = kLeagues[n % std::size(kLeagues)];
  const uint32_t round = n / std::size(kLeagues) % 34 + 1;
  const uint64_t season = 2025 + n / std::size(kLeagues) / 34;
  std::string ordinal;  // "1re", "2e": journée is feminine.
  AppendUint(&ordinal, round);
  ordinal += round == 1 ? "re" : "e";
  title.Name(league);
  title.Punct(',');
  title.Word(ordinal);
  title.Word("journée");
  title.Punct(':');
  for (std::string_view w :
       {"tous", "les", "résultats", "et", "le", "classement"}) {
    title.Word(w);
  }
  for (std::string_view w : {"Retrouvez", "les", "résultats", "de", "la"}) {
    text.Word(w);
  }
  text.Word(ordinal);
  text.Word("journée");
  text.Word("de");
  text.Name(league);
  text.Word("saison");
  std::string years;
  AppendUint(&years, season);
  years += '-';
  AppendUint(&years, season + 1);
  text.Word(years);
  text.Punct(':');
  uint32_t order[std::size(kTeams)];
  for (uint32_t i = 0; i < std::size(kTeams); ++i) order[i] = i;
  for (int m = 0; m < matches; ++m) {
    const int slot = 2 * (m % 9);
    if (slot == 0) {  // A fresh draw of pairs for every nine matches.
      for (uint32_t i = std::size(kTeams) - 1; i > 0; --i) {
        std::swap(order[i], order[rng.Below(i + 1)]);
      }
    }
    if (m > 0) text.Punct(',');
    text.Name(kTeams[order[slot]]);
    std::string score;
    AppendUint(&score, rng.Below(5));
    score += '-';
    AppendUint(&score, rng.Below(5));
    text.Word(score);
    text.Name(kTeams[order[slot + 1]]);
  }
  text.Punct('.');
  text.Name(kTeams[order[0]]);
  for (std::string_view w : {"est", "en", "tête", "avec"}) text.Word(w);
  text.Number(rng.Between(round, round * 3));
  text.Word("points");
  text.Punct('.');
}

void Weather(Prose& title, Prose& text, Rng& rng, uint32_t n, int regions) {
  const int64_t day = kFirstNight + n;
  title.Word("Météo");
  title.Word("du");
  title.DayMonth(day);
  title.Punct(':');
  title.Word(Pick(rng, kSkies));
  title.Word("sur");
  title.Word(Pick(rng, kRegions));
  for (std::string_view w :
       {"Prévisions", "de", "Météo-France", "pour", "la", "journée", "du"}) {
    text.Word(w);
  }
  text.DayMonth(day, /*year=*/false);
  text.Punct(':');
  for (int i = 0; i < regions; ++i) {
    if (i > 0) text.Punct(';');
    text.Word(Pick(rng, kSkies));
    text.Word("sur");
    text.Word(Pick(rng, kRegions));
    text.Punct(',');
    for (std::string_view w : {"températures", "de"}) text.Word(w);
    const int low = rng.Between(-5, 15);
    text.Word(std::to_string(low));
    text.Word("à");
    text.Word(std::to_string(low + rng.Between(3, 15)));
    text.Word("degrés");
  }
  text.Punct('.');
}

void Cartoon(Prose& title, Prose& text, uint32_t n) {
  for (std::string_view w : {"Le", "dessin", "du", "jour"}) title.Word(w);
  for (std::string_view w :
       {"Retrouvez", "chaque", "jour", "le", "regard", "de"}) {
    text.Word(w);
  }
  text.Name(kCartoonists[n % std::size(kCartoonists)]);
  for (std::string_view w : {"sur", "l’actualité"}) text.Word(w);
  text.Punct('.');
  for (std::string_view w : {"Le", "dessin", "du"}) text.Word(w);
  text.DayMonth(kFirstNight + n / std::size(kCartoonists));
  for (std::string_view w :
       {"est", "à", "découvrir", "dans", "notre", "édition", "du", "jour"}) {
    text.Word(w);
  }
  text.Punct(',');
  for (std::string_view w : {"avec", "les", "réactions", "de", "nos",
                             "lecteurs", "et", "les", "archives", "de", "la",
                             "semaine", "précédente", "sur", "notre", "site"}) {
    text.Word(w);
  }
  text.Punct('.');
}

void EventReport(Prose& title, Prose& text, Rng& rng, const Lexicon& lex,
                 Facts f, uint32_t n) {
  f.person = kLeaders[n % std::size(kLeaders)];
  f.place = kSummitCities[n / std::size(kLeaders) % std::size(kSummitCities)];
  f.date = kFirstNight - 30 + n;  // Distinct for every report of a pair.
  title.Name(f.person);
  title.Word("à");
  title.Word(f.place);
  title.Punct(':');
  Title(title, rng, lex, f, rng.Between(4, 8), /*lead=*/false);
  text.Date(f.date);
  text.Punct(',');
  text.Word("à");
  text.Word(f.place);
  text.Punct(',');
  text.Name(f.person);
  text.Word("a");
  text.Word(Pick(rng, kPastParticiples));
  Sentences(text, rng, lex, f, rng.Between(25, 90));
}

// ---------------------------------------------------------------------------
// Near-duplicate edits.

enum class Edit : uint8_t {
  kNone,
  kSubstitute,
  kInsert,
  kDelete,
  kPunctuation,
  kCase,
  kAccent,
  kTruncate,
  kRetitle,
  kMixed,
};
constexpr std::string_view kEditNames[] = {
    "none", "substitute", "insert",   "delete",  "punctuation",
    "case", "accent",     "truncate", "retitle", "mixed"};

// Per-token operations; kEllipsis marks the last word kept by a truncation.
enum Op : uint8_t {
  kKeep,
  kOpSubstitute,
  kOpInsert,
  kOpDelete,
  kOpPunctuation,
  kOpCase,
  kOpAccent,
  kOpEllipsis,
};

bool IsTrailingPunct(char c) {
  return c == '.' || c == ',' || c == ';' || c == ':' || c == '!' || c == '?';
}

std::string_view StripTrailingPunct(std::string_view w) {
  while (!w.empty() && IsTrailingPunct(w.back())) w.remove_suffix(1);
  return w;
}

// The ASCII letter under a Latin-1 accented letter (second UTF-8 byte after
// C3), or 0.
char Unaccented(unsigned char b) {
  const bool upper = b < 0xA0;
  const unsigned char c = upper ? b + 0x20 : b;
  char base = 0;
  if (c >= 0xA0 && c <= 0xA5) base = 'a';
  if (c == 0xA7) base = 'c';
  if (c >= 0xA8 && c <= 0xAB) base = 'e';
  if (c >= 0xAC && c <= 0xAF) base = 'i';
  if (c >= 0xB2 && c <= 0xB6) base = 'o';
  if (c >= 0xB9 && c <= 0xBC) base = 'u';
  if (base != 0 && upper) base = static_cast<char>(base - 'a' + 'A');
  return base;
}

void AppendToggledCase(std::string* out, std::string_view w) {
  const size_t at = out->size();
  out->append(w);
  char& c = (*out)[at];
  if (IsAsciiLetter(c)) {
    c = static_cast<char>(c ^ 0x20);
  } else if (IsLatinLetterLead(w, 0)) {
    (*out)[at + 1] = static_cast<char>((*out)[at + 1] ^ 0x20);
  }
}

// Drops the first accent of `w`, or accents its first 'e' when it has none.
void AppendToggledAccent(std::string* out, std::string_view w) {
  for (size_t i = 0; i + 1 < w.size(); ++i) {
    if (static_cast<unsigned char>(w[i]) != 0xC3) continue;
    const char base = Unaccented(static_cast<unsigned char>(w[i + 1]));
    if (base == 0) continue;
    out->append(w.substr(0, i));
    out->push_back(base);
    out->append(w.substr(i + 2));
    return;
  }
  const size_t e = w.find('e');
  if (e == std::string_view::npos) {  // Not eligible; kept as is.
    out->append(w);
    return;
  }
  out->append(w.substr(0, e));
  out->append("é");
  out->append(w.substr(e + 1));
}

// Word ops only touch plain words: no quotes, NBSP or lone punctuation.
bool IsPlainWord(std::string_view w) {
  return StartsWithLetter(w) && w.find('\xC2') == std::string_view::npos;
}

bool Eligible(Op op, std::string_view w) {
  switch (op) {
    case kOpInsert:
      return true;
    case kOpDelete:
      return IsPlainWord(w) && !IsTrailingPunct(w.back());
    case kOpPunctuation:
      return IsPlainWord(w) && (w.back() == ',' || !IsTrailingPunct(w.back()));
    case kOpAccent:
      return IsPlainWord(w) && (w.find('\xC3') != std::string_view::npos ||
                                w.find('e') != std::string_view::npos);
    default:
      return IsPlainWord(w);
  }
}

struct EditResult {
  Edit edit = Edit::kNone;
  int edits = 0;  // Words substituted, inserted, deleted, changed or cut.
  int words = 0;  // Words of the original title and text.
};

// Applies one random near-duplicate edit to a title and text. Holds scratch
// vectors so that steady-state editing does not allocate.
class Editor {
 public:
  EditResult Apply(Rng& rng, const Lexicon& lex, double max_edit,
                   std::string_view title, std::string_view text,
                   std::string* out_title, std::string* out_text) {
    tokens_.clear();
    Tokenize(title);
    const int nt = static_cast<int>(tokens_.size());
    Tokenize(text);
    const int n = static_cast<int>(tokens_.size());
    ops_.assign(n, kKeep);
    args_.resize(n);

    EditResult result;
    result.words = n;
    result.edit = static_cast<Edit>(rng.Between(1, 9));
    // f is uniform in (0, max_edit]; the budget never exceeds
    // floor(max_edit * n), so edits / words <= max_edit.
    const double f = (1.0 - rng.Unit()) * max_edit;
    int budget = static_cast<int>(f * n);
    if (budget == 0 && static_cast<int>(max_edit * n) >= 1) budget = 1;

    if (result.edit == Edit::kTruncate) {
      const int cut = std::min(budget, n - nt - 8);
      if (cut > 0) {
        for (int i = n - cut; i < n; ++i) ops_[i] = kOpDelete;
        ops_[n - cut - 1] = kOpEllipsis;
        result.edits = cut;
      }
    } else {
      int lo = nt;
      int hi = n;
      if (result.edit == Edit::kRetitle) {
        lo = 0;
        hi = nt;
        budget = std::min(budget, std::max(1, nt / 2));
      } else if (result.edit == Edit::kMixed) {
        lo = 0;
      }
      for (int attempt = 0; result.edits < budget && attempt < 8 * budget + 16;
           ++attempt) {
        const int i = lo + static_cast<int>(rng.Below(hi - lo));
        Op op = static_cast<Op>(static_cast<int>(result.edit));
        if (result.edit == Edit::kRetitle) {
          op = static_cast<Op>(rng.Between(kOpSubstitute, kOpDelete));
        } else if (result.edit == Edit::kMixed) {
          op = static_cast<Op>(rng.Between(kOpSubstitute, kOpAccent));
          if (op == kOpDelete && i < nt) op = kOpSubstitute;
        }
        if (ops_[i] != kKeep || !Eligible(op, tokens_[i].text)) continue;
        ops_[i] = op;
        if (op == kOpSubstitute || op == kOpInsert) args_[i] = lex.Word(rng);
        ++result.edits;
      }
    }
    out_title->clear();
    out_text->clear();
    Render(0, nt, out_title);
    Render(nt, n, out_text);
    return result;
  }

 private:
  struct Token {
    std::string_view text;
    bool paragraph;  // Starts a new paragraph ("\n\n" before it).
  };

  void Tokenize(std::string_view s) {
    bool paragraph = false;
    size_t start = 0;
    for (size_t i = 0; i <= s.size(); ++i) {
      if (i < s.size() && s[i] != ' ' && s[i] != '\n') continue;
      if (i > start) {
        tokens_.push_back({s.substr(start, i - start), paragraph});
        paragraph = false;
      }
      if (i < s.size() && s[i] == '\n') paragraph = true;
      start = i + 1;
    }
  }

  void Render(int lo, int hi, std::string* out) const {
    bool paragraph = false;
    for (int i = lo; i < hi; ++i) {
      const std::string_view w = tokens_[i].text;
      paragraph |= tokens_[i].paragraph;
      if (ops_[i] == kOpDelete) continue;
      if (!out->empty()) out->append(paragraph ? "\n\n" : " ");
      paragraph = false;
      switch (ops_[i]) {
        case kOpSubstitute: {
          const std::string_view core = StripTrailingPunct(w);
          const bool upper = (w[0] >= 'A' && w[0] <= 'Z') ||
                             (IsLatinLetterLead(w, 0) &&
                              static_cast<unsigned char>(w[1]) < 0xA0);
          if (upper) {
            AppendCapitalized(out, args_[i]);
          } else {
            out->append(args_[i]);
          }
          out->append(w.substr(core.size()));
          break;
        }
        case kOpInsert:
          out->append(w);
          out->push_back(' ');
          out->append(args_[i]);
          break;
        case kOpPunctuation:
          if (w.back() == ',') {
            out->append(w.substr(0, w.size() - 1));
          } else {
            out->append(w);
            out->push_back(',');
          }
          break;
        case kOpCase:
          AppendToggledCase(out, w);
          break;
        case kOpAccent:
          AppendToggledAccent(out, w);
          break;
        case kOpEllipsis:
          out->append(StripTrailingPunct(w));
          out->append(kEllipsis);
          break;
        default:
          out->append(w);
      }
    }
  }

  std::vector<Token> tokens_;
  std::vector<Op> ops_;
  std::vector<std::string_view> args_;  // Words to substitute or insert.
};

// ---------------------------------------------------------------------------
// Corpus plan: which stories exist, when each occurrence is published.

enum class Kind { kListing, kArticle };
enum class Format { kText, kJsonl, kBoth };

struct Config {
  uint64_t items = 0;
  uint64_t seed = 42;
  Kind kind = Kind::kListing;
  std::string out;
  int nights = 10;
  Format format = Format::kBoth;
  double exact_share = 0.2;
  double near_share = 0.2;
  double teaser_share = 0.05;
  double hard_negative_share = 0.1;
  double max_edit = 0.15;
};

enum class StoryKind : uint8_t { kOriginal, kHardNegative, kTeaser };

// Marks the plan entry of the article behind a teaser (--kind article).
constexpr uint32_t kArticleEntry = 1u << 31;

struct Plan {
  std::vector<StoryKind> kinds;     // By story.
  std::vector<uint32_t> templates;  // Hard negatives: family << 24 | number.
  std::vector<uint32_t> first_night;
  std::vector<uint32_t>
      night_begin;                // Entries of night k: [begin[k], begin[k+1]).
  std::vector<uint32_t> entries;  // Story index, | kArticleEntry.
  uint64_t exact = 0;
  uint64_t near = 0;
};

uint64_t Share(double share, uint64_t items) {
  return static_cast<uint64_t>(share * static_cast<double>(items) + 0.5);
}

absl::Status MakePlan(const Config& c, Plan* plan) {
  const uint64_t teasers = Share(c.teaser_share, c.items);
  const uint64_t hard = Share(c.hard_negative_share, c.items);
  plan->exact = Share(c.exact_share, c.items);
  plan->near = Share(c.near_share, c.items);
  // With --kind article the article behind each teaser is a corpus item too.
  const uint64_t taken = teasers * (c.kind == Kind::kArticle ? 2 : 1) + hard +
                         plan->exact + plan->near;
  if (taken > c.items) {
    return absl::InvalidArgumentError(
        "the shares add up to more than --items (with --kind article a teaser "
        "counts twice: the teaser and its article)");
  }
  const uint64_t originals = c.items - taken;
  const uint64_t stories = originals + hard + teasers;
  const uint64_t repeats = plan->exact + plan->near;
  if (repeats > 0 && originals + hard == 0) {
    return absl::InvalidArgumentError(
        "exact and near repeats need original or hard-negative stories");
  }
  if (stories >= kArticleEntry) {
    return absl::InvalidArgumentError("--items is too large");
  }
  const uint32_t s_count = static_cast<uint32_t>(stories);
  Rng rng(Mix(c.seed, 1));
  plan->kinds.assign(originals, StoryKind::kOriginal);
  plan->kinds.insert(plan->kinds.end(), hard, StoryKind::kHardNegative);
  plan->kinds.insert(plan->kinds.end(), teasers, StoryKind::kTeaser);
  for (uint32_t i = s_count; i > 1; --i) {
    std::swap(plan->kinds[i - 1], plan->kinds[rng.Below(i)]);
  }
  plan->templates.assign(stories, 0);
  uint32_t made[kFamilies] = {};
  for (uint32_t s = 0; s < s_count; ++s) {
    if (plan->kinds[s] != StoryKind::kHardNegative) continue;
    const uint32_t family = rng.Below(kFamilies);
    plan->templates[s] = family << 24 | (made[family]++ & 0xFFFFFF);
  }
  std::vector<uint16_t> extra(stories, 0);
  for (uint64_t r = 0; r < repeats; ++r) {
    uint32_t s;
    do {
      s = rng.Below(s_count);
    } while (plan->kinds[s] == StoryKind::kTeaser || extra[s] == UINT16_MAX);
    ++extra[s];
  }
  // Stories are born evenly over the nights and recur on the following
  // nights, now and then skipping one; the last night takes the overflow.
  const uint32_t last = static_cast<uint32_t>(c.nights - 1);
  std::vector<std::pair<uint32_t, uint32_t>> occurrences;  // (night, entry)
  occurrences.reserve(c.items);
  plan->first_night.resize(stories);
  for (uint32_t s = 0; s < s_count; ++s) {
    uint32_t night = static_cast<uint32_t>(uint64_t{s} * c.nights / stories);
    plan->first_night[s] = night;
    occurrences.emplace_back(night, s);
    if (plan->kinds[s] == StoryKind::kTeaser && c.kind == Kind::kArticle) {
      occurrences.emplace_back(night, s | kArticleEntry);
    }
    for (int j = 0; j < extra[s]; ++j) {
      night = std::min(last, night + 1 + (rng.Chance(0.1) ? 1 : 0));
      occurrences.emplace_back(night, s);
    }
  }
  plan->night_begin.assign(c.nights + 1, 0);
  for (const auto& [night, entry] : occurrences) ++plan->night_begin[night + 1];
  for (int k = 0; k < c.nights; ++k) {
    plan->night_begin[k + 1] += plan->night_begin[k];
  }
  plan->entries.resize(occurrences.size());
  std::vector<uint32_t> fill(plan->night_begin.begin(),
                             plan->night_begin.end() - 1);
  for (const auto& [night, entry] : occurrences) {
    plan->entries[fill[night]++] = entry;
  }
  // A listing page mixes new and continuing stories.
  for (int k = 0; k < c.nights; ++k) {
    uint32_t* begin = plan->entries.data() + plan->night_begin[k];
    for (uint32_t i = plan->night_begin[k + 1] - plan->night_begin[k]; i > 1;
         --i) {
      std::swap(begin[i - 1], begin[rng.Below(i)]);
    }
  }
  return absl::OkStatus();
}

// ---------------------------------------------------------------------------
// Story texts.

struct StoryText {
  std::string title;
  std::string lede;
  std::string body;  // Empty for listing-size items.
};

constexpr std::string_view kSections[] = {"monde",   "politique", "economie",
                                          "societe", "culture",   "sciences"};
constexpr std::string_view kFamilySections[] = {
    "en-direct", "sport", "meteo", "dessin-du-jour", "international"};

class StoryWriter {
 public:
  StoryWriter(const Config& c, const Plan& plan, const Lexicon& lex)
      : c_(c), plan_(plan), lex_(lex) {}

  // Regenerates story `s` from its own random stream.
  void Write(uint32_t s, StoryText* t) const {
    t->title.clear();
    t->lede.clear();
    t->body.clear();
    Rng rng(Mix(c_.seed, uint64_t{s} << 8 | 2));
    const Facts f = MakeFacts(rng, lex_, kFirstNight + plan_.first_night[s]);
    Prose title(&t->title, f.nbsp);
    Prose lede(&t->lede, f.nbsp);
    Prose body(&t->body, f.nbsp);
    const bool article =
        plan_.kinds[s] == StoryKind::kTeaser || c_.kind == Kind::kArticle;
    if (plan_.kinds[s] != StoryKind::kHardNegative) {
      Title(title, rng, lex_, f, rng.Between(6, 14));
      Lede(lede, rng, lex_, f, rng.Between(30, 120));
      if (article) Body(body, rng, lex_, f, rng.Between(400, 1200));
      return;
    }
    const uint32_t n = plan_.templates[s] & 0xFFFFFF;
    switch (static_cast<Family>(plan_.templates[s] >> 24)) {
      case Family::kLiveBlog:
        LiveBlog(title, lede, rng, lex_, f, n);
        break;
      case Family::kResults:
        Results(title, lede, rng, n, article ? rng.Between(18, 36) : 9);
        return;
      case Family::kWeather:
        Weather(title, lede, rng, n, article ? rng.Between(10, 30) : 4);
        return;
      case Family::kCartoon:
        Cartoon(title, lede, n);
        return;
      case Family::kEventReport:
        EventReport(title, lede, rng, lex_, f, n);
        break;
    }
    if (article) Body(body, rng, lex_, f, rng.Between(400, 1200));
  }

  // The canonical URL of story `s`, or nothing (about one story in five).
  void Url(uint32_t s, std::string_view title, std::string* out) const {
    const uint64_t bits = Mix(c_.seed, uint64_t{s} << 8 | 3);
    if (bits % 10 < 2) return;
    out->append("https://www.exemple-actu.fr/");
    if (plan_.kinds[s] == StoryKind::kHardNegative) {
      out->append(kFamilySections[plan_.templates[s] >> 24]);
    } else {
      out->append(kSections[(bits >> 8) % std::size(kSections)]);
    }
    out->push_back('/');
    AppendSlug(title, out);
    AppendUint(out, s + 1, 7);
    out->append(".html");
  }

  // Publication time: the story's first night, at some hour of the morning.
  void Published(uint32_t s, std::string* out) const {
    const uint64_t bits = Mix(c_.seed, uint64_t{s} << 8 | 4);
    AppendIsoDate(out, kFirstNight + plan_.first_night[s]);
    out->push_back('T');
    AppendUint(out, 5 + bits % 14, 2);
    out->push_back(':');
    AppendUint(out, (bits >> 8) % 60, 2);
    out->append(":00Z");
  }

 private:
  // Lower-case ASCII words of the title joined by '-', with a final '-'.
  static void AppendSlug(std::string_view title, std::string* out) {
    const size_t start = out->size();
    bool dash = true;  // No leading dash.
    for (size_t i = 0; i < title.size() && out->size() - start < 60; ++i) {
      const unsigned char b = static_cast<unsigned char>(title[i]);
      char c = 0;
      if (IsAsciiLetter(title[i])) {
        c = static_cast<char>(title[i] | 0x20);
      } else if (b >= '0' && b <= '9') {
        c = title[i];
      } else if (b == 0xC3 && i + 1 < title.size()) {
        c = Unaccented(static_cast<unsigned char>(title[++i]));
        if (c != 0) c |= 0x20;
      } else if (b >= 0x80 && b < 0xC0) {
        continue;  // Continuation byte of a separator character.
      }
      if (c != 0) {
        out->push_back(c);
        dash = false;
      } else if (!dash) {
        out->push_back('-');
        dash = true;
      }
    }
    if (!dash) out->push_back('-');
  }

  const Config& c_;
  const Plan& plan_;
  const Lexicon& lex_;
};

// ---------------------------------------------------------------------------
// Output.

// An output file written in large blocks from an in-memory buffer.
class OutFile {
 public:
  OutFile() = default;
  OutFile(const OutFile&) = delete;
  OutFile& operator=(const OutFile&) = delete;
  ~OutFile() {
    if (file_ != nullptr) std::fclose(file_);
  }

  absl::Status Open(const std::filesystem::path& path) {
    path_ = path.string();
    bytes_ = 0;
    file_ = std::fopen(path_.c_str(), "wb");
    if (file_ == nullptr) {
      return absl::InternalError(absl::StrCat("cannot create ", path_));
    }
    buffer_.reserve(kFlushBytes + (1 << 16));
    return absl::OkStatus();
  }
  bool is_open() const { return file_ != nullptr; }
  std::string* buffer() { return &buffer_; }
  uint64_t bytes() const { return bytes_; }

  // Writes the buffer out once it is large (always, with `force`).
  absl::Status Flush(bool force = false) {
    if (buffer_.size() < kFlushBytes && !force) return absl::OkStatus();
    if (std::fwrite(buffer_.data(), 1, buffer_.size(), file_) !=
        buffer_.size()) {
      return absl::InternalError(absl::StrCat("cannot write ", path_));
    }
    bytes_ += buffer_.size();
    buffer_.clear();
    return absl::OkStatus();
  }

  absl::Status Close() {
    absl::Status status = Flush(/*force=*/true);
    if (std::fclose(file_) != 0 && status.ok()) {
      status = absl::InternalError(absl::StrCat("cannot write ", path_));
    }
    file_ = nullptr;
    return status;
  }

 private:
  static constexpr size_t kFlushBytes = 4 << 20;

  std::string path_;
  std::FILE* file_ = nullptr;
  std::string buffer_;
  uint64_t bytes_ = 0;
};

constexpr std::string_view kTracking[] = {
    "?utm_source=newsletter&utm_medium=email&utm_campaign=matinale",
    "?xtor=RSS-3208", "?at_medium=social&at_campaign=twitter", "#xtor=CS1-10",
    "?utm_source=facebook&fbclid=IwAR0x7"};

// One corpus item as written to every output.
struct ItemRecord {
  char prefix = 'n';  // 'a' for the articles of a listing corpus.
  uint64_t number = 0;
  uint32_t story = 0;
  std::string_view type;
  EditResult edit;
  std::string_view title;
  std::string_view text;
  std::string_view url;
  std::string_view published;
  uint32_t night = 0;
};

class Generator {
 public:
  Generator(const Config& c, const Plan& plan, const Lexicon& lex)
      : c_(c), plan_(plan), lex_(lex), writer_(c, plan, lex) {}

  absl::Status Run();
  uint64_t items() const { return items_; }
  uint64_t articles() const { return articles_; }
  uint64_t bytes() const { return bytes_; }

 private:
  bool text() const { return c_.format != Format::kJsonl; }
  bool jsonl() const { return c_.format != Format::kText; }

  absl::Status Emit(const ItemRecord& item, bool article, OutFile* jsonl);
  absl::Status WritePage(const ItemRecord& item);
  absl::Status Close(OutFile* file) {
    if (!file->is_open()) return absl::OkStatus();
    absl::Status status = file->Close();
    bytes_ += file->bytes();
    return status;
  }

  const Config& c_;
  const Plan& plan_;
  const Lexicon& lex_;
  StoryWriter writer_;
  Editor editor_;
  OutFile corpus_, articles_file_, truth_, night_file_;
  bool orphan_pending_ = false;  // The night's first listing line has no title.
  std::filesystem::path pages_dir_;
  bool pages_dir_made_ = false;
  std::string line_, id_, page_;
  uint64_t items_ = 0;
  uint64_t articles_ = 0;
  uint64_t bytes_ = 0;
};

absl::Status Generator::Run() {
  const std::filesystem::path out(c_.out);
  absl::Status status;
  if (jsonl()) {
    status = corpus_.Open(out / "corpus.jsonl");
    if (status.ok() && c_.kind == Kind::kListing) {
      status = articles_file_.Open(out / "articles.jsonl");
    }
  }
  if (status.ok()) status = truth_.Open(out / "truth.jsonl");
  if (!status.ok()) return status;

  const uint32_t stories = static_cast<uint32_t>(plan_.kinds.size());
  std::vector<uint16_t> seen(stories, 0);
  std::vector<uint16_t> last_near(stories, 0);  // 0: never edited.
  Rng rng(Mix(c_.seed, 5));
  uint64_t near_left = plan_.near;
  uint64_t repeats_left = plan_.exact + plan_.near;
  StoryText story;
  std::string title, full_text, edited_text, url, published;
  uint64_t next_article = 1;

  for (int k = 0; k < c_.nights; ++k) {
    if (text()) {
      status = night_file_.Open(out / absl::StrFormat("night-%03d.txt", k));
      if (!status.ok()) return status;
      orphan_pending_ = Rng(Mix(c_.seed, uint64_t{6} << 32 | k)).Chance(0.25);
      pages_dir_ = out / "pages" / absl::StrFormat("night-%03d", k);
      pages_dir_made_ = false;
    }
    for (uint32_t e = plan_.night_begin[k]; e < plan_.night_begin[k + 1]; ++e) {
      const uint32_t s = plan_.entries[e] & ~kArticleEntry;
      writer_.Write(s, &story);
      full_text = story.lede;
      full_text += story.body;
      url.clear();
      writer_.Url(s, story.title, &url);
      published.clear();
      writer_.Published(s, &published);
      ItemRecord item;
      item.story = s;
      item.url = url;
      item.published = published;
      item.night = static_cast<uint32_t>(k);
      item.title = story.title;
      item.text = full_text;
      const StoryKind kind = plan_.kinds[s];
      if (plan_.entries[e] & kArticleEntry) {
        item.number = ++items_;
        item.type = "article";
        status = Emit(item, /*article=*/true, &corpus_);
        if (!status.ok()) return status;
        continue;
      }
      const uint16_t occurrence = seen[s]++;
      if (occurrence == 0) {
        item.number = ++items_;
        if (kind == StoryKind::kTeaser) {
          item.type = "teaser";
          item.text = story.lede;
          status = Emit(item, /*article=*/false, &corpus_);
          if (status.ok() && c_.kind == Kind::kListing) {
            ItemRecord article = item;
            article.prefix = 'a';
            article.number = next_article++;
            article.type = "article";
            article.text = full_text;
            ++articles_;
            status = Emit(article, /*article=*/true, &articles_file_);
          }
        } else {
          item.type =
              kind == StoryKind::kOriginal ? "original" : "hard_negative";
          status = Emit(item, c_.kind == Kind::kArticle, &corpus_);
        }
        if (!status.ok()) return status;
        continue;
      }
      // A repeat: a fresh edit of the original text, or the latest version
      // again (regenerated by replaying the edit that made it).
      const bool near = rng.Below(static_cast<uint32_t>(std::min<uint64_t>(
                            repeats_left, UINT32_MAX))) < near_left;
      --repeats_left;
      if (near) --near_left;
      const uint16_t version = near ? occurrence : last_near[s];
      if (version != 0) {
        Rng edit_rng(Mix(Mix(c_.seed, uint64_t{s} << 8 | 5), version));
        item.edit = editor_.Apply(edit_rng, lex_, c_.max_edit, story.title,
                                  full_text, &title, &edited_text);
        item.title = title;
        item.text = edited_text;
      }
      if (near) {
        last_near[s] = occurrence;
      } else {
        item.edit = EditResult();
      }
      item.type = near ? "near" : "exact";
      const uint64_t bits = Mix(Mix(c_.seed, uint64_t{s} << 8 | 6), occurrence);
      if (!url.empty() && bits % 2 == 0) {
        url += kTracking[(bits >> 8) % std::size(kTracking)];
        item.url = url;
      }
      item.number = ++items_;
      status = Emit(item, c_.kind == Kind::kArticle, &corpus_);
      if (!status.ok()) return status;
    }
    if (text()) {
      status = Close(&night_file_);
      if (!status.ok()) return status;
    }
  }
  status = Close(&corpus_);
  if (status.ok()) status = Close(&articles_file_);
  if (status.ok()) status = Close(&truth_);
  return status;
}

absl::Status Generator::Emit(const ItemRecord& item, bool article,
                             OutFile* jsonl) {
  id_.clear();
  id_.push_back(item.prefix);
  AppendUint(&id_, item.number, 7);
  const std::string_view edit = kEditNames[static_cast<int>(item.edit.edit)];
  if (jsonl->is_open()) {
    std::string& b = *jsonl->buffer();
    b.append("{\"id\":\"").append(id_).append("\",\"title\":");
    AppendJsonString(&b, item.title);
    b.append(",\"text\":");
    AppendJsonString(&b, item.text);
    if (!item.url.empty()) {
      b.append(",\"url\":");
      AppendJsonString(&b, item.url);
    }
    b.append(",\"published\":\"").append(item.published);
    b.append("\",\"label\":\"c");
    AppendUint(&b, item.story + 1, 7);
    b.append("\",\"edit\":\"").append(edit).append("\",\"night\":");
    AppendUint(&b, item.night);
    b.append("}\n");
    absl::Status status = jsonl->Flush();
    if (!status.ok()) return status;
  }
  std::string& t = *truth_.buffer();
  t.append("{\"id\":\"").append(id_).append("\",\"cluster\":\"c");
  AppendUint(&t, item.story + 1, 7);
  t.append("\",\"type\":\"").append(item.type);
  t.append("\",\"edit\":\"").append(edit).append("\",\"edit_fraction\":");
  // Truncated to six decimals, so that it never exceeds the true fraction.
  const uint64_t micros = item.edit.words == 0
                              ? 0
                              : uint64_t{1000000} *
                                    static_cast<uint64_t>(item.edit.edits) /
                                    static_cast<uint64_t>(item.edit.words);
  AppendUint(&t, micros / 1000000);
  t.push_back('.');
  AppendUint(&t, micros % 1000000, 6);
  t.append(",\"night\":");
  AppendUint(&t, item.night);
  t.append("}\n");
  absl::Status status = truth_.Flush();
  if (!status.ok() || !text()) return status;

  if (article) return WritePage(item);
  std::string& n = *night_file_.buffer();
  if (!orphan_pending_) n.append(item.title).push_back('\n');
  orphan_pending_ = false;
  n.append(item.text).push_back('\n');
  return night_file_.Flush();
}

absl::Status Generator::WritePage(const ItemRecord& item) {
  if (!pages_dir_made_) {
    std::error_code error;
    std::filesystem::create_directories(pages_dir_, error);
    if (error) {
      return absl::InternalError(absl::StrCat(
          "cannot create ", pages_dir_.string(), ": ", error.message()));
    }
    pages_dir_made_ = true;
  }
  page_.clear();
  page_.append(item.title).append("\n\n").append(item.text).push_back('\n');
  const std::string path = (pages_dir_ / (id_ + ".txt")).string();
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr) {
    return absl::InternalError(absl::StrCat("cannot create ", path));
  }
  const bool written =
      std::fwrite(page_.data(), 1, page_.size(), file) == page_.size();
  if (std::fclose(file) != 0 || !written) {
    return absl::InternalError(absl::StrCat("cannot write ", path));
  }
  bytes_ += page_.size();
  return absl::OkStatus();
}

// ---------------------------------------------------------------------------
// Command line.

constexpr char kUsage[] =
    "usage: corpus_generator --items N --out DIR [--seed S]\n"
    "         [--kind listing|article] [--nights K] [--format "
    "text|jsonl|both]\n"
    "         [--exact-share F] [--near-share F] [--teaser-share F]\n"
    "         [--hard-negative-share F] [--max-edit F]\n"
    "Writes a deterministic synthetic news corpus with ground truth to DIR\n"
    "(see benchmarks/README.md). Defaults: --seed 42 --kind listing\n"
    "--nights 10 --format both --exact-share 0.2 --near-share 0.2\n"
    "--teaser-share 0.05 --hard-negative-share 0.1 --max-edit 0.15\n";

absl::Status ParseShare(std::string_view flag, std::string_view value,
                        double* out) {
  if (!absl::SimpleAtod(absl::string_view(value.data(), value.size()), out) ||
      !(*out >= 0 && *out <= 1)) {
    return absl::InvalidArgumentError(
        absl::StrCat(std::string(flag), " wants a number in [0, 1], not '",
                     std::string(value), "'"));
  }
  return absl::OkStatus();
}

absl::Status ParseFlags(int argc, char** argv, Config* c) {
  for (int i = 1; i < argc; ++i) {
    std::string_view flag = argv[i];
    std::string_view value;
    if (const size_t eq = flag.find('='); eq != std::string_view::npos) {
      value = flag.substr(eq + 1);
      flag = flag.substr(0, eq);
    } else if (flag != "--help" && i + 1 < argc) {
      value = argv[++i];
    }
    const absl::string_view v(value.data(), value.size());
    absl::Status status;
    if (flag == "--help") {
      return absl::InvalidArgumentError("");
    } else if (flag == "--items") {
      if (!absl::SimpleAtoi(v, &c->items) || c->items == 0) {
        status = absl::InvalidArgumentError("--items wants a positive count");
      }
    } else if (flag == "--seed") {
      if (!absl::SimpleAtoi(v, &c->seed)) {
        status = absl::InvalidArgumentError("--seed wants an unsigned integer");
      }
    } else if (flag == "--nights") {
      if (!absl::SimpleAtoi(v, &c->nights) || c->nights < 1 ||
          c->nights > 100000) {
        status = absl::InvalidArgumentError("--nights wants 1 to 100000");
      }
    } else if (flag == "--kind") {
      if (value == "listing") {
        c->kind = Kind::kListing;
      } else if (value == "article") {
        c->kind = Kind::kArticle;
      } else {
        status = absl::InvalidArgumentError("--kind is listing or article");
      }
    } else if (flag == "--format") {
      if (value == "text") {
        c->format = Format::kText;
      } else if (value == "jsonl") {
        c->format = Format::kJsonl;
      } else if (value == "both") {
        c->format = Format::kBoth;
      } else {
        status = absl::InvalidArgumentError("--format is text, jsonl or both");
      }
    } else if (flag == "--out") {
      c->out = std::string(value);
    } else if (flag == "--exact-share") {
      status = ParseShare(flag, value, &c->exact_share);
    } else if (flag == "--near-share") {
      status = ParseShare(flag, value, &c->near_share);
    } else if (flag == "--teaser-share") {
      status = ParseShare(flag, value, &c->teaser_share);
    } else if (flag == "--hard-negative-share") {
      status = ParseShare(flag, value, &c->hard_negative_share);
    } else if (flag == "--max-edit") {
      status = ParseShare(flag, value, &c->max_edit);
    } else {
      status = absl::InvalidArgumentError(
          absl::StrCat("unknown flag '", std::string(flag), "'"));
    }
    if (!status.ok()) return status;
  }
  if (c->items == 0 || c->out.empty()) {
    return absl::InvalidArgumentError("--items and --out are required");
  }
  return absl::OkStatus();
}

int Main(int argc, char** argv) {
  const auto start = std::chrono::steady_clock::now();
  Config config;
  absl::Status status = ParseFlags(argc, argv, &config);
  if (!status.ok()) {
    if (!status.message().empty()) {
      absl::FPrintF(stderr, "corpus_generator: %s\n", status.message());
    }
    absl::FPrintF(stderr, "%s", kUsage);
    return 2;
  }
  Plan plan;
  status = MakePlan(config, &plan);
  if (!status.ok()) {
    absl::FPrintF(stderr, "corpus_generator: %s\n", status.message());
    return 2;
  }
  std::error_code error;
  std::filesystem::create_directories(config.out, error);
  if (error) {
    absl::FPrintF(stderr, "corpus_generator: cannot create %s: %s\n",
                  config.out, error.message());
    return 1;
  }
  const Lexicon lexicon;
  Generator generator(config, plan, lexicon);
  status = generator.Run();
  if (!status.ok()) {
    absl::FPrintF(stderr, "corpus_generator: %s\n", status.message());
    return 1;
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
          .count();
  absl::FPrintF(stderr,
                "corpus_generator: %d items (+%d articles) over %d nights, "
                "%.1f MB in %s, %.2f s\n",
                generator.items(), generator.articles(), config.nights,
                static_cast<double>(generator.bytes()) / 1e6, config.out,
                seconds);
  return 0;
}

}  // namespace
}  // namespace newsdedup

int main(int argc, char** argv) { return newsdedup::Main(argc, argv); }
