#ifndef NEWSDEDUP_TOOLS_PROGRESS_H_
#define NEWSDEDUP_TOOLS_PROGRESS_H_

// A progress bar on stderr for long jobs: shown only when stderr is a
// terminal and the job has run for over a second, so that cron logs and
// quick commands stay clean.

#include <chrono>
#include <cstddef>
#include <string>

namespace newsdedup {

class Progress {
 public:
  // `unit` names what is counted ("files", "items"); "bytes" are shown in
  // MB, so that one large input shows its progress too, and with a total of
  // 0 (pipes) as the megabytes read so far.
  Progress(size_t total, std::string unit);
  ~Progress();  // Clears the bar.

  void Update(size_t done);
  // Erases the bar before other output; the next Update draws it again.
  void Clear();

 private:
  size_t total_;
  std::string unit_;
  bool enabled_;
  bool shown_ = false;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace newsdedup

#endif  // NEWSDEDUP_TOOLS_PROGRESS_H_
