#include "diagnose/rule_test_util.h"

namespace ctxtrail::diagnose {
namespace {

using namespace ctxtrail::diagnose::testing;

// G12 waits on ctx.Done() in main.ignorer (main.go:19); main's cancel at main.go:38 wakes it at
// 20 ms and it blocks again in the same function, at main.go:20.
SyntheticTrace blocked_again_after_the_cancel() {
  SyntheticTrace t = base();
  spawn_waiter(t, 12, "main.ignorer", 19);
  t.unblock(20 * ms, 1, 12, t.cancel_stack("main.main", 38));
  t.start(21 * ms, 12);
  t.block(21 * ms + 5, 12, "chan receive", t.recv_stack("main.ignorer", 20));
  return t;
}

TEST(CancelIgnored, BlockedAgainInTheSameFunction) {
  SyntheticTrace t = blocked_again_after_the_cancel();
  t.tick(900 * ms);
  Report r = run(t);
  auto f = of_rule(r, "cancel-ignored");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0]->severity, Severity::Error);
  EXPECT_EQ(f[0]->goroutines, std::vector<GoID>{12});
  EXPECT_TRUE(has_loc(*f[0], role::kBlock, 20));
  EXPECT_TRUE(has_loc(*f[0], role::kBlock, 19));
  EXPECT_TRUE(has_loc(*f[0], role::kCancel, 38));
  EXPECT_TRUE(has_loc(*f[0], role::kCreation, 30));
  EXPECT_NE(f[0]->message.find("chan receive at main.go:20"), std::string::npos) << f[0]->message;
  EXPECT_EQ(f[0]->waves, std::vector<int32_t>{1});
  EXPECT_TRUE(of_rule(r, "leaked-goroutine").empty());  // reported once
  ASSERT_EQ(r.waves.size(), 1u);
  EXPECT_FALSE(r.waves[0].ended_within_ns.has_value());
}

// The goroutine blocks again where the cancel woke it and ends long after: its watcher record,
// frozen at its end, is read packed (model/watcher_table.h) and must say all it said before.
TEST(CancelIgnored, StillReportedFromAWatcherFrozenAtItsEnd) {
  SyntheticTrace t = blocked_again_after_the_cancel();
  t.unblock(800 * ms, 1, 12, t.stack({user("main.main", 45)}));
  t.start(801 * ms, 12);
  t.end(802 * ms, 12);
  t.tick(900 * ms);
  model::Model m = t.build();
  ASSERT_EQ(m.watchers.size(), 1u);
  EXPECT_EQ(m.watchers[0].ended_at, 802 * ms);
  EXPECT_EQ(m.watchers[0].reblocked_at, 21 * ms + 5);
  Report r = diagnose(m, t.classifier(), Options{});
  auto f = of_rule(r, "cancel-ignored");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0]->goroutines, std::vector<GoID>{12});
  EXPECT_TRUE(has_loc(*f[0], role::kBlock, 20));
}

TEST(CancelIgnored, KeptRunning) {
  SyntheticTrace t = base();
  spawn_waiter(t, 12, "main.spin", 19);
  t.unblock(20 * ms, 1, 12, t.cancel_stack());
  t.start(21 * ms, 12);
  t.preempt(40 * ms, 12, t.stack({user("main.busy", 7), user("main.spin", 22)}));
  t.start(41 * ms, 12);
  t.tick(900 * ms);
  Report r = run(t);
  auto f = of_rule(r, "cancel-ignored");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_TRUE(has_loc(*f[0], role::kRunning, 7)) << f[0]->message;
  EXPECT_NE(f[0]->message.find("kept running"), std::string::npos);
}

