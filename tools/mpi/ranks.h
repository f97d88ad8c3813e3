#ifndef NEWSDEDUP_TOOLS_MPI_RANKS_H_
#define NEWSDEDUP_TOOLS_MPI_RANKS_H_

// The ranks of one MPI job and the few collective steps the MPI `dups` is
// made of: an all-to-all of byte buffers (MPI_Alltoallv, in rounds when a
// buffer passes what an int count can say), sums, prefix sums, and a
// broadcast of one rank's message. Counts, per phase, the bytes each rank
// sends to the others (what crosses the network; a rank's bytes to itself
// are copied, not counted) and the time spent. The only file besides main.cc
// that includes <mpi.h>.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"

namespace newsdedup {

// What one rank received from every rank in an Exchange.
class Received {
 public:
  std::string_view From(int rank) const {
    if (rank == self_rank_) return self_;
    return std::string_view(bytes_).substr(offsets_[rank], offsets_[rank + 1] - offsets_[rank]);
  }

 private:
  friend class Ranks;
  std::string bytes_;            // From the other ranks.
  std::vector<size_t> offsets_;  // Ranks + 1 entries.
  int self_rank_ = 0;
  std::string self_;  // What this rank sent itself, moved rather than copied.
};

// Bytes sent and seconds spent by one phase, on one rank.
struct PhaseCost {
  std::string name;
  uint64_t bytes_sent = 0;  // To other ranks.
  double seconds = 0;
  double cpu_seconds = 0;  // User + system, all threads of this rank.
  // Inside MPI calls: moving bytes, and waiting for slower ranks (OpenMPI
  // polls while it waits, so this time is CPU time too).
  double mpi_seconds = 0;
};

// User + system CPU seconds of this process (all its threads), and its
// peak resident set.
double CpuSeconds();
uint64_t PeakRssBytes();

class Ranks {
 public:
  // REQUIRES: MPI is initialized. Uses MPI_COMM_WORLD.
  Ranks();

  int rank() const { return rank_; }
  int size() const { return size_; }
  // Ranks on this rank's machine (MPI_COMM_TYPE_SHARED), for threads.
  int ranks_on_node() const { return ranks_on_node_; }

  // Sends outgoing[r] to rank r and returns what every rank sent here.
  // Collective. REQUIRES: outgoing.size() == size().
  Received Exchange(std::vector<std::string> outgoing);

  uint64_t Sum(uint64_t value) const;
  uint64_t Max(uint64_t value) const;
  uint64_t Min(uint64_t value) const;
  // The sum of `value` over the ranks before this one.
  uint64_t ExclusiveSum(uint64_t value) const;
  // Element-wise, over vectors of the same length on every rank.
  std::vector<uint64_t> Sum(std::vector<uint64_t> values) const;
  std::vector<uint64_t> ExclusiveSum(std::vector<uint64_t> values) const;
  // Every rank's value, by rank.
  std::vector<uint64_t> AllGather(uint64_t value) const;
  // Every rank's bytes, by rank (small messages).
  std::vector<std::string> AllGather(std::string_view bytes) const;

  // The error of the whole job, from every rank's (`key`, `status`): the
  // failed status of smallest key (the lowest rank's on a tie), returned on
  // the rank that had it; the others get a status ReportedElsewhere says is
  // reported there. Keys order errors as the single process meets them.
  // OkStatus when no rank failed. Collective.
  absl::Status AgreeOnError(uint64_t key, const absl::Status& status) const;

  // Rank 0 writes parts 0, 1... to `out` in order, part p coming from rank
  // owners[p]; `mine` holds this rank's parts, in order. One part at a time
  // is in flight. Collective.
  void WriteInOrder(const std::vector<int>& owners, const std::vector<std::string>& mine,
                    std::ostream& out) const;

  // Starts counting a phase; the previous one ends.
  void StartPhase(std::string name);
  // Ends the current phase; the list of all phases so far.
  const std::vector<PhaseCost>& Phases();

 private:
  void EndPhase();
  // Times one MPI call.
  template <typename Call>
  void Timed(const Call& call) const;
  enum class Reduction { kSum, kMax, kMin };
  // One value reduced over all ranks. Collective.
  uint64_t Reduce(uint64_t value, Reduction reduction) const;

  int rank_ = 0;
  int size_ = 1;
  int ranks_on_node_ = 1;
  std::vector<PhaseCost> phases_;
  double phase_start_ = 0;
  double phase_cpu_start_ = 0;
  double phase_mpi_start_ = 0;
  mutable double mpi_seconds_ = 0;  // In MPI calls so far.
  bool in_phase_ = false;
};

// True for a failure that another rank reports (AgreeOnError).
bool ReportedElsewhere(const absl::Status& status);

// Fixed-width little-endian fields in byte buffers (both ends are one build).
template <typename T>
void Put(const T& value, std::string* out) {
  out->append(reinterpret_cast<const char*>(&value), sizeof(value));
}

// Reads a T from the front of *in; false when it ends early.
template <typename T>
bool Take(std::string_view* in, T* value) {
  if (in->size() < sizeof(T)) return false;
  std::memcpy(value, in->data(), sizeof(T));
  in->remove_prefix(sizeof(T));
  return true;
}

void PutString(std::string_view s, std::string* out);
bool TakeString(std::string_view* in, std::string* s);

// Appends the Ts that `bytes` holds to *out. REQUIRES: T is trivially
// copyable and `bytes` holds whole Ts.
template <typename T>
void AppendAll(std::string_view bytes, std::vector<T>* out) {
  const size_t before = out->size();
  out->resize(before + bytes.size() / sizeof(T));
  std::memcpy(out->data() + before, bytes.data(), (out->size() - before) * sizeof(T));
}

}  // namespace newsdedup

#endif  // NEWSDEDUP_TOOLS_MPI_RANKS_H_
