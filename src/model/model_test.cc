#include <gtest/gtest.h>

#include "testing/synthetic_trace.h"

namespace ctxtrail::model {
namespace {

using testing::SyntheticTrace;
using testing::rt;
using testing::user;
constexpr int64_t ms = 1'000'000;

// main (g1) starts two watchers and one goroutine that blocks again after the cancel.
struct CancelScenario {
  SyntheticTrace t;
  StackID cancel;
  CancelScenario() {
    t.status(1 * ms, 1, GoState::Running);
    StackID go_site = t.stack({user("main.main", 30)});
    for (GoID g : {10, 11}) {
      t.create(2 * ms, 1, g, go_site, t.start_of("main.watcher"));
      t.start(3 * ms, g);
      t.block(3 * ms + g, g, "select", t.select_stack("main.watcher", 14));
    }
    t.create(4 * ms, 1, 12, go_site, t.start_of("main.ignorer"));
    t.start(5 * ms, 12);
    t.block(5 * ms + 1, 12, "chan receive", t.recv_stack("main.ignorer", 19));
    cancel = t.cancel_stack("main.main", 38);
    t.unblock(20 * ms, 1, 10, cancel);
    t.unblock(20 * ms + 100, 1, 11, cancel);
    t.unblock(20 * ms + 200, 1, 12, cancel);
    t.block(20 * ms + 300, 1, "sync", t.stack({rt("sync.(*WaitGroup).Wait", "sync/waitgroup.go", 118), user("main.main", 39)}));
    t.start(20 * ms + 400, 10);
    t.end(21 * ms, 10);
    t.start(21 * ms, 11);
    t.end(90 * ms, 11);  // slow exit
    t.start(22 * ms, 12);
    t.block(22 * ms + 10, 12, "chan receive", t.recv_stack("main.ignorer", 20));
    t.tick(1000 * ms);
  }
};

TEST(Model, LifecycleOfCreatedGoroutines) {
  CancelScenario s;
  Model m = s.t.build();
  const Goroutine* g10 = m.find(10);
  ASSERT_NE(g10, nullptr);
  EXPECT_EQ(g10->creator, 1);
  EXPECT_EQ(g10->created_at, 2 * ms);
  EXPECT_EQ(g10->ended_at, 21 * ms);
  EXPECT_EQ(g10->kind, GoKind::User);
  EXPECT_EQ(m.find(1)->kind, GoKind::Main);
  const Goroutine* g12 = m.find(12);
  EXPECT_EQ(g12->ended_at, -1);
  EXPECT_EQ(g12->state, GoState::Waiting);
  EXPECT_EQ(s.t.classifier().top_user_location(g12->state_stack).line, 20u);
  EXPECT_EQ(m.trace_end, 1000 * ms);
}

TEST(Model, WakeHistoryOnlyForGoroutinesSomethingWoke) {
  // A goroutine that never waited keeps no wake history (a million short-lived cancellers must
  // not cost 56 bytes each); one a cancel woke keeps its deciding wake and what woke it before
  // it blocked again.
  CancelScenario s;
  s.t.create(1001 * ms, 1, 13, s.t.stack({user("main.main", 40)}), s.t.start_of("main.quick"));
  s.t.start(1001 * ms + 1, 13);
  s.t.end(1001 * ms + 2, 13);
  Model m = s.t.build();
  const Goroutine* quick = m.find(13);
  ASSERT_NE(quick, nullptr);
  EXPECT_EQ(quick->wake_history, kNone);
  EXPECT_EQ(m.wakes_of(*quick).last_wake.time, -1);
  EXPECT_EQ(m.wakes_of(*quick).wait_waker, kNoGoroutine);
  const Goroutine* g12 = m.find(12);
  ASSERT_NE(g12->wake_history, kNone);
  EXPECT_EQ(m.wakes_of(*g12).last_wake.time, 20 * ms + 200);
  EXPECT_EQ(m.wakes_of(*g12).last_wake.wave, 0);
  EXPECT_EQ(m.wakes_of(*g12).wait_waker, 1);  // woken by main's cancel, then blocked again
  EXPECT_EQ(m.wake_histories.size(), 3u);     // g10, g11 and g12
}

TEST(Model, SmallAndHugeGoroutineIdsAlike) {
  // The builder finds small IDs in a plain table and the rest in a hash map: a goroutine of
  // each kind, and a small ID far past the table's current end, lead the same lives.
  SyntheticTrace t;
  t.status(1 * ms, 1, GoState::Running);
  const StackID go_site = t.stack({user("main.main", 30)});
  const GoID huge = (GoID{1} << 40) + 3, past_table = (GoID{1} << 20) - 1;
  for (GoID g : {GoID{7}, huge, past_table}) {
    t.create(2 * ms, 1, g, go_site, t.start_of("main.worker"));
    t.start(3 * ms, g);
    t.block(3 * ms + 1, g, "chan receive", t.recv_stack("main.worker", 14));
  }
  t.unblock(4 * ms, 1, huge, t.stack({user("main.main", 31)}));
  t.start(5 * ms, huge);
  t.end(6 * ms, huge);
  t.tick(100 * ms);
  Model m = t.build();
  for (GoID g : {GoID{7}, huge, past_table}) {
    const Goroutine* r = m.find(g);
    ASSERT_NE(r, nullptr) << g;
    EXPECT_EQ(r->creator, 1) << g;
    EXPECT_EQ(r->created_at, 2 * ms) << g;
  }
  EXPECT_EQ(m.find(huge)->ended_at, 6 * ms);
  EXPECT_EQ(m.find(7)->ended_at, -1);
  EXPECT_EQ(m.find(past_table)->state, GoState::Waiting);
  EXPECT_EQ(m.find(8), nullptr);
  EXPECT_EQ(m.goroutines.size(), 4u);
}

TEST(Model, OneCancelCallIsOneWave) {
  CancelScenario s;
  Model m = s.t.build();
  ASSERT_EQ(m.waves.size(), 1u);
  const CancelWave& w = m.waves[0];
  EXPECT_EQ(w.id, 1);
  EXPECT_EQ(w.canceller, 1);
  EXPECT_EQ(w.time, 20 * ms);
  EXPECT_FALSE(w.timer);
  ASSERT_EQ(w.watchers.size(), 3u);
  const Watcher& ign = m.watchers[w.watchers[2]];
  EXPECT_EQ(ign.g, 12);
  EXPECT_EQ(s.t.get(ign.wait_function), "main.ignorer");
  EXPECT_EQ(ign.reblocked_at, 22 * ms + 10);
  EXPECT_EQ(ign.left_wait_function_at, -1);  // still inside main.ignorer
  EXPECT_EQ(ign.at_wake_site_at, -1);
  EXPECT_EQ(ign.at_woken_from_site_at, -1);
  EXPECT_FALSE(ign.woken_at_return_site);
  EXPECT_EQ(m.watchers[w.watchers[1]].ended_at, 90 * ms);
}

TEST(Model, SeparateCancelCallsAreSeparateWaves) {
  SyntheticTrace t;
  t.status(0, 1, GoState::Running);
  StackID site = t.stack({user("main.main", 30)});
  for (GoID g : {10, 11}) {
    t.create(1 * ms, 1, g, site, t.start_of("main.w"));
    t.start(1 * ms, g);
    t.block(2 * ms, g, "select", t.select_stack("main.w", 5));
  }
  t.unblock(10 * ms, 1, 10, t.cancel_stack("main.main", 40));
  t.unblock(10 * ms + 5, 1, 11, t.cancel_stack("main.main", 41));  // another cancel call
  Model m = t.build();
  EXPECT_EQ(m.waves.size(), 2u);
}

TEST(Model, TimerWave) {
  SyntheticTrace t;
  t.status(0, 1, GoState::Running);
  t.create(1 * ms, 1, 10, t.stack({user("main.main", 30)}), t.start_of("main.w"));
  t.start(1 * ms, 10);
  t.block(2 * ms, 10, "select", t.select_stack("main.w", 5));
  StackID timer_start = t.stack({rt("context.WithDeadlineCause.func2", "context/context.go", 652)});
  t.create(7 * ms, kNoGoroutine, 20, 0, timer_start);
  t.start(7 * ms, 20);
  t.unblock(7 * ms + 5, 20, 10, t.timer_cancel_stack());
  t.end(7 * ms + 6, 20);
  Model m = t.build();
  ASSERT_EQ(m.waves.size(), 1u);
  EXPECT_TRUE(m.waves[0].timer);
  EXPECT_EQ(m.find(20)->kind, GoKind::Runtime);
}

TEST(Model, ALoopBackAtItsPerItemWaitThenIdleAtItsQueueMovedOn) {
  // A dispatcher abandons requests whose context is done: woken at main.dispatch:30 by one
  // request's deadline, it came back to that select for the next request; woken there again by
  // the last request's deadline, it waits on its queue (main.dispatch:29), where it never had to
  // block before.
  SyntheticTrace t;
  t.status(0, 1, GoState::Running);
  t.create(1 * ms, 1, 10, t.stack({user("main.main", 42)}), t.start_of("main.dispatch"));
  t.start(1 * ms, 10);
  t.block(2 * ms, 10, "select", t.select_stack("main.dispatch", 30));
  // The first request's answer woke it there (so that select is also a work site).
  t.unblock(20 * ms, 40, 10, t.stack({rt("runtime.chansend1", "runtime/chan.go", 161), user("main.compute.func1", 23)}));
  t.start(20 * ms + 1, 10);
  t.block(20 * ms + 9, 10, "select", t.select_stack("main.dispatch", 30));
  t.unblock(50 * ms, 30, 10, t.timer_cancel_stack());
  t.start(50 * ms + 1, 10);
  t.block(50 * ms + 9, 10, "select", t.select_stack("main.dispatch", 30));
  t.unblock(90 * ms, 31, 10, t.timer_cancel_stack());
  t.start(90 * ms + 1, 10);
  t.block(90 * ms + 9, 10, "chan receive", t.recv_stack("main.dispatch", 29));
  t.tick(2000 * ms);
  Model m = t.build();
  ASSERT_EQ(m.watchers.size(), 2u);
  // Back at the select a cancel woke it from.
  EXPECT_EQ(m.watchers[0].at_wake_site_at, 50 * ms + 9);
  EXPECT_FALSE(m.watchers[0].woken_at_return_site);
  // The second wave woke it at that same select, which it had come back to; then it parked
  // at its queue, still in main.dispatch.
  EXPECT_TRUE(m.watchers[1].woken_at_return_site);
  EXPECT_EQ(m.watchers[1].reblocked_at, 90 * ms + 9);
  EXPECT_EQ(m.watchers[1].left_wait_function_at, -1);
  EXPECT_EQ(m.watchers[1].at_wake_site_at, -1);
}

TEST(Model, CancelFuncOfWithTimeoutCalledByUserCodeIsNoDeadlineTimer) {
  // WithDeadlineCause returns its CancelFunc as a WithDeadlineCause.funcN closure too; called
  // from main.main it is an ordinary cancel, not the deadline firing.
  SyntheticTrace t;
  t.status(0, 1, GoState::Running);
  t.create(1 * ms, 1, 10, t.stack({user("main.main", 30)}), t.start_of("main.w"));
  t.start(1 * ms, 10);
  t.block(2 * ms, 10, "chan receive", t.recv_stack("main.w", 5));
  t.unblock(7 * ms, 1, 10,
            t.stack({rt("context.(*cancelCtx).cancel", "context/context.go", 567),
                     rt("context.(*timerCtx).cancel", "context/context.go", 680),
                     rt("context.WithDeadlineCause.func1", "context/context.go", 656),
                     user("main.main", 41)}));
  Model m = t.build();
  ASSERT_EQ(m.waves.size(), 1u);
  EXPECT_FALSE(m.waves[0].timer);
}

TEST(Model, GcAssistWakeInsideAContextConstructorIsNoCancel) {
  // A goroutine allocating in context.WithTimeout finishes a GC cycle and readies the goroutines
  // parked in their own mark assists: its stack has a context frame, but no cancel method.
  SyntheticTrace t;
  t.status(0, 1, GoState::Running);
  t.status(0, 2, GoState::Running);
  t.create(1 * ms, 1, 10, t.stack({user("main.batch", 38)}), t.start_of("main.lookup"));
  t.start(1 * ms, 10);
  t.block(2 * ms, 10, "sync", t.stack({rt("runtime.gcMarkDone", "runtime/mgc.go", 1018),
                                       rt("runtime.mallocgc", "runtime/malloc.go", 1113),
                                       user("main.lookup", 22)}));
  t.unblock(7 * ms, 2, 10,
            t.stack({rt("runtime.gcMarkDone", "runtime/mgc.go", 1028),
                     rt("runtime.gcAssistAlloc", "runtime/mgcmark.go", 647),
                     rt("runtime.mallocgc", "runtime/malloc.go", 1113),
                     rt("runtime.newobject", "runtime/malloc.go", 2157),
                     rt("context.WithDeadlineCause", "context/context.go", 640),
                     rt("context.WithDeadline", "context/context.go", 626),
                     rt("context.WithTimeout", "context/context.go", 704), user("main.batch", 32)}));
  Model m = t.build();
  EXPECT_TRUE(m.waves.empty());
  EXPECT_TRUE(m.watchers.empty());
}

TEST(Model, WorkerThatReturnedFromTheWaitingCallMovedOn) {
  SyntheticTrace t;
  t.status(0, 1, GoState::Running);
  t.create(1 * ms, 1, 10, t.stack({user("main.main", 30)}), t.start_of("main.serve"));
  t.start(1 * ms, 10);
  t.block(2 * ms, 10, "select", t.select_stack("main.call", 50, "main.serve"));
  t.unblock(10 * ms, 30, 10, t.timer_cancel_stack());
  t.start(10 * ms + 1, 10);
  t.block(10 * ms + 5, 10, "chan receive", t.recv_stack("main.serve", 70));
  Model m = t.build();
  ASSERT_EQ(m.watchers.size(), 1u);
  EXPECT_EQ(m.watchers[0].left_wait_function_at, 10 * ms + 5);
}

TEST(Model, ReparkAtTheSameSelectAfterTheWakingCancelIsANewCall) {
  // A pool worker: its call's timeout wakes it in main.call's select; its send and next
  // receive find partners without parking, so its next park is main.call's select again, in a
  // new call with a fresh context (the old Done channel is closed: that select cannot block).
  SyntheticTrace t;
  t.status(0, 1, GoState::Running);
  t.create(1 * ms, 1, 10, t.stack({user("main.main", 30)}), t.start_of("main.worker"));
  t.start(1 * ms, 10);
  t.block(2 * ms, 10, "select", t.select_stack("main.call", 26, "main.worker"));
  t.unblock(10 * ms, 30, 10, t.timer_cancel_stack());
  t.start(10 * ms + 1, 10);
  t.block(10 * ms + 9, 10, "select", t.select_stack("main.call", 26, "main.worker"));
  t.tick(1000 * ms);
  Model m = t.build();
  ASSERT_EQ(m.watchers.size(), 1u);
  EXPECT_EQ(m.watchers[0].at_wake_site_at, 10 * ms + 9);
  EXPECT_EQ(m.watchers[0].left_wait_function_at, -1);
}

TEST(Model, StatusEventsOfPreexistingGoroutines) {
  SyntheticTrace t;
  StackID parked = t.stack({rt("runtime.gopark", "runtime/proc.go", 462), rt("runtime.selectgo", "runtime/select.go", 351),
                            user("main.loop", 12)});
  t.status(0, 5, GoState::Waiting);
  t.status(5 * ms, 5, GoState::Waiting, parked);  // end-of-generation restatement with stack
  Model m = t.build();
  const Goroutine* g = m.find(5);
  ASSERT_NE(g, nullptr);
  EXPECT_EQ(g->created_at, -1);
  EXPECT_EQ(g->state_since, 0);  // a restatement is not a new wait
  EXPECT_EQ(g->state_stack, parked);
  EXPECT_EQ(t.classifier().infer_reason(parked), "select");
}

TEST(Model, IntervalsRecordWakers) {
  CancelScenario s;
  ModelOptions o;
  o.intervals_for = {12};
  Model m = s.t.build(o);
  auto ivs = m.intervals_of(12);
  ASSERT_GE(ivs.size(), 4u);
  EXPECT_EQ(ivs[0]->state, GoState::Runnable);
  EXPECT_EQ(ivs[2]->state, GoState::Waiting);
  EXPECT_EQ(ivs[2]->waker, 1);
  EXPECT_EQ(ivs.back()->end, -1);
  EXPECT_TRUE(m.intervals_of(10).empty());
}

TEST(Model, TestRootsFollowTheCreatorChain) {
  SyntheticTrace t;
  t.status(0, 7, GoState::Running);
  StackID trunner = t.stack({rt("testing.tRunner", "testing/testing.go", 1792)});
  t.create(1 * ms, 7, 8, t.stack({rt("testing.(*T).Run", "testing/testing.go", 1851)}), trunner);
  t.start(1 * ms, 8);
  t.create(2 * ms, 8, 9, t.stack({user("app.TestLeak", 12, "/home/dev/app/a_test.go"),
                                   rt("testing.tRunner", "testing/testing.go", 1792)}),
           t.start_of("app.TestLeak.func1"));
  t.start(2 * ms, 9);
  t.create(3 * ms, 9, 10, t.stack({user("app.helper", 40)}), t.start_of("app.helper.func1"));
  Model m = t.build();
  EXPECT_TRUE(m.test_trace);
  EXPECT_EQ(m.find(8)->kind, GoKind::TestRunner);
  EXPECT_EQ(m.find(9)->test_root, 8);
  EXPECT_EQ(m.find(10)->test_root, 8);
  EXPECT_EQ(t.classifier().test_frame(m.find(9)->creation_stack).function, "app.TestLeak");
}

TEST(Dag, CriticalPathFollowsTheDecidingWakes) {
  // cancel wakes 10; 10 closes a channel that wakes 11; 11 ends last.
  SyntheticTrace t;
  t.status(0, 1, GoState::Running);
  StackID site = t.stack({user("main.main", 30)});
  for (GoID g : {10, 11}) {
    t.create(1 * ms, 1, g, site, t.start_of("main.w"));
    t.start(1 * ms, g);
    t.block(2 * ms, g, "select", t.select_stack("main.w", 5));
  }
  t.unblock(10 * ms, 1, 10, t.cancel_stack());
  t.start(11 * ms, 10);
  t.unblock(12 * ms, 10, 11, t.stack({user("main.w", 8)}));
  t.end(12 * ms + 1, 10);
  t.start(13 * ms, 11);
  t.end(30 * ms, 11);
  Model m = t.build();
  const TerminationDag& d = m.dag;
  EXPECT_TRUE(d.acyclic);
  ASSERT_EQ(d.critical_path.size(), 1u);
  const auto& path = d.critical_path[0];
  ASSERT_EQ(path.size(), 2u);
  EXPECT_EQ(d.edges[path[0]].kind, DagEdge::Cancel);
  EXPECT_EQ(d.node(m, d.edges[path[0]].to).g, 10);
  EXPECT_EQ(d.edges[path[1]].kind, DagEdge::Wake);
  EXPECT_EQ(d.node(m, d.edges[path[1]].to).g, 11);
  for (const DagEdge& e : d.edges) EXPECT_LE(d.node(m, e.from).time, d.node(m, e.to).time);
}

TEST(Dag, AnEndNothingWokeAfterItsCreatorsCancelIsReachedByAnAfterEdge) {
  // G1 starts 10 (watches Done), 11 (sleeps, polls ctx.Err()) and 12 (done before the cancel);
  // G1's cancel wakes 10, which ends at once; 11 wakes from its sleep on its own and ends last.
  SyntheticTrace t;
  t.status(0, 1, GoState::Running);
  StackID site = t.stack({user("main.main", 30)});
  for (GoID g : {10, 11, 12}) {
    t.create(1 * ms, 1, g, site, t.start_of(g == 10 ? "main.watch" : "main.poll"));
    t.start(1 * ms, g);
  }
  t.block(2 * ms, 10, "select", t.select_stack("main.watch", 5));
  t.block(2 * ms, 11, "sleep", t.stack({user("main.poll", 7)}));
  t.end(3 * ms, 12);
  t.unblock(10 * ms, 1, 10, t.cancel_stack());
  t.start(11 * ms, 10);
  t.end(11 * ms + 1, 10);
  t.unblock(52 * ms, trace::kNoGoroutine, 11, 0);  // its timer
  t.start(52 * ms, 11);
  t.end(53 * ms, 11);
  Model m = t.build();
  const TerminationDag& d = m.dag;
  EXPECT_TRUE(d.acyclic);
  int afters = 0;
  for (const DagEdge& e : d.edges) {
    if (e.kind != DagEdge::After) continue;
    ++afters;
    EXPECT_EQ(d.node(m, e.from).kind, DagNode::Cancel);
    EXPECT_EQ(d.node(m, e.to).g, 11);  // not 12: it ended before the cancel
  }
  EXPECT_EQ(afters, 1);
  ASSERT_EQ(d.critical_path.size(), 1u);
  const auto& path = d.critical_path[0];
  ASSERT_EQ(path.size(), 1u);
  EXPECT_EQ(d.edges[path[0]].kind, DagEdge::After);
  EXPECT_EQ(d.node(m, d.edges[path[0]].to).g, 11);
  EXPECT_EQ(to_string(DagEdge::After), "after");
}

// G2 starts worker 10; each of G1's cancels at `cancels` wakes it from its select and it goes
// back to work; then it waits on a receive until G2, which neither ends nor cancels, wakes it at
// 40ms, and it ends last. Nothing traces that wake to a cancel or an end, and G1 did not start it.
Model worker_woken_by_cancels(std::initializer_list<int64_t> cancels) {
  SyntheticTrace t;
  t.status(0, 1, GoState::Running);
  t.status(0, 2, GoState::Running);
  t.create(1 * ms, 2, 10, t.stack({user("main.pool", 30)}), t.start_of("main.worker"));
  t.start(1 * ms, 10);
  int64_t last = 0;
  for (int64_t at : cancels) {
    t.block(at - 5 * ms, 10, "select", t.select_stack("main.worker", 5));
    t.unblock(at, 1, 10, t.cancel_stack("main.main", 40 + at / ms));
    t.start(at + 1 * ms, 10);
    last = at;
  }
  t.block(last + 2 * ms, 10, "chan receive", t.recv_stack("main.worker", 9));
  t.unblock(40 * ms, 2, 10, t.stack({user("main.pool", 44)}));
  t.start(41 * ms, 10);
  t.end(42 * ms, 10);
  t.tick(60 * ms);
  return t.build();
}

TEST(Dag, GoroutineTheCancelWokeThatEndedAfterOtherWakesIsAWokenStep) {
  // One cancel woke it: a Woken edge from that cancel is its shutdown's critical path.
  Model m = worker_woken_by_cancels({10 * ms});
  EXPECT_TRUE(m.dag.acyclic);
  ASSERT_EQ(m.dag.critical_path.size(), 1u);
  ASSERT_EQ(m.dag.critical_path[0].size(), 1u);
  const DagEdge& step = m.dag.edges[m.dag.critical_path[0][0]];
  EXPECT_EQ(step.kind, DagEdge::Woken);
  EXPECT_EQ(m.dag.node(m, step.from).kind, DagNode::Cancel);
  EXPECT_EQ(m.dag.node(m, step.to).g, 10);
  EXPECT_EQ(step.time, 10 * ms);
  EXPECT_EQ(to_string(DagEdge::Woken), "woken");
}

TEST(Dag, LoopThatSeveralCancelsWokeIsNoWokenStep) {
  // Two cancels woke it: it watches a context per call, and its end is neither cancel's.
  Model m = worker_woken_by_cancels({10 * ms, 20 * ms});
  ASSERT_EQ(m.waves.size(), 2u);
  for (const DagEdge& e : m.dag.edges) EXPECT_NE(e.kind, DagEdge::Woken);
}

TEST(Dag, CriticalPathEndsAtTheLastEndThroughAWaitGroupWake) {
  // The demo's shape: the deadline wakes 9 (handle), 10 (fetchPrices) and 11 (flushAudit).
  // 10 ends at once; 9 blocks in wg.Wait; 11 sleeps 120ms (a timer wake: decides nothing),
  // then its wg.Done wakes 9, which ends last.
  SyntheticTrace t;
  t.status(0, 1, GoState::Running);
  StackID site = t.stack({user("main.handle", 68)});
  t.create(1 * ms, 1, 9, t.stack({user("main.main", 87)}), t.start_of("main.handle"));
  t.start(1 * ms, 9);
  for (GoID g : {10, 11}) {
    t.create(1 * ms, 9, g, site, t.start_of(g == 10 ? "main.fetchPrices" : "main.flushAudit"));
    t.start(1 * ms, g);
    t.block(2 * ms, g, "select", t.select_stack(g == 10 ? "main.fetchPrices" : "main.flushAudit", 46));
  }
  t.block(3 * ms, 9, "chan receive", t.recv_stack("main.handle", 74));
  StackID timer = t.timer_cancel_stack();
  t.unblock(100 * ms, 20, 9, timer);
  t.unblock(100 * ms + 1, 20, 10, timer);
  t.unblock(100 * ms + 2, 20, 11, timer);
  t.start(100 * ms + 3, 10);
  t.end(100 * ms + 4, 10);
  t.start(100 * ms + 5, 9);
  t.block(100 * ms + 6, 9, "sync",
          t.stack({rt("sync.(*WaitGroup).Wait", "sync/waitgroup.go", 118), user("main.handle", 75)}));
  t.start(100 * ms + 7, 11);
  t.block(100 * ms + 8, 11, "sleep", t.stack({rt("time.Sleep", "runtime/time.go", 300), user("main.flushAudit", 47)}));
  t.unblock(220 * ms, trace::kNoGoroutine, 11, 0);
  t.start(220 * ms + 1, 11);
  t.unblock(221 * ms, 11, 9,
            t.stack({rt("sync.(*WaitGroup).Done", "sync/waitgroup.go", 90), user("main.flushAudit", 48)}));
  t.end(221 * ms + 1, 11);
  t.start(221 * ms + 2, 9);
  t.end(221 * ms + 20, 9);
  t.tick(1000 * ms);
  Model m = t.build();
  const TerminationDag& d = m.dag;
  EXPECT_TRUE(d.acyclic);
  ASSERT_EQ(d.critical_path.size(), 1u);
  const auto& path = d.critical_path[0];
  ASSERT_EQ(path.size(), 2u);
  EXPECT_EQ(d.edges[path[0]].kind, DagEdge::Cancel);
  EXPECT_EQ(d.node(m, d.edges[path[0]].to).g, 11);
  EXPECT_EQ(d.edges[path[1]].kind, DagEdge::Wake);
  EXPECT_EQ(d.node(m, d.edges[path[1]].to).g, 9);
  EXPECT_EQ(d.node(m, d.edges[path[1]].to).kind, DagNode::End);
}

TEST(Frames, PackageAndPlumbing) {
  EXPECT_EQ(package_of("net/http.(*conn).serve"), "net/http");
  EXPECT_EQ(package_of("main.main.func1"), "main");
  EXPECT_EQ(package_of("github.com/a/b.(*T).M"), "github.com/a/b");
  EXPECT_TRUE(is_plumbing_package("internal/sync"));
  EXPECT_FALSE(is_plumbing_package("net/http"));
  EXPECT_TRUE(is_parking_reason("chan send"));
  EXPECT_TRUE(is_parking_reason("sync.(*Cond).Wait"));
  EXPECT_FALSE(is_parking_reason("sleep"));
  EXPECT_FALSE(is_parking_reason("network"));
}

}  // namespace
}  // namespace ctxtrail::model
