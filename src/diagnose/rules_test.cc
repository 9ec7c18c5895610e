#include <gtest/gtest.h>

#include <set>

#include "ctxtrail/diagnose/rules.h"
#include "testing/synthetic_trace.h"

namespace ctxtrail::diagnose {
namespace {

using model::GoState;
using model::testing::rt;
using model::testing::SyntheticTrace;
using model::testing::user;
using trace::GoID;
using trace::StackID;
constexpr int64_t ms = 1'000'000;

Report run(SyntheticTrace& t, Options o = {}) {
  model::Model m = t.build();
  return diagnose(m, t.classifier(), o);
}

std::vector<const Finding*> of_rule(const Report& r, std::string_view rule) {
  std::vector<const Finding*> out;
  for (const Finding& f : r.findings)
    if (f.rule == rule) out.push_back(&f);
  return out;
}

bool has_loc(const Finding& f, std::string_view role, uint64_t line) {
  for (const Location& l : f.locations)
    if (l.role == role && l.where.line == line) return true;
  return false;
}

// main (g1) starts goroutines at main.go:30 that wait in `func` at `line` on ctx.Done().
void spawn_waiter(SyntheticTrace& t, GoID g, const std::string& func, uint64_t line, int64_t at = 2 * ms,
                  GoID creator = 1) {
  t.create(at, creator, g, t.stack({user(creator == 1 ? "main.main" : "main.spawner", 30)}), t.start_of(func));
  t.start(at + 1, g);
  t.block(at + 2, g, "select", t.select_stack(func, line));
}

SyntheticTrace base() {
  SyntheticTrace t;
  t.status(0, 1, GoState::Running);
  return t;
}

TEST(CancelIgnored, BlockedAgainInTheSameFunction) {
  SyntheticTrace t = base();
  spawn_waiter(t, 12, "main.ignorer", 19);
  t.unblock(20 * ms, 1, 12, t.cancel_stack("main.main", 38));
  t.start(21 * ms, 12);
  t.block(21 * ms + 5, 12, "chan receive", t.recv_stack("main.ignorer", 20));
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

TEST(SlowCancelExit, EndedAfterSlowWithinGrace) {
  SyntheticTrace t = base();
  spawn_waiter(t, 12, "main.worker", 19);
  spawn_waiter(t, 13, "main.worker", 19);
  t.unblock(20 * ms, 1, 12, t.cancel_stack());
  t.unblock(20 * ms + 1, 1, 13, t.cancel_stack());
  t.start(21 * ms, 12);
  t.end(120 * ms, 12);
  t.start(21 * ms, 13);
  t.end(22 * ms, 13);
  t.tick(900 * ms);
  Report r = run(t);
  auto f = of_rule(r, "slow-cancel-exit");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0]->severity, Severity::Warning);
  EXPECT_EQ(f[0]->goroutines, std::vector<GoID>{12});
  EXPECT_TRUE(has_loc(*f[0], role::kBlock, 19));
  Options o;
  o.slow_ns = 200 * ms;
  EXPECT_TRUE(of_rule(run(t, o), "slow-cancel-exit").empty());
}

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

TEST(BlockedForever, ProducerBlockedAfterItsConsumerWasCancelled) {
  SyntheticTrace t = base();
  // main.pump started the producer and returned; main.main started the consumer.
  t.create(1 * ms, 1, 10, t.stack({user("main.pump", 30), user("main.main", 60)}), t.start_of("main.producer"));
  spawn_waiter(t, 11, "main.consumer", 44);
  t.start(3 * ms, 10);
  t.block(4 * ms, 10, "chan send",
          t.stack({rt("runtime.chansend1", "runtime/chan.go", 161), user("main.producer", 52)}));
  t.unblock(20 * ms, 1, 11, t.cancel_stack("main.main", 38));
  t.start(20 * ms + 1, 11);
  t.end(20 * ms + 2, 11);
  t.tick(1000 * ms);
  Report r = run(t);
  auto f = of_rule(r, "blocked-forever");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0]->goroutines, std::vector<GoID>{10});
  EXPECT_TRUE(has_loc(*f[0], role::kBlock, 52));
  EXPECT_NE(f[0]->message.find("G11 (main.consumer)"), std::string::npos) << f[0]->message;
  EXPECT_FALSE(f[0]->block_stack.empty());
  EXPECT_EQ(r.findings.size(), 1u);
}

TEST(BlockedForever, CreationThroughErrgroupGoIsTheCallerOfGo) {
  SyntheticTrace t = base();
  const std::string eg = "/home/dev/go/pkg/mod/golang.org/x/sync@v0.10.0/errgroup/errgroup.go";
  t.create(1 * ms, 1, 10,
           t.stack({user("golang.org/x/sync/errgroup.(*Group).Go", 75, eg), user("main.crawl", 31),
                    user("main.main", 60)}),
           t.stack({user("golang.org/x/sync/errgroup.(*Group).Go.func1", 70, eg)}));
  spawn_waiter(t, 11, "main.consumer", 44);
  t.start(3 * ms, 10);
  t.block(4 * ms, 10, "chan send",
          t.stack({rt("runtime.chansend1", "runtime/chan.go", 161), user("main.producer", 52),
                   user("golang.org/x/sync/errgroup.(*Group).Go.func1", 78, eg)}));
  t.unblock(20 * ms, 1, 11, t.cancel_stack("main.main", 38));
  t.start(20 * ms + 1, 11);
  t.end(20 * ms + 2, 11);
  t.tick(1000 * ms);
  Report r = run(t);
  auto f = of_rule(r, "blocked-forever");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_TRUE(has_loc(*f[0], role::kBlock, 52));
  EXPECT_TRUE(has_loc(*f[0], role::kCreation, 31));
  EXPECT_FALSE(has_loc(*f[0], role::kCreation, 75));
}

