#ifndef NEWSDEDUP_CORE_PARALLEL_FOR_H_
#define NEWSDEDUP_CORE_PARALLEL_FOR_H_

// Runs independent work on all cores: items are cut into one contiguous
// range per thread, so results written by index do not depend on the number
// of threads.

#include <algorithm>
#include <atomic>
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

// As ParallelFor, but the threads take ranges of `chunk` items in turn as
// they finish: for work whose cost grows along the range (later items of a
// dump have more earlier candidates), where equal ranges leave a core idle.
// fn may be called many times per worker.
template <typename Fn>
void ParallelForChunks(size_t n, int threads, size_t chunk, Fn&& fn) {
  chunk = std::max<size_t>(chunk, 1);
  const size_t chunks = (n + chunk - 1) / chunk;
  const size_t workers = std::min<size_t>(std::max(threads, 1), std::max<size_t>(chunks, 1));
  std::atomic<size_t> next{0};
  ParallelFor(workers, static_cast<int>(workers), [&](size_t, size_t, int worker) {
    for (size_t c = next++; c < chunks; c = next++) {
      fn(c * chunk, std::min(n, (c + 1) * chunk), worker);
    }
  });
}

}  // namespace newsdedup

#endif  // NEWSDEDUP_CORE_PARALLEL_FOR_H_
