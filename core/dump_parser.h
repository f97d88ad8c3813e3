#ifndef NEWSDEDUP_CORE_DUMP_PARSER_H_
#define NEWSDEDUP_CORE_DUMP_PARSER_H_

// Cuts the bytes of one dump into items. Pure: bytes in, items out.
//  - listing: a plain-text listing page, title lines each followed by their
//    lede line; the first line may be an orphan lede (an item without title).
//  - article: a plain-text article page; one item (title, lede = first
//    paragraph, body = the rest) with boilerplate removed: cookie-consent
//    blocks, photo captions, newsletter/subscription footers, share lines.
//  - jsonl: JSON Lines, one object per line with `title` and `text`, `body`
//    or `description`; optional `url`, `id`, `published`.
// Invalid UTF-8 is repaired and counted in a warning; CRLF, a BOM, trailing
// spaces and blank lines are handled.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "core/item.h"

namespace newsdedup {

enum class DumpFormat { kListing, kArticle, kJsonl };

// "listing", "article", "jsonl".
std::string_view DumpFormatName(DumpFormat format);
// Inverse of DumpFormatName; InvalidArgumentError for anything else.
absl::StatusOr<DumpFormat> ParseDumpFormatName(std::string_view name);

struct ParseOptions {
  // Detected from the content when absent.
  std::optional<DumpFormat> format;
  // Lines longer than this are cut (with a warning).
  size_t max_line_bytes = 1 << 20;
};

struct ParsedDump {
  DumpFormat format = DumpFormat::kListing;
  std::vector<Item> items;  // items[i].position == i.
  // Human-readable, one line each: repaired bytes, cut lines, skipped JSONL
  // lines, an empty dump...
  std::vector<std::string> warnings;
};

// Guesses the format of a dump from its first bytes and line shapes.
DumpFormat DetectDumpFormat(std::string_view bytes);

// InvalidArgumentError for binary input (NUL bytes) or JSON Lines where no
// line is a usable object. An empty dump is zero items and a warning.
absl::StatusOr<ParsedDump> ParseDump(std::string_view bytes,
                                     const ParseOptions& options = {});

}  // namespace newsdedup

#endif  // NEWSDEDUP_CORE_DUMP_PARSER_H_
