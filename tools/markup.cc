#include "tools/markup.h"

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_format.h"

namespace newsdedup {
namespace {

constexpr char kReplacement[] = "\xEF\xBF\xBD";  // U+FFFD.

std::string EscapeForDiff(std::string_view text) { return EscapeHtml(text); }

}  // namespace

std::string EscapeHtml(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    switch (c) {
      case '&':
        out += "&amp;";
        continue;
      case '<':
        out += "&lt;";
        continue;
      case '>':
        out += "&gt;";
        continue;
      case '"':
        out += "&quot;";
        continue;
      case '\'':
        out += "&#39;";
        continue;
      case '\t':
      case '\n':
      case '\r':
        out += static_cast<char>(c);
        continue;
      default:
        break;
    }
    if (c < 0x20 || c == 0x7F) {
      out += kReplacement;
      continue;
    }
    // U+FFFE and U+FFFF are EF BF BE and EF BF BF.
    if (c == 0xEF && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0xBF &&
        (static_cast<unsigned char>(text[i + 2]) & 0xFE) == 0xBE) {
      out += kReplacement;
      i += 2;
      continue;
    }
    out += static_cast<char>(c);
  }
  return out;
}

std::string HtmlDiff(const std::vector<DiffChunk>& chunks, size_t max_equal_bytes,
                     size_t max_change_bytes) {
  DiffStyle style;
  style.delete_open = "<del>";
  style.delete_close = "</del>";
  style.insert_open = "<ins>";
  style.insert_close = "</ins>";
  style.max_equal_bytes = max_equal_bytes;
  style.max_change_bytes = max_change_bytes;
  style.escape = EscapeForDiff;
  return RenderDiff(chunks, style);
}

std::string EscapeUrlComponent(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (absl::ascii_isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += c;
    } else {
      absl::StrAppendFormat(&out, "%%%02X", static_cast<unsigned char>(c));
    }
  }
  return out;
}

bool IsWebUrl(std::string_view url) {
  const absl::string_view view(url.data(), url.size());
  return (absl::StartsWithIgnoreCase(view, "http://") ||
          absl::StartsWithIgnoreCase(view, "https://")) &&
         view.find_first_of(" \t\r\n\"'<>") == absl::string_view::npos;
}

}  // namespace newsdedup
