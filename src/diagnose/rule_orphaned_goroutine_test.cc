#include "diagnose/rule_test_util.h"

namespace ctxtrail::diagnose {
namespace {

using namespace ctxtrail::diagnose::testing;

TEST(OrphanedGoroutine, HelperOutlivesItsCancelledCreator) {
  SyntheticTrace t = base();
  spawn_waiter(t, 10, "main.worker", 14);
  // The worker started a helper before blocking; the helper sleeps in a loop.
  t.create(2 * ms + 1, 10, 11, t.stack({user("main.worker", 12)}), t.start_of("main.worker.func1"));
  t.start(3 * ms, 11);
  t.block(3 * ms + 1, 11, "sleep", t.stack({rt("time.Sleep", "runtime/time.go", 363), user("main.worker.func1", 13)}));
  t.unblock(20 * ms, 1, 10, t.cancel_stack("main.main", 38));
  t.start(20 * ms + 1, 10);
  t.end(20 * ms + 2, 10);
  t.tick(1000 * ms);
  Report r = run(t);
  auto f = of_rule(r, "orphaned-goroutine");
  ASSERT_EQ(f.size(), 1u) << (r.findings.empty() ? "" : r.findings[0].rule);
  EXPECT_EQ(f[0]->goroutines, std::vector<GoID>{11});
  EXPECT_TRUE(has_loc(*f[0], role::kCreation, 12));
  EXPECT_TRUE(has_loc(*f[0], role::kCancel, 38));
  EXPECT_EQ(r.findings.size(), 1u);
}

TEST(OrphanedGoroutine, AHelperStillRunningSaysSoOnce) {
  SyntheticTrace t = base();
  spawn_waiter(t, 10, "main.worker", 14);
  t.create(2 * ms + 1, 10, 11, t.stack({user("main.worker", 12)}), t.start_of("main.worker.func1"));
  t.start(3 * ms, 11);
  t.unblock(20 * ms, 1, 10, t.cancel_stack("main.main", 38));
  t.start(20 * ms + 1, 10);
  t.end(20 * ms + 2, 10);
  t.preempt(900 * ms, 11, t.stack({user("main.worker.func1", 17)}));
  t.tick(1000 * ms);
  Report r = run(t);
  auto f = of_rule(r, "orphaned-goroutine");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_TRUE(has_loc(*f[0], role::kRunning, 17));
  EXPECT_NE(f[0]->message.find("later it is still Runnable"), std::string::npos) << f[0]->message;
  EXPECT_EQ(f[0]->message.find("still still"), std::string::npos) << f[0]->message;
}

TEST(OrphanedGoroutine, BlockedInALibraryReadIsBlockedAtTheCallersLine) {
  // The session's reader waits in conn.Read under bufio.Scanner: the block location is the
  // user's Scan line, not net's fd_posix.go.
  SyntheticTrace t = base();
  spawn_waiter(t, 10, "main.session", 34);
  t.create(2 * ms + 1, 10, 11, t.stack({user("main.session", 31)}), t.start_of("main.readReplies"));
  t.start(3 * ms, 11);
  t.block(3 * ms + 1, 11, "network",
          t.stack({rt("internal/poll.(*FD).Read", "internal/poll/fd_unix.go", 165),
                   rt("net.(*netFD).Read", "net/fd_posix.go", 68), rt("net.(*conn).Read", "net/net.go", 196),
                   rt("bufio.(*Scanner).Scan", "bufio/scan.go", 219), user("main.readReplies", 18)}));
  t.unblock(20 * ms, 1, 10, t.cancel_stack("main.main", 69));
  t.start(20 * ms + 1, 10);
  t.end(20 * ms + 2, 10);
  t.tick(1000 * ms);
  Report r = run(t);
  auto f = of_rule(r, "orphaned-goroutine");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_TRUE(has_loc(*f[0], role::kBlock, 18));
  EXPECT_FALSE(has_loc(*f[0], role::kBlock, 68));
  EXPECT_NE(f[0]->message.find("network at main.go:18 (main.readReplies)"), std::string::npos) << f[0]->message;
}

TEST(OrphanedGoroutine, NotWhenTheHelperWatchesTheContextToo) {
  SyntheticTrace t = base();
  spawn_waiter(t, 10, "main.worker", 14);
  t.create(2 * ms + 1, 10, 11, t.stack({user("main.worker", 12)}), t.start_of("main.worker.func1"));
  t.start(3 * ms, 11);
  t.block(3 * ms + 1, 11, "select", t.select_stack("main.worker.func1", 13));
  t.unblock(20 * ms, 1, 10, t.cancel_stack());
  t.unblock(20 * ms + 1, 1, 11, t.cancel_stack());
  t.start(20 * ms + 1, 10);
  t.end(20 * ms + 2, 10);
  t.start(20 * ms + 3, 11);
  t.end(20 * ms + 4, 11);
  t.tick(1000 * ms);
  EXPECT_TRUE(run(t).findings.empty());
}

// main.main calls gather, which starts workers at main.go:32 and collects their results in a
// select on a 100 ms deadline (main.go:42); the deadline wakes it and gather returns, main lives
// on. Workers still computing then send their result (main.go:23) to nobody.
Report gather_abandoned(bool late_send, bool still_in_gather = false) {
  SyntheticTrace t = base();
  StackID go_stmt = t.stack({user("main.gather", 32), user("main.main", 53)});
  StackID lookup = t.stack({rt("time.Sleep", "runtime/time.go", 363), user("main.lookup", 17), user("main.worker", 23)});
  StackID send = t.stack({rt("runtime.chansend1", "runtime/chan.go", 161), user("main.worker", 23)});
  t.create(1 * ms, 1, 10, go_stmt, t.start_of("main.worker"));
  t.start(1 * ms + 1, 10);
  t.block(1 * ms + 2, 10, "sleep", lookup);
  t.block(2 * ms, 1, "select", t.select_stack("main.gather", 42, "main.main"));
  t.create(10 * ms, trace::kNoGoroutine, 40, 0, t.stack({rt("context.WithDeadlineCause.func2", "context/context.go", 652)}));
  t.start(100 * ms, 40);
  t.unblock(100 * ms + 1, 40, 1, t.timer_cancel_stack());
  t.end(100 * ms + 2, 40);
  t.start(100 * ms + 3, 1);
  StackID after = still_in_gather ? t.recv_stack("main.gather", 46, "main.main")
                                   : t.stack({rt("time.Sleep", "runtime/time.go", 363), user("main.main", 55)});
  t.block(100 * ms + 9, 1, still_in_gather ? "chan receive" : "sleep", after);
  t.unblock(late_send ? 120 * ms : 50 * ms, 0, 10, t.stack({rt("runtime.goready", "runtime/proc.go", 400)}));
  t.start(late_send ? 120 * ms + 1 : 50 * ms + 1, 10);
  t.block(late_send ? 120 * ms + 2 : 50 * ms + 2, 10, "chan send", send);
  t.tick(700 * ms);
  return run(t);
}

TEST(OrphanedGoroutine, AWorkerSendingToACollectorFunctionThatReturnedOnItsDeadline) {
  for (bool late : {true, false}) {
    Report r = gather_abandoned(late);
    auto f = of_rule(r, "orphaned-goroutine");
    ASSERT_EQ(f.size(), 1u) << late;
    EXPECT_EQ(f[0]->goroutines, std::vector<GoID>{10});
    EXPECT_TRUE(has_loc(*f[0], role::kBlock, 23));
    EXPECT_TRUE(has_loc(*f[0], role::kCreation, 32));
    EXPECT_NE(f[0]->message.find("main.gather"), std::string::npos) << f[0]->message;
    EXPECT_EQ(r.findings.size(), 1u);
  }
}

// Woken by the deadline, gather waits on another channel of its own (it drains the results).
TEST(OrphanedGoroutine, NotWhileTheCollectorFunctionStillRuns) {
  Report r = gather_abandoned(true, true);
  EXPECT_TRUE(r.findings.empty()) << r.findings[0].rule << ": " << r.findings[0].message;
}

}  // namespace
}  // namespace ctxtrail::diagnose
