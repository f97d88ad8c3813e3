// What the interrupt line says about the inputs of a multi-file ingest,
// before, between and after its commits.

#include "tools/interrupt.h"

#include <pthread.h>
#include <signal.h>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace newsdedup {
namespace {

TEST(InterruptMessageTest, NamesTheFirstInputNotCommittedAlsoBetweenTwoCommits) {
  InstallInterruptHandler("ingest", /*writes=*/true);
  NoteInterruptPendingInputs({"a.txt", "b.txt", "c.txt"});
  EXPECT_EQ(InterruptMessage(SIGINT),
            "interrupted by SIGINT during a.txt: nothing was committed, the store is as it was");

  ASSERT_TRUE(Uninterrupted([] { return absl::OkStatus(); }, 4, "a.txt").ok());
  // Right after the commit, before the next input is even started.
  EXPECT_EQ(InterruptMessage(SIGINT),
            "interrupted by SIGINT: snapshot 4 (a.txt) was committed; "
            "nothing of b.txt nor of the 1 after it was");

  NoteInterruptInputDone();  // b.txt was already ingested: nothing to commit.
  EXPECT_EQ(InterruptMessage(SIGTERM),
            "interrupted by SIGTERM: snapshot 4 (a.txt) was committed; nothing of c.txt was");

  // A failed write commits nothing and leaves its input pending.
  EXPECT_FALSE(Uninterrupted([] { return absl::DataLossError("disk"); }, 5, "c.txt").ok());
  EXPECT_EQ(InterruptMessage(SIGINT),
            "interrupted by SIGINT: snapshot 4 (a.txt) was committed; nothing of c.txt was");

  ASSERT_TRUE(Uninterrupted([] { return absl::OkStatus(); }, 5, "c.txt").ok());
  EXPECT_EQ(InterruptMessage(SIGINT),
            "interrupted by SIGINT: snapshots 4 to 5 were committed (the last from c.txt)");

  // The handler blocked both signals in this thread; the commands that other
  // tests of this binary start would inherit that.
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_UNBLOCK, &set, nullptr);
}

}  // namespace
}  // namespace newsdedup
