#include "tools/safe_text.h"

#include "absl/strings/str_format.h"
#include "core/utf8.h"

namespace newsdedup {

std::string TerminalSafe(std::string_view text, bool keep_newlines) {
  std::string valid;
  if (!IsValidUtf8(text)) {
    RepairUtf8(text, &valid);
    text = valid;
  }
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char byte = static_cast<unsigned char>(text[i]);
    const bool c1 = byte == 0xC2 && i + 1 < text.size() &&
                    static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
                    static_cast<unsigned char>(text[i + 1]) <= 0x9F;
    if (c1) {
      absl::StrAppendFormat(&out, "\\u%04X", static_cast<unsigned char>(text[++i]));
    } else if ((byte < 0x20 && byte != '\t' && !(keep_newlines && byte == '\n')) ||
               byte == 0x7F) {
      absl::StrAppendFormat(&out, "\\x%02X", byte);
    } else {
      out.push_back(static_cast<char>(byte));
    }
  }
  return out;
}

std::string DumpJson(const nlohmann::json& value) {
  const std::string text =
      value.dump(-1, ' ', /*ensure_ascii=*/false, nlohmann::json::error_handler_t::replace);
  // JSON escapes C0 controls but lets DEL and the C1 controls through raw;
  // they can only be inside strings, where their escapes mean the same.
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char byte = static_cast<unsigned char>(text[i]);
    if (byte == 0x7F) {
      out += "\\u007f";
    } else if (byte == 0xC2 && i + 1 < text.size() &&
               static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
               static_cast<unsigned char>(text[i + 1]) <= 0x9F) {
      absl::StrAppendFormat(&out, "\\u%04x", static_cast<unsigned char>(text[++i]));
    } else {
      out.push_back(static_cast<char>(byte));
    }
  }
  return out;
}

}  // namespace newsdedup
