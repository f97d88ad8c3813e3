#include "core/json_lines.h"

#include <cstring>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "simdjson.h"

namespace newsdedup {
namespace {

bool IsBlank(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

// Trims ASCII blanks and NBSP (U+00A0) on both sides, as the other parsers.
std::string_view Trim(std::string_view s) {
  for (;;) {
    if (!s.empty() && IsBlank(s.front())) {
      s.remove_prefix(1);
    } else if (s.size() >= 2 && s[0] == '\xC2' && s[1] == '\xA0') {
      s.remove_prefix(2);
    } else {
      break;
    }
  }
  for (;;) {
    if (!s.empty() && IsBlank(s.back())) {
      s.remove_suffix(1);
    } else if (s.size() >= 2 && s[s.size() - 2] == '\xC2' && s.back() == '\xA0') {
      s.remove_suffix(2);
    } else {
      break;
    }
  }
  return s;
}

// The fields of one object that make an item, and the names of the others.
struct Fields {
  std::string title, text, body, description, url, id, published;
  std::vector<std::string> unread;
};

// Reads a string, or (for ids) a number as its text; false for other types.
bool ReadScalar(simdjson::dom::element value, bool numbers_too, std::string* out) {
  if (value.is_string()) {
    out->assign(std::string_view(value.get_string().value_unsafe()));
    return true;
  }
  if (!numbers_too) return false;
  if (value.is_int64()) {
    *out = std::to_string(value.get_int64().value_unsafe());
  } else if (value.is_uint64()) {
    *out = std::to_string(value.get_uint64().value_unsafe());
  } else if (value.is_double()) {
    *out = simdjson::to_string(value);
  } else {
    return false;
  }
  return true;
}

// False when the line is not one well-formed JSON object. The DOM parser
// picks the fastest kernel of this CPU at run time (On-Demand would take the
// one the compiler targets, the portable fallback for a Debian build) and
// validates the whole line, as a strict JSON parser does.
bool ReadObject(simdjson::dom::parser& parser, simdjson::padded_string_view line,
                Fields* fields) {
  simdjson::dom::element doc;
  if (parser.parse(line).get(doc)) return false;
  simdjson::dom::object object;
  if (doc.get_object().get(object)) return false;
  for (const simdjson::dom::key_value_pair field : object) {
    const std::string_view key = field.key;
    std::string* target = nullptr;
    if (key == "title") target = &fields->title;
    if (key == "text") target = &fields->text;
    if (key == "body") target = &fields->body;
    if (key == "description") target = &fields->description;
    if (key == "url") target = &fields->url;
    if (key == "published") target = &fields->published;
    if (key == "id") target = &fields->id;
    if (target == nullptr) fields->unread.emplace_back(key);
    const bool numbers_too = target == &fields->id;
    // A field of another type reads as absent, as a missing one.
    if (target != nullptr && !ReadScalar(field.value, numbers_too, target)) target->clear();
  }
  return true;
}

// `part` (a view into *field) as a string: *field itself, moved, when the
// part is all of it, as most fields are; else a copy of the part.
std::string TakeOrCopy(std::string* field, std::string_view part) {
  if (part.data() == field->data() && part.size() == field->size()) return std::move(*field);
  return std::string(part);
}

// The line's bytes with simdjson's padding after them, in a reused buffer.
class PaddedLine {
 public:
  simdjson::padded_string_view Of(std::string_view line) {
    if (buffer_.size() < line.size() + simdjson::SIMDJSON_PADDING) {
      buffer_.resize(line.size() + simdjson::SIMDJSON_PADDING);
    }
    std::memcpy(buffer_.data(), line.data(), line.size());
    return simdjson::padded_string_view(buffer_.data(), line.size(), buffer_.size());
  }

 private:
  std::string buffer_;
};

}  // namespace

std::string UnreadFieldsWarning(const std::map<std::string, int>& unread_fields) {
  if (unread_fields.empty()) return "";
  std::string fields;
  for (const auto& [field, count] : unread_fields) {
    absl::StrAppend(&fields, fields.empty() ? "" : ", ", field, " (", count,
                    count == 1 ? " line)" : " lines)");
  }
  return absl::StrCat("fields not read: ", fields,
                      "; items are read from title, text (or body, description), url, id, "
                      "published");
}

bool IsJsonObjectLine(std::string_view line) {
  line = Trim(line);
  if (line.empty() || line.front() != '{') return false;
  simdjson::dom::parser parser;
  PaddedLine padded;
  Fields fields;
  return ReadObject(parser, padded.Of(line), &fields);
}

struct JsonLinesParser::Buffers {
  simdjson::dom::parser parser;
  PaddedLine padded;
};

JsonLinesParser::JsonLinesParser() : buffers_(std::make_unique<Buffers>()) {}
JsonLinesParser::~JsonLinesParser() = default;

JsonLinesResult ParseJsonLines(std::string_view bytes, int first_line, size_t max_line_bytes,
                               int first_position) {
  return JsonLinesParser().Parse(bytes, first_line, max_line_bytes, first_position);
}

JsonLinesResult JsonLinesParser::Parse(std::string_view bytes, int first_line,
                                       size_t max_line_bytes, int first_position) {
  JsonLinesResult result;
  simdjson::dom::parser& parser = buffers_->parser;
  PaddedLine& padded = buffers_->padded;
  Fields fields;
  int number = first_line - 1;
  for (size_t start = 0; start < bytes.size();) {
    const void* newline = std::memchr(bytes.data() + start, '\n', bytes.size() - start);
    const size_t end =
        newline == nullptr ? bytes.size() : static_cast<const char*>(newline) - bytes.data();
    std::string_view raw = bytes.substr(start, end - start);
    start = end + 1;
    ++number;
    if (raw.size() > max_line_bytes) {
      size_t cut = max_line_bytes;
      while (cut > 0 && (static_cast<unsigned char>(raw[cut]) & 0xC0) == 0x80) --cut;
      raw = raw.substr(0, cut);
      if (result.cut_lines++ == 0) result.first_cut_line = number;
    }
    const size_t line_offset = static_cast<size_t>(raw.data() - bytes.data());
    const std::string_view line = Trim(raw);
    if (line.empty()) continue;
    fields = Fields();
    if (!ReadObject(parser, padded.Of(line), &fields)) {
      result.warnings.push_back(absl::StrCat("line ", number, ": not a JSON object, skipped"));
      continue;
    }
    std::string& text = !fields.text.empty()   ? fields.text
                        : !fields.body.empty() ? fields.body
                                               : fields.description;
    for (const std::string& field : fields.unread) ++result.unread_fields[field];
    if (fields.title.empty() && text.empty()) {
      result.warnings.push_back(absl::StrCat(
          "line ", number, ": no title and no text, body or description",
          fields.unread.empty() ? "" : absl::StrCat(" (only ", absl::StrJoin(fields.unread, ", "), ")"),
          ", skipped"));
      continue;
    }
    result.line_spans.emplace_back(line_offset, raw.size());
    Item& item = result.items.emplace_back();
    item.position = first_position + static_cast<int>(result.items.size()) - 1;
    item.title = TakeOrCopy(&fields.title, Trim(fields.title));
    const std::string_view trimmed = Trim(text);
    const size_t lede_end = trimmed.find('\n');
    if (lede_end != std::string_view::npos) {
      item.body = std::string(Trim(trimmed.substr(lede_end + 1)));
    }
    item.lede = TakeOrCopy(&text, Trim(trimmed.substr(0, lede_end)));
    item.url = std::move(fields.url);
    item.id = std::move(fields.id);
    item.published = std::move(fields.published);
  }
  return result;
}

}  // namespace newsdedup
