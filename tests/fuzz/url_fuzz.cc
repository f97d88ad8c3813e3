// CanonicalUrl on arbitrary bytes: never crashes, and is idempotent, since
// stored canonical URLs are compared with the canonical form of new ones.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "core/url.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view url(reinterpret_cast<const char*>(data), size);
  const std::string canonical = newsdedup::CanonicalUrl(url);
  if (!canonical.empty() && newsdedup::CanonicalUrl(canonical) != canonical) {
    std::fprintf(stderr, "CanonicalUrl is not idempotent: %s -> %s\n",
                 std::string(url).c_str(), canonical.c_str());
    std::abort();
  }
  return 0;
}