TEST(BlockedForever, ThePartnerThatLastWokeItReturnedAfterTheCancel) {
  SyntheticTrace t = base();
  t.create(1 * ms, 1, 10, t.stack({user("main.main", 30)}), t.start_of("main.producer"));
  t.create(1 * ms, 1, 11, t.stack({user("main.main", 31)}), t.start_of("main.consumer"));
  StackID send = t.stack({rt("runtime.chansend1", "runtime/chan.go", 161), user("main.producer", 52)});
  t.start(2 * ms, 10);
  t.block(2 * ms + 1, 10, "chan send", send);
  t.start(3 * ms, 11);
  t.unblock(3 * ms + 1, 11, 10, t.recv_stack("main.consumer", 45));  // the consumer received
  t.block(3 * ms + 2, 11, "select", t.select_stack("main.consumer", 44));
  t.start(4 * ms, 10);
  t.block(4 * ms + 1, 10, "chan send", send);  // the next send waits for the consumer
  t.unblock(20 * ms, 1, 11, t.cancel_stack("main.main", 38));
  t.start(20 * ms + 1, 11);
  t.end(20 * ms + 2, 11);
  t.tick(1000 * ms);
  Report r = run(t);
  auto f = of_rule(r, "blocked-forever");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NE(f[0]->message.find("G11 (main.consumer), which last woke it"), std::string::npos) << f[0]->message;
  EXPECT_EQ(r.findings.size(), 1u);
}

TEST(BlockedForever, NotForAnIdlePoolWorkerOfALiveCreator) {
  SyntheticTrace t = base();
  // A pool worker that served a job from main, then waits for the next one; a cancelled
  // sibling worker exits.
  t.create(1 * ms, 1, 9, t.stack({user("main.main", 30)}), t.start_of("main.poolWorker"));
  t.start(1 * ms, 9);
  t.block(1 * ms + 1, 9, "chan receive", t.recv_stack("main.poolWorker", 80));
  t.unblock(2 * ms, 1, 9, t.stack({rt("runtime.chansend1", "runtime/chan.go", 161), user("main.main", 33)}));
  t.start(2 * ms + 1, 9);
  t.block(2 * ms + 2, 9, "chan receive", t.recv_stack("main.poolWorker", 80));
  spawn_waiter(t, 11, "main.ticker", 44);
  t.unblock(20 * ms, 1, 11, t.cancel_stack());
  t.start(20 * ms + 1, 11);
  t.end(20 * ms + 2, 11);
  t.tick(1000 * ms);
  EXPECT_TRUE(run(t).findings.empty());
}

TEST(BlockedForever, ASiblingThatOnceHandedItAMutexAndReturnedIsNoPartner) {
  // main (alive) starts a fetcher per page; G10 woke G11 once (a mutex inside time.After),
  // then returned; G11 sends its page to a reader that is gone; G12, a slow fetcher watching
  // ctx.Done(), returns on the cancel: G11 stays blocked forever.
  SyntheticTrace t = base();
  StackID go = t.stack({user("main.crawl", 46)});
  t.create(1 * ms, 1, 10, go, t.start_of("main.fetch"));
  t.create(1 * ms, 1, 11, go, t.start_of("main.fetch"));
  t.start(2 * ms, 11);
  t.block(2 * ms + 1, 11, "sync.Mutex.Lock", t.stack({rt("sync.(*Mutex).Lock", "sync/mutex.go", 90), user("main.fetch", 28)}));
  t.start(3 * ms, 10);
  t.unblock(3 * ms + 1, 10, 11, t.stack({rt("sync.(*Mutex).Unlock", "sync/mutex.go", 65), user("main.fetch", 28)}));
  t.end(4 * ms, 10);
  t.start(5 * ms, 11);
  t.block(6 * ms, 11, "chan send", t.stack({rt("runtime.chansend1", "runtime/chan.go", 161), user("main.fetch", 51)}));
  spawn_waiter(t, 12, "main.fetch", 31, 2 * ms);
  t.unblock(20 * ms, 1, 12, t.cancel_stack("main.crawl", 62));
  t.start(20 * ms + 1, 12);
  t.end(20 * ms + 2, 12);
  // main.crawl returned: main sleeps in main.main.
  t.block(21 * ms, 1, "sleep", t.stack({rt("time.Sleep", "runtime/time.go", 363), user("main.main", 70)}));
  t.tick(1000 * ms);
  Report r = run(t);
  auto f = of_rule(r, "blocked-forever");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0]->goroutines, (std::vector<GoID>{11}));
  EXPECT_TRUE(has_loc(*f[0], role::kBlock, 51));
  EXPECT_NE(f[0]->message.find("G12 (main.fetch), its sibling"), std::string::npos) << f[0]->message;
}