TEST(CancelIgnored, NotWhenThePerCallTimeoutWorkerMovedOn) {
  SyntheticTrace t = base();
  t.create(1 * ms, 1, 12, t.stack({user("main.main", 30)}), t.start_of("main.serve"));
  t.start(1 * ms, 12);
  t.block(2 * ms, 12, "select", t.select_stack("main.call", 50, "main.serve"));
  t.create(10 * ms, trace::kNoGoroutine, 40, 0,
           t.stack({rt("context.WithDeadlineCause.func2", "context/context.go", 652)}));
  t.start(10 * ms, 40);
  t.unblock(10 * ms + 1, 40, 12, t.timer_cancel_stack());
  t.end(10 * ms + 2, 40);
  t.start(10 * ms + 3, 12);
  t.block(10 * ms + 9, 12, "chan receive", t.recv_stack("main.serve", 70));  // next job
  t.tick(2000 * ms);
  Report r = run(t);
  EXPECT_TRUE(r.findings.empty()) << r.findings[0].message;
  ASSERT_EQ(r.waves.size(), 1u);
  EXPECT_TRUE(r.waves[0].timer);
}

TEST(CancelIgnored, NotWhenTheTraceEndsWithinGrace) {
  SyntheticTrace t = base();
  spawn_waiter(t, 12, "main.ignorer", 19);
  t.unblock(20 * ms, 1, 12, t.cancel_stack());
  t.start(21 * ms, 12);
  t.block(21 * ms + 5, 12, "chan receive", t.recv_stack("main.ignorer", 20));
  t.tick(100 * ms);
  EXPECT_TRUE(of_rule(run(t), "cancel-ignored").empty());
}

TEST(CancelIgnored, NotForALoopThatGoesOnServingOtherWork) {
  // A connection loop: the per-request context's cancel wakes it, it drops the request and
  // goes on receiving new requests from another goroutine, in the same function.
  SyntheticTrace t = base();
  spawn_waiter(t, 12, "main.connLoop", 19);
  t.unblock(20 * ms, 1, 12, t.cancel_stack("main.main", 38));
  t.start(21 * ms, 12);
  t.block(21 * ms + 5, 12, "select", t.select_stack("main.connLoop", 19));
  t.unblock(30 * ms, 1, 12, t.stack({rt("runtime.chansend1", "runtime/chan.go", 161), user("main.main", 44)}));
  t.start(31 * ms, 12);
  t.block(31 * ms + 5, 12, "select", t.select_stack("main.connLoop", 19));
  t.tick(900 * ms);
  EXPECT_TRUE(run(t).findings.empty());
}

TEST(CancelIgnored, NotForALoopWorkerBackAtItsJobReceive) {
  // for j := range jobs { ctx, cancel := WithTimeout(...); select { <-ctx.Done() ... } }:
  // the last job timed out, the worker went back to `range jobs` and the pool is idle.
  SyntheticTrace t = base();
  t.create(1 * ms, 1, 12, t.stack({user("main.main", 30)}), t.start_of("main.worker"));
  t.start(1 * ms, 12);
  StackID idle = t.recv_stack("main.worker", 20);
  t.block(1 * ms + 1, 12, "chan receive", idle);
  t.unblock(2 * ms, 1, 12, t.stack({rt("runtime.chansend1", "runtime/chan.go", 161), user("main.main", 40)}));
  t.start(2 * ms + 1, 12);
  t.block(2 * ms + 2, 12, "select", t.select_stack("main.worker", 23));
  t.create(10 * ms, trace::kNoGoroutine, 40, 0,
           t.stack({rt("context.WithDeadlineCause.func2", "context/context.go", 652)}));
  t.start(10 * ms, 40);
  t.unblock(10 * ms + 1, 40, 12, t.timer_cancel_stack());
  t.end(10 * ms + 2, 40);
  t.start(10 * ms + 3, 12);
  t.block(10 * ms + 9, 12, "chan receive", idle);
  t.tick(2000 * ms);
  EXPECT_TRUE(run(t).findings.empty());
}

