#ifndef NEWSDEDUP_CORE_JSON_LINES_H_
#define NEWSDEDUP_CORE_JSON_LINES_H_

// JSON Lines dumps: one object per line, read with simdjson (GB/s: JSON
// Lines corpora run to gigabytes). Fields read:
//  - `title`;
//  - the text: the first non-empty of `text`, `body`, `description`; its first
//    line is the item's lede, the rest its body;
//  - `url`, `id` (a string, or a number kept as its decimal text),
//    `published`.
// A line that is not an object, or carries neither a title nor a text, is
// skipped with a warning naming its line number (and the fields it has
// instead, as {"headline", "link"}). Blank lines are skipped silently. Other
// fields are counted, for one warning per dump (UnreadFieldsWarning). Pure:
// bytes in, items out.

#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/item.h"

namespace newsdedup {

struct JsonLinesResult {
  std::vector<Item> items;  // items[i].position == first_position + i.
  // Where each item's line lies in the bytes parsed: (offset, length).
  std::vector<std::pair<size_t, size_t>> line_spans;
  std::vector<std::string> warnings;
  int cut_lines = 0;        // Lines longer than max_line_bytes, cut.
  int first_cut_line = 0;
  // Fields newsdedup does not read, with the number of lines carrying each.
  std::map<std::string, int> unread_fields;
};

// "fields not read: headline (2 lines), link (2 lines); items are read from
// ...", or "" when every field was read. A feed naming its fields otherwise
// would lose its titles silently.
std::string UnreadFieldsWarning(const std::map<std::string, int>& unread_fields);

// Parses `bytes` (valid UTF-8: repair it first) whose first line is line
// `first_line` of the file, numbering items from `first_position`. Lines
// longer than `max_line_bytes` are cut (and then usually skipped as broken).
JsonLinesResult ParseJsonLines(std::string_view bytes, int first_line = 1,
                               size_t max_line_bytes = 1 << 20, int first_position = 0);

// ParseJsonLines with simdjson's buffers kept from one call to the next: for
// lines parsed one at a time (dups reads the lines of compared items
// again), where a parser per call was an allocation per line.
class JsonLinesParser {
 public:
  JsonLinesParser();
  ~JsonLinesParser();
  JsonLinesParser(const JsonLinesParser&) = delete;
  JsonLinesParser& operator=(const JsonLinesParser&) = delete;

  JsonLinesResult Parse(std::string_view bytes, int first_line = 1,
                        size_t max_line_bytes = 1 << 20, int first_position = 0);

 private:
  struct Buffers;
  std::unique_ptr<Buffers> buffers_;
};

// True when `line` is one well-formed JSON object (format detection).
bool IsJsonObjectLine(std::string_view line);

}  // namespace newsdedup

#endif  // NEWSDEDUP_CORE_JSON_LINES_H_
