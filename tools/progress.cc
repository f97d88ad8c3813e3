#include "tools/progress.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>

namespace newsdedup {

Progress::Progress(size_t total, std::string unit)
    : total_(total),
      unit_(std::move(unit)),
      enabled_(isatty(STDERR_FILENO) != 0),
      start_(std::chrono::steady_clock::now()) {}

Progress::~Progress() { Clear(); }

void Progress::Clear() {
  if (!shown_) return;
  std::fprintf(stderr, "\r\x1b[K");
  std::fflush(stderr);
  shown_ = false;
}

void Progress::Update(size_t done) {
  if (!enabled_ || (total_ == 0 && unit_ != "bytes")) return;
  if (std::chrono::steady_clock::now() - start_ < std::chrono::seconds(1)) return;
  constexpr int kWidth = 30;
  if (total_ == 0) {  // Bytes of pipes: no total to compare with.
    std::fprintf(stderr, "\r%.1f MB read", done / 1e6);
    std::fflush(stderr);
    shown_ = true;
    return;
  }
  done = std::min(done, total_);
  const int filled = static_cast<int>(kWidth * done / total_);
  if (unit_ == "bytes") {
    std::fprintf(stderr, "\r[%.*s%*s] %.1f/%.1f MB", filled, "##############################",
                 kWidth - filled, "", done / 1e6, total_ / 1e6);
  } else {
    std::fprintf(stderr, "\r[%.*s%*s] %zu/%zu %s", filled, "##############################",
                 kWidth - filled, "", done, total_, unit_.c_str());
  }
  std::fflush(stderr);
  shown_ = true;
}

}  // namespace newsdedup