// A server (G5, waiting on its context) that started a worker (G12) and handed it a job: the
// worker waits on the job's select (main.go:27); its idle wait for jobs is at main.go:24
// (answered).
StackID server_with_a_worker_at_a_job(SyntheticTrace& t) {
  spawn_waiter(t, 5, "main.serve", 41);
  t.create(2 * ms + 5, 5, 12, t.stack({user("main.serve", 36)}), t.start_of("main.worker"));
  t.start(2 * ms + 6, 12);
  const StackID idle = t.recv_stack("main.worker", 24);
  t.block(2 * ms + 7, 12, "chan receive", idle);
  t.unblock(3 * ms, 5, 12, t.stack({rt("runtime.chansend1", "runtime/chan.go", 161), user("main.serve", 45)}));
  t.start(3 * ms + 1, 12);
  t.block(3 * ms + 2, 12, "select", t.select_stack("main.worker", 27));
  return idle;
}

TEST(CancelIgnored, BackAtItsJobReceiveAfterItsServerReturnedOnTheCancel) {
  // The same worker, started by a server (G5) that feeds it jobs: the shutdown cancel wakes both;
  // the server returns without closing the queue, the worker waits on it forever.
  SyntheticTrace t = base();
  const StackID idle = server_with_a_worker_at_a_job(t);
  StackID shutdown = t.cancel_stack("main.main", 62);
  t.unblock(140 * ms, 1, 5, shutdown);
  t.unblock(140 * ms + 1, 1, 12, shutdown);
  t.start(140 * ms + 2, 5);
  t.end(140 * ms + 3, 5);
  t.start(140 * ms + 4, 12);
  t.block(140 * ms + 9, 12, "chan receive", idle);
  t.tick(1700 * ms);
  Report r = run(t);
  auto f = of_rule(r, "cancel-ignored");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0]->goroutines, std::vector<GoID>{12});
  EXPECT_TRUE(has_loc(*f[0], role::kBlock, 24));
  EXPECT_TRUE(has_loc(*f[0], role::kCreation, 36));
}

TEST(CancelIgnored, BackAtItsJobReceiveAfterItsServerReturnedJustBeforeTheWorkersWave) {
  // The same shutdown, but the cancel call is preempted between waking the server and waking
  // the worker (two waves of one call), and the server has returned before the worker's wave
  // begins: still the cancellation the server returned on (the scenario pool_shutdown_leak did
  // this on a loaded machine).
  SyntheticTrace t = base();
  const StackID idle = server_with_a_worker_at_a_job(t);
  StackID shutdown = t.cancel_stack("main.main", 62);
  t.unblock(140 * ms, 1, 5, shutdown);
  t.preempt(140 * ms + 1, 1, shutdown);
  t.start(140 * ms + 2, 5);
  t.end(140 * ms + 3, 5);
  t.start(140 * ms + 4, 1);
  t.unblock(140 * ms + 20, 1, 12, shutdown);
  t.start(140 * ms + 21, 12);
  t.block(140 * ms + 25, 12, "chan receive", idle);
  t.tick(1700 * ms);
  Report r = run(t);
  ASSERT_EQ(r.waves.size(), 2u);  // the preemption split the call's wakes
  auto f = of_rule(r, "cancel-ignored");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0]->goroutines, std::vector<GoID>{12});
  EXPECT_TRUE(has_loc(*f[0], role::kBlock, 24));
}

TEST(CancelIgnored, NotForPromptExitsHoweverLongTheyLived) {
  SyntheticTrace t = base();
  spawn_waiter(t, 12, "main.worker", 19);
  t.unblock(5000 * ms, 1, 12, t.cancel_stack());
  t.start(5000 * ms + 10, 12);
  t.end(5000 * ms + 20, 12);
  t.tick(9000 * ms);
  Report r = run(t);
  EXPECT_TRUE(r.findings.empty());
  ASSERT_EQ(r.waves.size(), 1u);
  EXPECT_EQ(r.waves[0].ended_within_ns, 20);
}

}  // namespace
}  // namespace ctxtrail::diagnose