TEST(BlockedForever, PoolWorkersOfADispatcherThatReturnedOnCancel) {
  // The dispatcher (G5) starts a worker, then waits on ctx.Done(); the worker waits for jobs
  // that will never come; the cancel ends the dispatcher.
  SyntheticTrace t = base();
  spawn_waiter(t, 5, "main.serve", 34);
  t.create(2 * ms + 1, 5, 20, t.stack({user("main.serve", 30)}), t.start_of("main.worker"));
  t.start(3 * ms, 20);
  t.block(3 * ms + 1, 20, "chan receive", t.recv_stack("main.worker", 21));
  t.unblock(20 * ms, 1, 5, t.cancel_stack("main.main", 56));
  t.start(20 * ms + 1, 5);
  t.end(20 * ms + 2, 5);
  t.tick(1000 * ms);
  Report r = run(t);
  auto f = of_rule(r, "blocked-forever");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_TRUE(has_loc(*f[0], role::kBlock, 21));
  EXPECT_TRUE(has_loc(*f[0], role::kCreation, 30));
  EXPECT_NE(f[0]->message.find("its creator"), std::string::npos) << f[0]->message;
  EXPECT_EQ(r.findings.size(), 1u);  // not also orphaned-goroutine
}

TEST(BlockedForever, NotForALibraryGoroutineParkedInLibraryCode) {
  // signal.NotifyContext's watcher waits for a signal or its stop func (deferred in main, still
  // alive); a worker main started returns on another context's cancel. They share no channel.
  SyntheticTrace t = base();
  t.create(1 * ms, 1, 10,
           t.stack({rt("os/signal.NotifyContext", "os/signal/signal.go", 291), user("main.main", 28)}),
           t.stack({rt("os/signal.NotifyContext.func1", "os/signal/signal.go", 291)}));
  t.start(1 * ms + 1, 10);
  t.block(1 * ms + 2, 10, "select",
          t.stack({rt("runtime.selectgo", "runtime/select.go", 351),
                   rt("os/signal.NotifyContext.func1", "os/signal/signal.go", 292)}));
  spawn_waiter(t, 11, "main.work", 21);
  t.unblock(200 * ms, 12, 11, t.cancel_stack("main.main", 40));
  t.start(200 * ms + 1, 11);
  t.end(200 * ms + 2, 11);
  t.tick(1000 * ms);
  EXPECT_TRUE(run(t).findings.empty());
}

TEST(BlockedForever, NotWhileTheFunctionThatStartedItStillRuns) {
  // main.main starts a goroutine that waits for SIGINT to cancel, and workers; the job done,
  // main.main cancels the workers itself and goes on: the signal goroutine never gets its
  // signal, and nothing says the workers should have woken it.
  SyntheticTrace t = base();
  t.create(1 * ms, 1, 9, t.stack({user("main.main", 31)}), t.start_of("main.main.func1"));
  t.start(1 * ms + 1, 9);
  t.block(1 * ms + 2, 9, "chan receive", t.recv_stack("main.main.func1", 34));
  spawn_waiter(t, 10, "main.worker", 21);
  spawn_waiter(t, 11, "main.worker", 21);
  t.unblock(80 * ms, 1, 10, t.cancel_stack("main.main", 48));
  t.unblock(80 * ms + 1, 1, 11, t.cancel_stack("main.main", 48));
  t.start(80 * ms + 2, 10);
  t.end(80 * ms + 3, 10);
  t.start(80 * ms + 4, 11);
  t.end(80 * ms + 5, 11);
  t.block(81 * ms, 1, "sleep", t.stack({rt("time.Sleep", "runtime/time.go", 363), user("main.main", 50)}));
  t.tick(1000 * ms);
  EXPECT_TRUE(run(t).findings.empty());
}

TEST(BlockedForever, SiblingsWokenAtTheSameWaitMeanItsContextWasNeverCancelled) {
  // main calls main.call per request: each starts a watcher blocked on its own ctx.Done() at
  // main.go:23. Two calls cancel their context; G10 and G13 were never cancelled (lost cancel).
  SyntheticTrace t = base();
  StackID go = t.stack({user("main.call", 22), user("main.main", 36)});
  auto watcher = [&](GoID g, int64_t at) {
    t.create(at, 1, g, go, t.start_of("main.call.func1"));
    t.start(at + 1, g);
    t.block(at + 2, g, "chan receive", t.recv_stack("main.call.func1", 23));
  };
  watcher(10, 1 * ms);
  watcher(11, 5 * ms);
  t.unblock(10 * ms, 1, 11, t.cancel_stack("main.main", 41));
  t.start(10 * ms + 1, 11);
  t.end(10 * ms + 2, 11);
  watcher(13, 15 * ms);
  watcher(12, 17 * ms);
  t.unblock(20 * ms, 1, 12, t.cancel_stack("main.main", 42));  // the next call's cancel
  t.start(20 * ms + 1, 12);
  t.end(20 * ms + 2, 12);
  t.tick(1000 * ms);
  Report r = run(t);
  auto f = of_rule(r, "blocked-forever");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0]->goroutines, (std::vector<GoID>{10, 13}));
  EXPECT_TRUE(has_loc(*f[0], role::kBlock, 23));
  EXPECT_TRUE(has_loc(*f[0], role::kCreation, 22));
  EXPECT_NE(f[0]->message.find("its sibling waiting at the same line"), std::string::npos) << f[0]->message;
  EXPECT_NE(f[0]->message.find("never cancelled"), std::string::npos) << f[0]->message;
  EXPECT_EQ(f[0]->message.find("could have woken it"), std::string::npos) << f[0]->message;
}

