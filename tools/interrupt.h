#ifndef NEWSDEDUP_TOOLS_INTERRUPT_H_
#define NEWSDEDUP_TOOLS_INTERRUPT_H_

// Ctrl-C (SIGINT) and SIGTERM for the CLI. Both signals are blocked in every
// thread and taken by one watcher thread, which prints one line on stderr
// saying what the interrupted command kept, then exits 128 + the signal
// number (130, 143). Store writes run inside Uninterrupted(): an interrupt
// that arrives during one waits for it to end, so that the line can say
// whether the snapshot was committed ("snapshot 5 (b.txt) was committed;
// nothing of c.txt was") instead of guessing (ingest runs its commits
// through Ingester::SetCommitRunner).

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"

namespace newsdedup {

// Starts the watcher. `command` names the command in the message and
// `writes` says whether it may change a store (its message then says what
// was committed). REQUIRES: called once, before any other thread starts
// (threads inherit the blocked signals).
void InstallInterruptHandler(const std::string& command, bool writes);

// What an interrupt now would leave unfinished, e.g. the dump being
// read; "" when none.
void NoteInterruptPending(const std::string& what);

// The inputs the command commits from, in order: an interrupt names the
// first one not yet done ("nothing of c.txt was"), also between two of them.
void NoteInterruptPendingInputs(std::vector<std::string> inputs);

// The first pending input needs no commit (it was already ingested).
void NoteInterruptInputDone();

// Runs `write` (the commit of snapshot `snapshot_id` from `file`) with
// interrupts held off; an interrupt that arrives meanwhile takes effect as
// soon as it returns. When it returns OK, the message will say that this
// snapshot was committed, and the first pending input is done.
absl::Status Uninterrupted(const std::function<absl::Status()>& write, uint64_t snapshot_id,
                           const std::string& file);

// The message an interrupt by `signal` would print now, without the
// "newsdedup COMMAND: " prefix; for tests and the watcher.
std::string InterruptMessage(int signal);

}  // namespace newsdedup

#endif  // NEWSDEDUP_TOOLS_INTERRUPT_H_
