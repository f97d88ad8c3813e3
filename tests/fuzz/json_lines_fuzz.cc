// ParseDump forced to JSON Lines, seeded with JSONL files so that mutations
// stay close to objects with title, text, url and id fields; each parsed
// item's URL goes through CanonicalUrl as ingest does. Nothing may crash and
// every field must come out as valid UTF-8 (JSON strings may escape anything).

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "core/dump_parser.h"
#include "core/url.h"
#include "core/utf8.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace newsdedup;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  ParseOptions options;
  options.format = DumpFormat::kJsonl;
  absl::StatusOr<ParsedDump> dump = ParseDump(bytes, options);
  if (!dump.ok()) return 0;
  for (const Item& item : dump->items) {
    for (const std::string* field :
         {&item.title, &item.lede, &item.body, &item.url, &item.id}) {
      if (!IsValidUtf8(*field)) {
        std::fprintf(stderr, "invalid UTF-8 in a parsed JSONL field\n");
        std::abort();
      }
    }
    CanonicalUrl(item.url);
  }
  return 0;
}
