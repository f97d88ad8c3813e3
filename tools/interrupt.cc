#include "tools/interrupt.h"

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"

namespace newsdedup {
namespace {

struct InterruptState {
  // Held during every store write, and taken for good by the watcher before
  // it exits: a write is either done or never started.
  std::mutex write_mutex;
  std::mutex note_mutex;  // Guards what follows.
  std::string command;
  bool writes = false;
  std::vector<uint64_t> committed_ids;
  std::string last_committed;
  std::vector<std::string> pending;  // Inputs not yet done, in order.
};

// Never destroyed: the watcher may use it while main returns.
InterruptState& State() {
  static InterruptState* state = new InterruptState;
  return *state;
}

// The first pending input is done. REQUIRES: note_mutex held.
void DropFirstPending() {
  std::vector<std::string>& pending = State().pending;
  if (!pending.empty()) pending.erase(pending.begin());
}

sigset_t InterruptSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  return set;
}

[[noreturn]] void Watch() {
  const sigset_t set = InterruptSignals();
  int signal = 0;
  while (sigwait(&set, &signal) != 0) {
  }
  State().write_mutex.lock();  // Kept: nothing is written after this line.
  const std::string line =
      absl::StrCat("newsdedup ", State().command, ": ", InterruptMessage(signal), "\n");
  // write(2), not stdio: the main thread may hold stderr's lock mid-line.
  ssize_t ignored = write(STDERR_FILENO, line.data(), line.size());
  (void)ignored;
  // As a killed process would, without running destructors that may wait on
  // threads the interrupted work still runs; a committed snapshot is already
  // durable.
  _exit(128 + signal);
}

}  // namespace

void InstallInterruptHandler(const std::string& command, bool writes) {
  State().command = command;
  State().writes = writes;
  const sigset_t set = InterruptSignals();
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  std::thread(Watch).detach();
}

void NoteInterruptPending(const std::string& what) {
  NoteInterruptPendingInputs(what.empty() ? std::vector<std::string>()
                                          : std::vector<std::string>{what});
}

void NoteInterruptPendingInputs(std::vector<std::string> inputs) {
  std::lock_guard<std::mutex> lock(State().note_mutex);
  State().pending = std::move(inputs);
}

void NoteInterruptInputDone() {
  std::lock_guard<std::mutex> lock(State().note_mutex);
  DropFirstPending();
}

absl::Status Uninterrupted(const std::function<absl::Status()>& write, uint64_t snapshot_id,
                           const std::string& file) {
  std::lock_guard<std::mutex> write_lock(State().write_mutex);
  absl::Status status = write();
  if (status.ok()) {
    std::lock_guard<std::mutex> lock(State().note_mutex);
    State().committed_ids.push_back(snapshot_id);
    State().last_committed = file;
    DropFirstPending();
  }
  return status;
}

std::string InterruptMessage(int signal) {
  std::lock_guard<std::mutex> lock(State().note_mutex);
  const InterruptState& state = State();
  std::string out =
      absl::StrCat("interrupted by ", signal == SIGINT ? "SIGINT" : "SIGTERM");
  if (!state.writes) return out;
  const std::vector<uint64_t>& ids = state.committed_ids;
  if (ids.empty()) {
    absl::StrAppend(&out, state.pending.empty() ? "" : absl::StrCat(" during ", state.pending.front()),
                    ": nothing was committed, the store is as it was");
    return out;
  }
  if (ids.size() == 1) {
    absl::StrAppend(&out, ": snapshot ", ids.front(), " (", state.last_committed,
                    ") was committed");
  } else {
    absl::StrAppend(&out, ": snapshots ", ids.front(), " to ", ids.back(),
                    " were committed (the last from ", state.last_committed, ")");
  }
  if (!state.pending.empty()) {
    const size_t after = state.pending.size() - 1;
    absl::StrAppend(&out, "; nothing of ", state.pending.front(),
                    after == 0 ? "" : absl::StrCat(" nor of the ", after, " after it"), " was");
  }
  return out;
}

}  // namespace newsdedup