TEST(BlockedForever, WaitingForAGoroutineItStartedThatReturnedOnCancel) {
  // main starts a refresher (G10) that starts a fetcher (G11) and waits for its result; the
  // fetcher returns on the cancel without sending. main lives on.
  SyntheticTrace t = base();
  t.create(1 * ms, 1, 10, t.stack({user("main.main", 47)}), t.start_of("main.refresh"));
  t.start(1 * ms + 1, 10);
  spawn_waiter(t, 11, "main.fetch", 19, 1 * ms + 2, 10);
  t.block(1 * ms + 5, 10, "chan receive", t.recv_stack("main.refresh", 31));
  t.block(2 * ms, 1, "sleep", t.stack({rt("time.Sleep", "runtime/time.go", 363), user("main.main", 53)}));
  t.unblock(60 * ms, 1, 11, t.cancel_stack("main.main", 52));
  t.start(60 * ms + 1, 11);
  t.end(60 * ms + 2, 11);
  t.tick(1000 * ms);
  Report r = run(t);
  auto f = of_rule(r, "blocked-forever");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0]->goroutines, std::vector<GoID>{10});
  EXPECT_TRUE(has_loc(*f[0], role::kBlock, 31));
  EXPECT_TRUE(has_loc(*f[0], role::kCancel, 52));
  EXPECT_NE(f[0]->message.find("G11 (main.fetch), a goroutine it started"), std::string::npos) << f[0]->message;
  EXPECT_EQ(r.findings.size(), 1u);
}

TEST(BlockedForever, NotWhileAnotherGoroutineItStartedMayStillAnswer) {
  // G10 asks two replicas and waits for the first answer; one gives up on its timeout, the
  // other (G12) is still working at trace end.
  SyntheticTrace t = base();
  t.create(1 * ms, 1, 10, t.stack({user("main.main", 47)}), t.start_of("main.query"));
  t.start(1 * ms + 1, 10);
  spawn_waiter(t, 11, "main.replica", 19, 1 * ms + 2, 10);
  t.create(1 * ms + 4, 10, 12, t.stack({user("main.query", 30)}), t.start_of("main.replica"));
  t.block(1 * ms + 5, 10, "chan receive", t.recv_stack("main.query", 31));
  t.start(1 * ms + 6, 12);
  t.block(1 * ms + 7, 12, "sleep", t.stack({rt("time.Sleep", "runtime/time.go", 363), user("main.replica", 22)}));
  t.block(2 * ms, 1, "sleep", t.stack({rt("time.Sleep", "runtime/time.go", 363), user("main.main", 53)}));
  t.unblock(60 * ms, 1, 11, t.cancel_stack("main.main", 52));
  t.start(60 * ms + 1, 11);
  t.end(60 * ms + 2, 11);
  t.tick(1000 * ms);
  EXPECT_TRUE(of_rule(run(t), "blocked-forever").empty());
}

TEST(BlockedForever, NotForADispatcherBackAtItsWorkSiteAfterItsRequestWasCancelled) {
  // The dispatcher (G10) receives a job from main, starts a handler for it (G11) and waits for
  // the next job; the handler returns on its request's cancel.
  SyntheticTrace t = base();
  t.create(1 * ms, 1, 10, t.stack({user("main.main", 47)}), t.start_of("main.dispatch"));
  t.start(1 * ms + 1, 10);
  StackID next = t.recv_stack("main.dispatch", 31);
  t.block(1 * ms + 2, 10, "chan receive", next);
  t.unblock(1 * ms + 3, 1, 10, t.stack({rt("runtime.chansend1", "runtime/chan.go", 161), user("main.main", 49)}));
  t.start(1 * ms + 4, 10);
  spawn_waiter(t, 11, "main.handle", 19, 1 * ms + 5, 10);
  t.block(1 * ms + 9, 10, "chan receive", next);
  t.block(2 * ms, 1, "sleep", t.stack({rt("time.Sleep", "runtime/time.go", 363), user("main.main", 53)}));
  t.unblock(60 * ms, 1, 11, t.cancel_stack("main.main", 52));
  t.start(60 * ms + 1, 11);
  t.end(60 * ms + 2, 11);
  t.tick(1000 * ms);
  EXPECT_TRUE(of_rule(run(t), "blocked-forever").empty());
}

