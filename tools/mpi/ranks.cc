#include "tools/mpi/ranks.h"

#include <mpi.h>
#include <sys/resource.h>

#include <algorithm>
#include <climits>
#include <utility>

#include "absl/strings/cord.h"

namespace newsdedup {
namespace {

// Bytes per destination and round: the buffers of one round stay addressable
// by int displacements whatever the number of ranks.
size_t RoundBytes(int ranks) {
  return std::min<size_t>(size_t{1} << 28, INT_MAX / static_cast<size_t>(std::max(ranks, 1)));
}

constexpr char kElsewherePayload[] = "newsdedup/reported-by-another-rank";

}  // namespace

template <typename Call>
void Ranks::Timed(const Call& call) const {
  const double start = MPI_Wtime();
  call();
  mpi_seconds_ += MPI_Wtime() - start;
}

bool ReportedElsewhere(const absl::Status& status) {
  return status.GetPayload(kElsewherePayload).has_value();
}

absl::Status Ranks::AgreeOnError(uint64_t key, const absl::Status& status) const {
  constexpr uint64_t kNoError = UINT64_MAX;
  const uint64_t first_key = Min(status.ok() ? kNoError : key);
  if (first_key == kNoError) return absl::OkStatus();
  const uint64_t reporter = Min(!status.ok() && key == first_key ? rank_ : size_);
  if (reporter == static_cast<uint64_t>(rank_)) return status;
  absl::Status elsewhere = absl::AbortedError("reported by another rank");
  elsewhere.SetPayload(kElsewherePayload, absl::Cord("1"));
  return elsewhere;
}

double CpuSeconds() {
  struct rusage usage;
  ::getrusage(RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 + usage.ru_stime.tv_sec +
         usage.ru_stime.tv_usec / 1e6;
}

uint64_t PeakRssBytes() {
  struct rusage usage;
  ::getrusage(RUSAGE_SELF, &usage);
  return static_cast<uint64_t>(usage.ru_maxrss) * 1024;
}

Ranks::Ranks() {
  MPI_Comm_rank(MPI_COMM_WORLD, &rank_);
  MPI_Comm_size(MPI_COMM_WORLD, &size_);
  MPI_Comm node;
  MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, rank_, MPI_INFO_NULL, &node);
  MPI_Comm_size(node, &ranks_on_node_);
  MPI_Comm_free(&node);
}

Received Ranks::Exchange(std::vector<std::string> outgoing) {
  const size_t ranks = static_cast<size_t>(size_);
  Received received;
  received.self_rank_ = rank_;
  received.self_ = std::move(outgoing[rank_]);
  outgoing[rank_].clear();
  std::vector<uint64_t> send_sizes(ranks), receive_sizes(ranks);
  for (size_t r = 0; r < ranks; ++r) {
    send_sizes[r] = outgoing[r].size();
    if (!phases_.empty()) phases_.back().bytes_sent += outgoing[r].size();
  }
  Timed([&] {
    MPI_Alltoall(send_sizes.data(), 1, MPI_UINT64_T, receive_sizes.data(), 1, MPI_UINT64_T,
                 MPI_COMM_WORLD);
  });
  received.offsets_.assign(ranks + 1, 0);
  for (size_t r = 0; r < ranks; ++r) {
    received.offsets_[r + 1] = received.offsets_[r] + receive_sizes[r];
  }
  received.bytes_.resize(received.offsets_.back());
  const size_t round_bytes = RoundBytes(size_);
  uint64_t largest = 0;
  for (size_t r = 0; r < ranks; ++r) largest = std::max({largest, send_sizes[r], receive_sizes[r]});
  const uint64_t rounds = (Max(largest) + round_bytes - 1) / round_bytes;
  std::string send_buffer;
  std::vector<int> send_counts(ranks), send_displs(ranks), receive_counts(ranks),
      receive_displs(ranks);
  std::vector<char> receive_buffer;
  for (uint64_t round = 0; round < rounds; ++round) {
    const uint64_t from = round * round_bytes;
    send_buffer.clear();
    int receive_total = 0;
    for (size_t r = 0; r < ranks; ++r) {
      const uint64_t send_from = std::min<uint64_t>(from, send_sizes[r]);
      const uint64_t send_to = std::min<uint64_t>(from + round_bytes, send_sizes[r]);
      send_displs[r] = static_cast<int>(send_buffer.size());
      send_counts[r] = static_cast<int>(send_to - send_from);
      send_buffer.append(outgoing[r], send_from, send_to - send_from);
      const uint64_t receive_from = std::min<uint64_t>(from, receive_sizes[r]);
      const uint64_t receive_to = std::min<uint64_t>(from + round_bytes, receive_sizes[r]);
      receive_displs[r] = receive_total;
      receive_counts[r] = static_cast<int>(receive_to - receive_from);
      receive_total += receive_counts[r];
    }
    if (round + 1 == rounds) std::vector<std::string>().swap(outgoing);
    // In one round, what arrives is laid out as Received keeps it.
    char* receive_into = received.bytes_.data();
    if (rounds > 1) {
      receive_buffer.resize(static_cast<size_t>(receive_total));
      receive_into = receive_buffer.data();
    }
    Timed([&] {
      MPI_Alltoallv(send_buffer.data(), send_counts.data(), send_displs.data(), MPI_BYTE,
                    receive_into, receive_counts.data(), receive_displs.data(), MPI_BYTE,
                    MPI_COMM_WORLD);
    });
    for (size_t r = 0; rounds > 1 && r < ranks; ++r) {
      std::copy_n(receive_buffer.data() + receive_displs[r], receive_counts[r],
                  received.bytes_.data() + received.offsets_[r] + from);
    }
  }
  return received;
}

uint64_t Ranks::Reduce(uint64_t value, Reduction reduction) const {
  const MPI_Op op = reduction == Reduction::kSum   ? MPI_SUM
                    : reduction == Reduction::kMax ? MPI_MAX
                                                   : MPI_MIN;
  uint64_t reduced = 0;
  Timed([&] { MPI_Allreduce(&value, &reduced, 1, MPI_UINT64_T, op, MPI_COMM_WORLD); });
  return reduced;
}

uint64_t Ranks::Sum(uint64_t value) const { return Reduce(value, Reduction::kSum); }
uint64_t Ranks::Max(uint64_t value) const { return Reduce(value, Reduction::kMax); }
uint64_t Ranks::Min(uint64_t value) const { return Reduce(value, Reduction::kMin); }

uint64_t Ranks::ExclusiveSum(uint64_t value) const {
  return ExclusiveSum(std::vector<uint64_t>{value})[0];
}

std::vector<uint64_t> Ranks::Sum(std::vector<uint64_t> values) const {
  std::vector<uint64_t> sums(values.size());
  Timed([&] {
    MPI_Allreduce(values.data(), sums.data(), static_cast<int>(values.size()), MPI_UINT64_T,
                  MPI_SUM, MPI_COMM_WORLD);
  });
  return sums;
}

std::vector<uint64_t> Ranks::ExclusiveSum(std::vector<uint64_t> values) const {
  std::vector<uint64_t> sums(values.size(), 0);
  Timed([&] {
    MPI_Exscan(values.data(), sums.data(), static_cast<int>(values.size()), MPI_UINT64_T, MPI_SUM,
               MPI_COMM_WORLD);
  });
  if (rank_ == 0) std::fill(sums.begin(), sums.end(), 0);  // Exscan leaves rank 0's undefined.
  return sums;
}

std::vector<uint64_t> Ranks::AllGather(uint64_t value) const {
  std::vector<uint64_t> values(static_cast<size_t>(size_));
  Timed([&] {
    MPI_Allgather(&value, 1, MPI_UINT64_T, values.data(), 1, MPI_UINT64_T, MPI_COMM_WORLD);
  });
  return values;
}

std::vector<std::string> Ranks::AllGather(std::string_view bytes) const {
  const std::vector<uint64_t> sizes = AllGather(static_cast<uint64_t>(bytes.size()));
  std::vector<int> counts(sizes.size()), displs(sizes.size());
  int total = 0;
  for (size_t r = 0; r < sizes.size(); ++r) {
    counts[r] = static_cast<int>(sizes[r]);
    displs[r] = total;
    total += counts[r];
  }
  std::string all(static_cast<size_t>(total), '\0');
  Timed([&] {
    MPI_Allgatherv(bytes.data(), static_cast<int>(bytes.size()), MPI_BYTE, all.data(),
                   counts.data(), displs.data(), MPI_BYTE, MPI_COMM_WORLD);
  });
  std::vector<std::string> by_rank;
  for (size_t r = 0; r < sizes.size(); ++r) by_rank.push_back(all.substr(displs[r], counts[r]));
  return by_rank;
}

void Ranks::WriteInOrder(const std::vector<int>& owners, const std::vector<std::string>& mine,
                         std::ostream& out) const {
  constexpr size_t kChunk = 64 << 20;
  if (rank_ != 0) {
    for (const std::string& bytes : mine) {
      uint64_t size = bytes.size();
      MPI_Send(&size, 1, MPI_UINT64_T, 0, 0, MPI_COMM_WORLD);
      for (size_t at = 0; at < bytes.size(); at += kChunk) {
        const size_t n = std::min(kChunk, bytes.size() - at);
        MPI_Send(bytes.data() + at, static_cast<int>(n), MPI_BYTE, 0, 0, MPI_COMM_WORLD);
      }
    }
    return;
  }
  size_t next_mine = 0;
  std::string chunk;
  for (int owner : owners) {
    if (owner == 0) {
      out << mine[next_mine++];
      continue;
    }
    uint64_t size = 0;
    MPI_Recv(&size, 1, MPI_UINT64_T, owner, 0, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
    for (uint64_t at = 0; at < size; at += kChunk) {
      chunk.resize(std::min<uint64_t>(kChunk, size - at));
      MPI_Recv(chunk.data(), static_cast<int>(chunk.size()), MPI_BYTE, owner, 0, MPI_COMM_WORLD,
               MPI_STATUS_IGNORE);
      out << chunk;
    }
  }
  out.flush();
}

void Ranks::StartPhase(std::string name) {
  EndPhase();
  phases_.push_back({std::move(name), 0, 0, 0, 0});
  phase_start_ = MPI_Wtime();
  phase_cpu_start_ = CpuSeconds();
  phase_mpi_start_ = mpi_seconds_;
  in_phase_ = true;
}

void Ranks::EndPhase() {
  if (!in_phase_) return;
  phases_.back().seconds = MPI_Wtime() - phase_start_;
  phases_.back().cpu_seconds = CpuSeconds() - phase_cpu_start_;
  phases_.back().mpi_seconds = mpi_seconds_ - phase_mpi_start_;
  in_phase_ = false;
}

const std::vector<PhaseCost>& Ranks::Phases() {
  EndPhase();
  return phases_;
}

void PutString(std::string_view s, std::string* out) {
  Put(static_cast<uint32_t>(s.size()), out);
  out->append(s);
}

bool TakeString(std::string_view* in, std::string* s) {
  uint32_t size = 0;
  if (!Take(in, &size) || in->size() < size) return false;
  s->assign(in->data(), size);
  in->remove_prefix(size);
  return true;
}

}  // namespace newsdedup
