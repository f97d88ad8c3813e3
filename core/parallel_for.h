#ifndef NEWSDEDUP_CORE_PARALLEL_FOR_H_
#define NEWSDEDUP_CORE_PARALLEL_FOR_H_

// Runs independent work on all cores: items are cut into one contiguous
// range per thread, so results written by index do not depend on the number
// of threads.

#include <algorithm>
#include <cstddef>
#include <thread>
#include <vector>

namespace newsdedup {

// Threads to use for `requested` (<= 0: one per core).
inline int ResolveThreads(int requested) {
  if (requested > 0) return requested;
  return std::max(1u, std::thread::hardware_concurrency());
}

// Calls fn(begin, end, worker) for disjoint ranges covering [0, n), worker
// in [0, threads). Returns when all are done.
template <typename Fn>
void ParallelFor(size_t n, int threads, Fn&& fn) {
  const size_t workers = std::min<size_t>(std::max(threads, 1), std::max<size_t>(n, 1));
  if (workers <= 1) {
    fn(size_t{0}, n, 0);
    return;
  }
  std::vector<std::thread> pool;
  pool.reserve(workers);
  for (size_t w = 0; w < workers; ++w) {
    const size_t begin = n * w / workers;
    const size_t end = n * (w + 1) / workers;
    pool.emplace_back([&fn, begin, end, w] { fn(begin, end, static_cast<int>(w)); });
  }
  for (std::thread& t : pool) t.join();
}

}  // namespace newsdedup

#endif  // NEWSDEDUP_CORE_PARALLEL_FOR_H_