// main.merge (returned) started a forwarder (G10) and main a consumer (G11); a source hands the
// forwarder a value after the cancel ended the consumer; the forwarder then blocks at `last`.
Report forwarder_after_cancel(bool blocks_sending) {
  SyntheticTrace t = base();
  t.create(1 * ms, 1, 10, t.stack({user("main.merge", 34), user("main.main", 60)}), t.start_of("main.merge.func1"));
  t.create(1 * ms, 1, 12, t.stack({user("main.source", 15), user("main.main", 59)}), t.start_of("main.source.func1"));
  spawn_waiter(t, 11, "main.consume", 44);
  t.start(3 * ms, 10);
  StackID next = t.recv_stack("main.merge.func1", 36);
  t.block(3 * ms + 1, 10, "chan receive", next);
  t.block(4 * ms, 1, "sleep", t.stack({rt("time.Sleep", "runtime/time.go", 363), user("main.main", 70)}));
  t.unblock(20 * ms, 1, 11, t.cancel_stack("main.main", 59));
  t.start(20 * ms + 1, 11);
  t.end(20 * ms + 2, 11);
  t.start(22 * ms, 12);
  t.unblock(22 * ms + 1, 12, 10, t.stack({rt("runtime.chansend1", "runtime/chan.go", 161), user("main.source.func1", 18)}));
  t.end(22 * ms + 2, 12);
  t.start(22 * ms + 3, 10);
  if (blocks_sending)
    t.block(22 * ms + 4, 10, "chan send",
            t.stack({rt("runtime.chansend1", "runtime/chan.go", 161), user("main.merge.func1", 37)}));
  else
    t.block(22 * ms + 4, 10, "chan receive", next);
  t.tick(1000 * ms);
  return run(t);
}

TEST(BlockedForever, AForwarderThatBlocksOnlyAfterItsConsumerReturnedOnCancel) {
  Report r = forwarder_after_cancel(true);
  auto f = of_rule(r, "blocked-forever");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0]->goroutines, std::vector<GoID>{10});
  EXPECT_TRUE(has_loc(*f[0], role::kBlock, 37));
  EXPECT_NE(f[0]->message.find("G11 (main.consume), its sibling"), std::string::npos) << f[0]->message;
}

TEST(BlockedForever, NotForAForwarderBackAtTheReceiveItIsHandedWorkAtAfterTheCancel) {
  EXPECT_TRUE(of_rule(forwarder_after_cancel(false), "blocked-forever").empty());
}

// main.main (alive, sleeping) starts two subscribers (G11, G12) watching ctx.Done() and a
// publisher (G10) that sleeps between ticks; main cancels, the subscribers return, and the
// publisher's next tick blocks on its send to a subscriber that is gone. kLate: G10 is started
// by main.main only after the cancel and first parks at a receive; kWarmedUp: G10 sleeps through
// the cancel (warming up) and then first parks at a receive (an idle server, main may still send);
// kWarmedUpInHelper: the same, started by main.startAdmin, which returned.
enum class Publisher { kSends, kLate, kWarmedUp, kWarmedUpInHelper };
Report publisher_after_cancel(Publisher mode) {
  bool late = mode == Publisher::kLate;
  SyntheticTrace t = base();
  spawn_waiter(t, 11, "main.subscriber", 50);
  spawn_waiter(t, 12, "main.subscriber", 50);
  StackID sleep = t.stack({rt("time.Sleep", "runtime/time.go", 363), user("main.main", 70)});
  if (!late) {
    t.create(3 * ms, 1, 10,
             mode == Publisher::kWarmedUpInHelper ? t.stack({user("main.startAdmin", 27), user("main.main", 66)})
                                                  : t.stack({user("main.main", 66)}),
             t.start_of("main.(*broker).run"));
    t.start(3 * ms + 1, 10);
    t.block(3 * ms + 2, 10, "sleep",
            t.stack({rt("time.Sleep", "runtime/time.go", 363), user("main.(*broker).run", 40)}));
  }
  t.block(4 * ms, 1, "sleep", sleep);
  t.unblock(100 * ms, 0, 1, t.stack({rt("runtime.goready", "runtime/proc.go", 400)}));
  t.start(100 * ms + 1, 1);
  t.unblock(100 * ms + 2, 1, 11, t.cancel_stack("main.main", 69));
  t.unblock(100 * ms + 3, 1, 12, t.cancel_stack("main.main", 69));
  t.start(100 * ms + 4, 11);
  t.end(100 * ms + 5, 11);
  t.start(100 * ms + 6, 12);
  t.end(100 * ms + 7, 12);
  if (late) {
    t.create(100 * ms + 8, 1, 10, t.stack({user("main.main", 66)}), t.start_of("main.serveAdmin"));
    t.start(100 * ms + 9, 10);
    t.block(100 * ms + 10, 10, "chan receive", t.recv_stack("main.serveAdmin", 80));
  }
  t.block(100 * ms + 20, 1, "sleep", sleep);
  if (!late) {
    t.unblock(103 * ms, 0, 10, t.stack({rt("runtime.goready", "runtime/proc.go", 400)}));
    t.start(103 * ms + 1, 10);
    if (mode == Publisher::kSends)
      t.block(103 * ms + 2, 10, "chan send",
              t.stack({rt("runtime.chansend1", "runtime/chan.go", 161), user("main.(*broker).publish", 33),
                       user("main.(*broker).run", 39)}));
    else
      t.block(103 * ms + 2, 10, "chan receive", t.recv_stack("main.(*broker).run", 20));
  }
  t.tick(1000 * ms);
  return run(t);
}

TEST(BlockedForever, APublisherStartedInMainThatBlocksOnlyAfterItsSubscribersReturnedOnCancel) {
  Report r = publisher_after_cancel(Publisher::kSends);
  auto f = of_rule(r, "blocked-forever");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0]->goroutines, std::vector<GoID>{10});
  EXPECT_TRUE(has_loc(*f[0], role::kBlock, 33));
  EXPECT_TRUE(has_loc(*f[0], role::kCreation, 66));
  EXPECT_TRUE(has_loc(*f[0], role::kCancel, 69));
  EXPECT_EQ(r.findings.size(), 1u);
}

TEST(BlockedForever, NotForAGoroutineMainStartedAfterTheCancelIdleAtItsQueue) {
  EXPECT_TRUE(of_rule(publisher_after_cancel(Publisher::kLate), "blocked-forever").empty());
}

TEST(BlockedForever, NotForAGoroutineMainStartedThatFirstWaitsForWorkAfterTheCancel) {
  EXPECT_TRUE(of_rule(publisher_after_cancel(Publisher::kWarmedUp), "blocked-forever").empty());
}

TEST(BlockedForever, NotForAGoroutineAHelperStartedThatFirstWaitsForWorkAfterTheCancel) {
  EXPECT_TRUE(of_rule(publisher_after_cancel(Publisher::kWarmedUpInHelper), "blocked-forever").empty());
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

TEST(BlockedForever, NotWithinGrace) {
  SyntheticTrace t = base();
  t.create(1 * ms, 1, 10, t.stack({user("main.pump", 30), user("main.main", 60)}), t.start_of("main.producer"));
  spawn_waiter(t, 11, "main.consumer", 44);
  t.start(3 * ms, 10);
  t.block(4 * ms, 10, "chan send", t.stack({user("main.producer", 52)}));
  t.unblock(20 * ms, 1, 11, t.cancel_stack());
  t.start(20 * ms + 1, 11);
  t.end(20 * ms + 2, 11);
  t.tick(300 * ms);
  Options given;  // --grace 500ms: the trace's 280 ms after the cancel are not enough
  given.grace_given = true;
  EXPECT_TRUE(run(t, given).findings.empty());
  // By default a goroutine parked for 280 of a 300 ms trace after the cancel is stuck.
  EXPECT_EQ(of_rule(run(t), "blocked-forever").size(), 1u);
}

TEST(SlowPropagation, RelayedCancelTookLong) {
  SyntheticTrace t = base();
  spawn_waiter(t, 10, "main.stage1", 14);
  spawn_waiter(t, 11, "main.stage2", 24);
  t.unblock(20 * ms, 1, 10, t.cancel_stack("main.main", 38));
  t.start(20 * ms + 1, 10);
  // stage1 cleans up for 30ms, then cancels stage2's context.
  t.unblock(50 * ms, 10, 11, t.cancel_stack("main.stage1", 16));
  t.end(50 * ms + 1, 10);
  t.start(50 * ms + 2, 11);
  t.end(50 * ms + 3, 11);
  t.tick(1000 * ms);
  Report r = run(t);
  auto f = of_rule(r, "slow-propagation");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_TRUE(has_loc(*f[0], role::kCancel, 38));
  EXPECT_TRUE(has_loc(*f[0], role::kCancel, 16));
  EXPECT_EQ(f[0]->waves, (std::vector<int32_t>{1, 2}));
  ASSERT_EQ(r.waves.size(), 2u);
  EXPECT_EQ(r.waves[1].parent, 1);
  EXPECT_EQ(r.critical_wave, 1);
  ASSERT_EQ(r.critical_path.size(), 2u);  // cancel#1 -> cancel#2 -> end of G11
  EXPECT_EQ(r.critical_path.back().to_g, 11);
  EXPECT_TRUE(r.dag_acyclic);
}

TEST(SlowPropagation, NotForADirectCancel) {
  SyntheticTrace t = base();
  spawn_waiter(t, 10, "main.stage1", 14);
  t.unblock(20 * ms, 1, 10, t.cancel_stack());
  t.start(20 * ms + 1, 10);
  t.end(20 * ms + 2, 10);
  t.tick(1000 * ms);
  EXPECT_TRUE(run(t).findings.empty());
}

// A spawner goroutine starts `n` goroutines that block on sends nobody receives, then ends.
void leak_from_helper(SyntheticTrace& t, int n, int64_t creator_end) {
  t.create(1 * ms, 1, 5, t.stack({user("main.main", 30)}), t.start_of("main.fetch"));
  t.start(1 * ms, 5);
  for (int i = 0; i < n; ++i) {
    GoID g = 20 + i;
    t.create(2 * ms, 5, g, t.stack({user("main.fetch", 61)}), t.start_of("main.fetch.func1"));
    t.start(3 * ms, g);
    t.block(3 * ms + i, g, "chan send", t.stack({rt("runtime.chansend1", "runtime/chan.go", 161), user("main.fetch.func1", 63)}));
  }
  t.end(creator_end, 5);
}

TEST(LeakedGoroutine, SenderNobodyReceivesFromIsGroupedByCause) {
  SyntheticTrace t = base();
  leak_from_helper(t, 3, 10 * ms);
  t.tick(1000 * ms);
  Report r = run(t);
  auto f = of_rule(r, "leaked-goroutine");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0]->count, 3);
  EXPECT_EQ(f[0]->goroutines, (std::vector<GoID>{20, 21, 22}));
  EXPECT_TRUE(has_loc(*f[0], role::kCreation, 61));
  EXPECT_TRUE(has_loc(*f[0], role::kBlock, 63));
  EXPECT_NE(f[0]->message.find("chan send"), std::string::npos);
}

TEST(LeakedGoroutine, AnAfterFuncCallbackParkedForeverUnderALiveCanceller) {
  // main (alive) cancels; the cancel call starts the context.AfterFunc callback (G30), which
  // sends to the session loop (G10) that returned on the same cancel.
  SyntheticTrace t = base();
  spawn_waiter(t, 10, "main.run", 27);
  StackID cancel = t.cancel_stack("main.main", 42);
  t.unblock(150 * ms, 1, 10, cancel);
  t.create(150 * ms + 1, 1, 30,
           t.stack({rt("context.(*afterFuncCtx).cancel.func1", "context/context.go", 358),
                    rt("sync.(*Once).doSlow", "sync/once.go", 78),
                    rt("context.(*afterFuncCtx).cancel", "context/context.go", 357),
                    rt("context.(*cancelCtx).cancel", "context/context.go", 571),
                    rt("context.WithCancel.func1", "context/context.go", 242), user("main.main", 42)}),
           t.start_of("main.(*session).watch.func1"));
  t.start(150 * ms + 2, 10);
  t.end(150 * ms + 3, 10);
  t.start(150 * ms + 4, 30);
  t.block(150 * ms + 5, 30, "chan send",
          t.stack({rt("runtime.chansend1", "runtime/chan.go", 161), user("main.(*session).watch.func1", 18)}));
  t.tick(1600 * ms);
  Report r = run(t);
  auto f = of_rule(r, "leaked-goroutine");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0]->goroutines, (std::vector<GoID>{30}));
  EXPECT_TRUE(has_loc(*f[0], role::kBlock, 18));
  EXPECT_TRUE(has_loc(*f[0], role::kCancel, 42));
  EXPECT_NE(f[0]->message.find("context.AfterFunc"), std::string::npos) << f[0]->message;
  EXPECT_EQ(r.findings.size(), 1u);
  // Not while the trace ends within the grace.
  Options given;
  given.grace_given = true;
  given.grace_ns = 2000 * ms;
  EXPECT_TRUE(run(t, given).findings.empty());
}

TEST(LeakedGoroutine, NotTheRelayWithCancelStartsForAForeignParent) {
  // WithCancel over a Context of a foreign type starts a goroutine inside package context that
  // waits for either to be done: started from context, but by no cancel call.
  SyntheticTrace t = base();
  t.create(1 * ms, 1, 30,
           t.stack({rt("context.(*cancelCtx).propagateCancel", "context/context.go", 516),
                    rt("context.withCancel", "context/context.go", 279),
                    rt("context.WithCancel", "context/context.go", 241), user("main.main", 45)}),
           t.stack({rt("context.(*cancelCtx).propagateCancel.func2", "context/context.go", 516)}));
  t.start(1 * ms + 1, 30);
  t.block(1 * ms + 2, 30, "select",
          t.stack({rt("runtime.selectgo", "runtime/select.go", 351),
                   rt("context.(*cancelCtx).propagateCancel.func2", "context/context.go", 517)}));
  t.tick(1600 * ms);
  EXPECT_TRUE(of_rule(run(t), "leaked-goroutine").empty());
}

TEST(LeakedGoroutine, InAShortTraceAQuarterOfItIsEnough) {
  // A 60 ms run: the helper returned at 10 ms, its senders stay parked for 50 ms.
  SyntheticTrace t = base();
  leak_from_helper(t, 2, 10 * ms);
  t.tick(60 * ms);
  EXPECT_EQ(of_rule(run(t), "leaked-goroutine").size(), 1u);
  Options given;  // unless --grace says otherwise
  given.grace_given = true;
  EXPECT_TRUE(run(t, given).findings.empty());
  // Parked for less than a quarter of the trace: not yet.
  SyntheticTrace late = base();
  leak_from_helper(late, 2, 50 * ms);
  late.tick(60 * ms);
  EXPECT_TRUE(run(late).findings.empty());
}

TEST(LeakedGoroutine, NotUnderALiveCreatorNorWithinGrace) {
  SyntheticTrace t = base();
  // Idle pool worker of the (live) main goroutine.
  t.create(1 * ms, 1, 9, t.stack({user("main.main", 30)}), t.start_of("main.poolWorker"));
  t.start(1 * ms, 9);
  t.block(2 * ms, 9, "chan receive", t.recv_stack("main.poolWorker", 80));
  leak_from_helper(t, 1, 900 * ms);  // creator ended recently
  t.tick(1000 * ms);
  EXPECT_TRUE(run(t).findings.empty());
}

TEST(LeakedGoroutine, OutlivesItsTestInAGoTestTrace) {
  SyntheticTrace t;
  t.status(0, 7, GoState::Running);
  StackID trunner = t.stack({rt("testing.tRunner", "testing/testing.go", 1792)});
  StackID run_site = t.stack({rt("testing.(*T).Run", "testing/testing.go", 1851)});
  t.create(1 * ms, 7, 8, run_site, trunner);  // TestLeak
  t.create(1 * ms, 7, 9, run_site, trunner);  // TestClean
  t.start(1 * ms, 8);
  t.create(2 * ms, 8, 30, t.stack({user("app.TestLeak", 12, "/home/dev/app/a_test.go"),
                                   rt("testing.tRunner", "testing/testing.go", 1792)}),
           t.start_of("app.TestLeak.func1"));
  t.start(2 * ms + 10, 30);
  t.block(2 * ms + 20, 30, "chan receive", t.recv_stack("app.TestLeak.func1", 14));
  t.end(3 * ms, 8);
  t.start(4 * ms, 9);
  t.create(5 * ms, 9, 31, t.stack({user("app.TestClean", 22, "/home/dev/app/a_test.go"),
                                   rt("testing.tRunner", "testing/testing.go", 1792)}),
           t.start_of("app.TestClean.func1"));
  t.start(5 * ms, 31);
  t.end(6 * ms, 31);
  t.end(7 * ms, 9);
  t.tick(8 * ms);  // the test binary stops tracing right away: no grace needed
  Report r = run(t);
  ASSERT_EQ(r.findings.size(), 1u);
  const Finding& f = r.findings[0];
  EXPECT_EQ(f.rule, "leaked-goroutine");
  EXPECT_EQ(f.goroutines, std::vector<GoID>{30});
  EXPECT_TRUE(has_loc(f, role::kTest, 12));
  EXPECT_NE(f.message.find("app.TestLeak"), std::string::npos);
}

TEST(Registry, RuleSubsetAndMetadata) {
  EXPECT_EQ(rules().size(), 14u);  // 6 lifecycle rules, 8 context rules
  for (const RuleInfo& r : rules()) {
    EXPECT_FALSE(r.help.empty());
    EXPECT_EQ(find_rule(r.id), &r);
  }
  EXPECT_EQ(find_rule("nope"), nullptr);
  SyntheticTrace t = base();
  leak_from_helper(t, 1, 10 * ms);
  t.tick(1000 * ms);
  Options o;
  o.rules = {"cancel-ignored"};
  EXPECT_TRUE(run(t, o).findings.empty());
}

TEST(Registry, MainAndRuntimeGoroutinesAreNeverFindings) {
  SyntheticTrace t;
  StackID rt_stack = t.stack({rt("runtime.gopark", "runtime/proc.go", 462), rt("runtime.forcegchelper", "runtime/proc.go", 350)});
  t.status(0, 2, GoState::Waiting, rt_stack, "system goroutine wait");
  t.status(0, 1, GoState::Running);
  t.block(1 * ms, 1, "select", t.select_stack("main.main", 40));
  t.tick(5000 * ms);
  Report r = run(t);
  EXPECT_TRUE(r.findings.empty());
}

}  // namespace
}  // namespace ctxtrail::diagnose

namespace ctxtrail::diagnose {
namespace {

// A goroutine both blocked-forever and leaked-goroutine would report (its creator returned on a
// cancel wave while it waited to send) is blocked-forever's, which leaked-goroutine is
// superseded by: in a full run and under --rule alike.
TEST(Registry, ARuleYieldsToTheRulesItIsSupersededByUnderRuleToo) {
  auto make = [] {
    SyntheticTrace t = base();
    t.create(2 * ms, 1, 11, t.stack({user("main.main", 30)}), t.start_of("main.fetch"));
    t.start(2 * ms + 1, 11);
    t.create(2 * ms + 2, 11, 10, t.stack({user("main.fetch", 40)}), t.start_of("main.fetch.func1"));
    t.block(2 * ms + 3, 11, "select", t.select_stack("main.fetch", 44));
    t.start(3 * ms, 10);
    t.block(4 * ms, 10, "chan send",
            t.stack({rt("runtime.chansend1", "runtime/chan.go", 161), user("main.fetch.func1", 41)}));
    t.unblock(20 * ms, 1, 11, t.cancel_stack("main.main", 38));
    t.start(20 * ms + 1, 11);
    t.end(20 * ms + 2, 11);
    t.tick(1000 * ms);
    return t;
  };
  SyntheticTrace full = make();
  Report r = run(full);
  ASSERT_EQ(of_rule(r, "blocked-forever").size(), 1u);
  EXPECT_EQ(of_rule(r, "blocked-forever")[0]->goroutines, std::vector<GoID>{10});
  EXPECT_TRUE(of_rule(r, "leaked-goroutine").empty());

  Options only_leaks;
  only_leaks.rules = {"leaked-goroutine"};
  SyntheticTrace t1 = make();
  EXPECT_TRUE(run(t1, only_leaks).findings.empty());

  Options only_blocked;
  only_blocked.rules = {"blocked-forever"};
  SyntheticTrace t2 = make();
  Report b = run(t2, only_blocked);
  ASSERT_EQ(b.findings.size(), 1u);
  EXPECT_EQ(b.findings[0].rule, "blocked-forever");
}

TEST(Registry, SupersededByNamesOnlyRulesThatComeBefore) {
  std::set<std::string_view> seen;
  for (const RuleInfo& r : rules()) {
    for (std::string_view by : r.superseded_by) {
      EXPECT_TRUE(seen.contains(by)) << r.id << " is superseded by " << by << ", which runs after it";
      EXPECT_NE(find_rule(by), nullptr) << by;
    }
    seen.insert(r.id);
  }
  EXPECT_EQ(find_rule("leaked-goroutine")->superseded_by.size(), 7u);
}

}  // namespace
}  // namespace ctxtrail::diagnose
