#include "ctxtrail/model/snapshot_join.h"
#include "diagnose/rule_test_util.h"

namespace ctxtrail::diagnose {
namespace {

using namespace ctxtrail::diagnose::testing;

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

// time.AfterFunc's callback: started by the runtime's timer, no goroutine owns it.
TEST(LeakedGoroutine, ATimeAfterFuncCallbackParkedForGoodIsAWarning) {
  SyntheticTrace t = base();
  t.create(10 * ms, trace::kNoGoroutine, 30, 0, t.start_of("main.(*conn).expire.func1"));
  t.start(10 * ms + 1, 30);
  t.block(11 * ms, 30, "sync",
          t.stack({rt("internal/sync.runtime_SemacquireMutex", "runtime/sema.go", 95),
                   rt("sync.(*Mutex).Lock", "sync/mutex.go", 46), user("main.(*conn).expire.func1", 79)}));
  t.tick(1000 * ms);
  Report r = run(t);
  auto f = of_rule(r, "leaked-goroutine");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NE(f[0]->message.find("time.AfterFunc"), std::string::npos) << f[0]->message;
  EXPECT_EQ(f[0]->severity, Severity::Warning);
  EXPECT_TRUE(has_loc(*f[0], role::kBlock, 79));
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

// leak_from_helper, with one more goroutine of the helper's, G40, running to the end: it may yet
// receive, so the leak waits for the grace (last_grace.h).
void leak_beside_a_busy_sibling(SyntheticTrace& t, int64_t creator_end) {
  t.create(1 * ms, 1, 5, t.stack({user("main.main", 30)}), t.start_of("main.fetch"));
  t.start(1 * ms, 5);
  t.create(2 * ms, 5, 20, t.stack({user("main.fetch", 61)}), t.start_of("main.fetch.func1"));
  t.create(2 * ms, 5, 40, t.stack({user("main.fetch", 66)}), t.start_of("main.fetch.func2"));
  t.start(3 * ms, 20);
  t.start(3 * ms, 40);
  t.block(3 * ms, 20, "chan send", t.stack({rt("runtime.chansend1", "runtime/chan.go", 161), user("main.fetch.func1", 63)}));
  t.end(creator_end, 5);
}

TEST(LeakedGoroutine, InAShortTraceAQuarterOfItIsEnough) {
  // A 60 ms run: the helper returned at 10 ms, its sender stays parked for 50 ms.
  SyntheticTrace t = base();
  leak_beside_a_busy_sibling(t, 10 * ms);
  t.tick(60 * ms);
  EXPECT_EQ(of_rule(run(t), "leaked-goroutine").size(), 1u);
  Options given;  // unless --grace says otherwise
  given.grace_given = true;
  EXPECT_TRUE(run(t, given).findings.empty());
  // Parked for less than a quarter of the trace: not yet.
  SyntheticTrace late = base();
  leak_beside_a_busy_sibling(late, 50 * ms);
  late.tick(60 * ms);
  EXPECT_TRUE(run(late).findings.empty());
}

TEST(LeakedGoroutine, NotUnderALiveCreator) {
  SyntheticTrace t = base();
  // Idle pool worker of the (live) main goroutine.
  t.create(1 * ms, 1, 9, t.stack({user("main.main", 30)}), t.start_of("main.poolWorker"));
  t.start(1 * ms, 9);
  t.block(2 * ms, 9, "chan receive", t.recv_stack("main.poolWorker", 80));
  t.tick(1000 * ms);
  EXPECT_TRUE(run(t).findings.empty());
}

TEST(LeakedGoroutine, ACreatorEndedWithinTheGraceLeavesALeakWhenNothingAliveCanWakeIt) {
  // The helper returned at 900 ms, 100 ms before the end: its sender, parked since 3 ms, has
  // no sibling, child or waker left (last_grace.h).
  SyntheticTrace t = base();
  leak_from_helper(t, 1, 900 * ms);
  t.tick(1000 * ms);
  Report r = run(t);
  auto f = of_rule(r, "leaked-goroutine");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NE(f[0]->message.find("the trace ends within the grace, but nothing alive could wake it"), std::string::npos)
      << f[0]->message;
}

TEST(LeakedGoroutine, TheSameWhileAGoroutineThatWokeItRuns) {
  SyntheticTrace t = base();
  leak_from_helper(t, 1, 900 * ms);
  // G40, running to the end, woke it once (a consumer that took an earlier value).
  t.create(1 * ms, 1, 40, t.stack({user("main.main", 31)}), t.start_of("main.consume"));
  t.start(1 * ms + 1, 40);
  StackID send = t.stack({rt("runtime.chansend1", "runtime/chan.go", 161), user("main.fetch.func1", 63)});
  t.unblock(950 * ms, 40, 20, t.stack({user("main.consume", 71)}));
  t.start(950 * ms + 1, 20);
  t.block(950 * ms + 2, 20, "chan send", send);
  t.tick(1000 * ms);
  EXPECT_TRUE(of_rule(run(t), "leaked-goroutine").empty());
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

// A library's goroutine (its `go` statement in the module cache) leaked by the program's call:
// the finding names both lines, the library's as creation and the program's as caller.
TEST(LeakedGoroutine, ALibrarysGoStatementNamesTheProgramsCallToo) {
  SyntheticTrace t = base();
  t.create(1 * ms, 1, 5, t.stack({user("main.main", 30)}), t.start_of("main.setup"));
  t.start(1 * ms + 1, 5);
  t.create(2 * ms, 5, 10,
           t.stack({user("example.com/cache.runJanitor", 99, "/root/go/pkg/mod/example.com/cache@v1.0.0/cache.go"),
                    user("example.com/cache.New", 80, "/root/go/pkg/mod/example.com/cache@v1.0.0/cache.go"),
                    user("main.setup", 12)}),
           t.start_of("example.com/cache.(*janitor).Run"));
  t.start(2 * ms + 1, 10);
  t.block(2 * ms + 2, 10, "chan receive", t.recv_stack("example.com/cache.(*janitor).Run", 70));
  t.end(3 * ms, 5);
  t.tick(1000 * ms);
  Report r = run(t);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_TRUE(has_loc(r.findings[0], role::kCreation, 99));
  EXPECT_TRUE(has_loc(r.findings[0], role::kCaller, 12));
}

// A go test trace: TestLeak (G8) starts G30 at a_test.go:12; the test ends at 3ms.
struct OneTest {
  SyntheticTrace t;
  StackID trunner;
  OneTest() {
    t.status(0, 1, GoState::Running);  // testing.(*M).Run on main
    trunner = t.stack({rt("testing.tRunner", "testing/testing.go", 1792)});
    t.create(1 * ms, 1, 8, t.stack({rt("testing.(*T).Run", "testing/testing.go", 1851)}), trunner);
    t.start(1 * ms, 8);
    t.create(2 * ms, 8, 30, t.stack({user("app.TestLeak", 12, "/home/dev/app/a_test.go"),
                                     rt("testing.tRunner", "testing/testing.go", 1792)}),
             t.start_of("app.TestLeak.func1"));
    t.start(2 * ms + 10, 30);
  }
};

// trailtest's failing check writes the trace from the test's cleanup: the test goroutine is
// alive at the trace's end, but it parked (a sleep) without the test function on its stack,
// so the test had returned: G30, waiting on a channel nobody closes since before, outlived it.
TEST(LeakedGoroutine, OutlivesItsTestWhoseGoroutineIsStillInItsCleanup) {
  auto cleanup = [](SyntheticTrace& t) {
    return t.stack({rt("time.Sleep", "runtime/time.go", 300),
                    user("github.com/ctxtrail/ctxtrail/go/trailtest.VerifyNoLeaks.func1", 170,
                         "/root/go/pkg/mod/trailtest/trailtest.go"),
                    rt("testing.(*common).runCleanup", "testing/testing.go", 1490),
                    rt("testing.tRunner", "testing/testing.go", 1792)});
  };
  OneTest o;
  o.t.block(2 * ms + 20, 30, "chan receive", o.t.recv_stack("app.TestLeak.func1", 14));
  o.t.block(3 * ms, 8, "sleep", cleanup(o.t));
  o.t.unblock(4 * ms, trace::kNoGoroutine, 8, 0);
  o.t.start(4 * ms + 1, 8);
  o.t.tick(4 * ms + 500'000);
  Options opt;
  opt.grace_ns = 500'000;
  opt.grace_given = true;
  const Report r = run(o.t, opt);
  const auto leaked = of_rule(r, "leaked-goroutine");
  ASSERT_EQ(leaked.size(), 1u);
  EXPECT_EQ(leaked[0]->goroutines, std::vector<GoID>{30});
  EXPECT_NE(leaked[0]->message.find("app.TestLeak"), std::string::npos);
  EXPECT_NE(leaked[0]->message.find("its function returned at"), std::string::npos);
  // Its function returned, but it waits for a parallel subtest, which may use G30: not ended.
  OneTest parent;
  parent.t.create(2 * ms + 30, 8, 9, parent.t.stack({rt("testing.(*T).Run", "testing/testing.go", 1851)}),
                  parent.trunner);
  parent.t.start(2 * ms + 40, 9);
  parent.t.block(2 * ms + 50, 30, "chan receive", parent.t.recv_stack("app.TestLeak.func1", 14));
  parent.t.block(3 * ms, 8, "sleep", cleanup(parent.t));
  parent.t.tick(4 * ms + 500'000);
  EXPECT_TRUE(of_rule(run(parent.t, opt), "leaked-goroutine").empty());
  // Still in the test function (parked in it): not ended, nothing to say yet.
  OneTest running;
  running.t.block(2 * ms + 20, 30, "chan receive", running.t.recv_stack("app.TestLeak.func1", 14));
  running.t.block(3 * ms, 8, "sleep", running.t.stack({rt("time.Sleep", "runtime/time.go", 300),
                                                        user("app.TestLeak", 13, "/home/dev/app/a_test.go"),
                                                        rt("testing.tRunner", "testing/testing.go", 1792)}));
  running.t.tick(4 * ms + 500'000);
  EXPECT_TRUE(of_rule(run(running.t, opt), "leaked-goroutine").empty());
}

// puddle's constructor: parked through the end of its test, it ends 0.9s later when the test's
// own timeout channel fires. It lingered; nothing of a later test had to end it.
TEST(LeakedGoroutine, EndedLaterByItsOwnTimerIsNoLeak) {
  OneTest o;
  o.t.block(2 * ms + 20, 30, "select", o.t.select_stack("app.TestLeak.func1", 14));
  o.t.end(3 * ms, 8);
  o.t.unblock(900 * ms, trace::kNoGoroutine, 30, 0);  // its timer
  o.t.start(900 * ms + 1, 30);
  o.t.end(900 * ms + 2, 30);
  o.t.tick(2000 * ms);
  EXPECT_TRUE(run(o.t).findings.empty()) << run(o.t).findings.front().message;
}

// The same goroutine ended by a goroutine of a later test is the earlier test's leak.
TEST(LeakedGoroutine, EndedLaterByAnotherTestIsALeak) {
  OneTest o;
  o.t.block(2 * ms + 20, 30, "select", o.t.select_stack("app.TestLeak.func1", 14));
  o.t.end(3 * ms, 8);
  o.t.create(4 * ms, 1, 9, o.t.stack({rt("testing.(*T).Run", "testing/testing.go", 1851)}), o.trunner);
  o.t.start(4 * ms, 9);
  o.t.unblock(900 * ms, 9, 30, o.t.stack({user("app.TestLater", 40, "/home/dev/app/a_test.go")}));
  o.t.start(900 * ms + 1, 30);
  o.t.end(900 * ms + 2, 30);
  o.t.end(901 * ms, 9);
  o.t.tick(2000 * ms);
  const Report r = run(o.t);
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].goroutines, std::vector<GoID>{30});
}

// fasthttp's server workers: after the test they only wait on network reads, and end when the
// client's keep-alive connection hits its idle timeout (a netpoller wake, no goroutine's).
TEST(LeakedGoroutine, EndedOnItsOwnIoAfterTheTestIsNoLeak) {
  OneTest o;
  const StackID read = o.t.stack({rt("internal/poll.(*FD).Read", "internal/poll/fd_unix.go", 165),
                                  user("app.(*worker).serve", 60, "/home/dev/app/server.go")});
  o.t.block(2 * ms + 20, 30, "network", read);
  o.t.end(3 * ms, 8);
  o.t.unblock(10'000 * ms, trace::kNoGoroutine, 30, 0);  // the netpoller: the connection closed
  o.t.start(10'000 * ms + 1, 30);
  o.t.end(10'000 * ms + 2, 30);
  o.t.tick(11'000 * ms);
  EXPECT_TRUE(run(o.t).findings.empty()) << run(o.t).findings.front().message;
}

// A process-wide worker made on first use under a sync.Once belongs to no test.
TEST(LeakedGoroutine, AGoroutineStartedUnderASyncOnceIsTheTestsShared) {
  for (bool once : {true, false}) {
    OneTest o;
    std::vector<model::testing::F> creation{user("app.startWorker", 31, "/home/dev/app/func.go")};
    if (once) creation.push_back(rt("sync.(*Once).doSlow", "sync/once.go", 78));
    creation.push_back(user("app.TestLeak", 12, "/home/dev/app/a_test.go"));
    o.t.create(2 * ms + 15, 8, 31, o.t.stack(creation), o.t.start_of("app.worker"));
    o.t.start(2 * ms + 16, 31);
    o.t.block(2 * ms + 17, 31, "chan receive", o.t.recv_stack("app.worker", 54));
    o.t.block(2 * ms + 20, 30, "chan receive", o.t.recv_stack("app.TestLeak.func1", 14));
    o.t.end(3 * ms, 8);
    o.t.tick(2000 * ms);
    const Report r = run(o.t);
    size_t worker_findings = 0;
    for (const Finding& f : r.findings)
      worker_findings += std::count(f.goroutines.begin(), f.goroutines.end(), GoID{31});
    EXPECT_EQ(worker_findings, once ? 0u : 1u) << once;
    EXPECT_FALSE(r.findings.empty());  // G30 is TestLeak's own leak either way
  }
}

// A goroutine made after the test ended (by one the test left behind) did not outlive the test.
TEST(LeakedGoroutine, MadeAfterItsTestEndedItDidNotOutliveIt) {
  OneTest o;
  o.t.end(3 * ms, 8);
  o.t.create(900 * ms, 30, 31, o.t.stack({user("app.TestLeak.func1", 16, "/home/dev/app/a_test.go")}),
             o.t.start_of("app.collector"));
  o.t.start(900 * ms + 1, 31);
  o.t.block(900 * ms + 2, 31, "chan receive", o.t.recv_stack("app.collector", 20));
  o.t.block(900 * ms + 3, 30, "chan receive", o.t.recv_stack("app.TestLeak.func1", 14));
  o.t.tick(3000 * ms);
  const Report r = run(o.t);
  for (const Finding& f : r.findings) {
    if (std::count(f.goroutines.begin(), f.goroutines.end(), GoID{31})) {
      EXPECT_EQ(f.message.find("outlived the test"), std::string::npos) << f.message;
    }
  }
}

// net/rpc's TestShutdown, the binary's last test: its server goroutine waits in wg.Wait for the
// call goroutine it started, which is still writing the reply when the trace stops.
TEST(LeakedGoroutine, TheLastTestsGoroutineWaitingOnARunningChildIsNoLeak) {
  for (bool child_alive : {true, false}) {
    OneTest o;
    o.t.create(2 * ms + 15, 30, 31, o.t.stack({user("app.serve", 80, "/home/dev/app/server.go")}),
               o.t.start_of("app.call"));
    const StackID wait = o.t.stack({rt("sync.(*WaitGroup).Wait", "sync/waitgroup.go", 206),
                                    user("app.serve", 84, "/home/dev/app/server.go")});
    o.t.block(2 * ms + 20, 30, "sync", wait);
    o.t.start(2 * ms + 30, 31);
    if (!child_alive) o.t.end(2 * ms + 40, 31);
    o.t.end(3 * ms, 8);
    o.t.tick(3 * ms + 200'000);
    const Report r = run(o.t);
    if (child_alive) {
      EXPECT_TRUE(r.findings.empty()) << r.findings.front().message;
    } else {
      ASSERT_EQ(r.findings.size(), 1u);  // nothing alive can call wg.Done()
      EXPECT_EQ(r.findings[0].goroutines, std::vector<GoID>{30});
    }
  }
}

}  // namespace
}  // namespace ctxtrail::diagnose

namespace ctxtrail::diagnose {
namespace {

using namespace ctxtrail::diagnose::testing;

// main (alive) starts G10, asleep at main.go:13 when the trace ends; the leak profile's dump,
// taken later, finds it blocked for good on a send at main.go:14.
struct SleeperThenLeak {
  SyntheticTrace t = base();
  snapshot::Snapshot dump;
  model::Model m;
  SleeperThenLeak() {
    t.create(1 * ms, 1, 10, t.stack({user("main.fetch", 12)}), t.start_of("main.fetch.func1"));
    t.start(1 * ms + 1, 10);
    t.block(1 * ms + 2, 10, "sleep", t.stack({rt("time.Sleep", "runtime/time.go", 363), user("main.fetch.func1", 13)}));
    t.tick(5 * ms);
    snapshot::Goroutine g;
    g.id = 10;
    g.leaked = true;
    g.state = "chan send";
    g.frames = {{"runtime.chansend1", "/usr/local/go/src/runtime/chan.go", 161},
                {"main.fetch.func1", "/home/dev/app/main.go", 14}};
    dump.goroutines = {g};
    m = t.build();
    model::join_snapshot(m, t.classifier(), dump);
  }
};

TEST(LeakedGoroutine, AProvenLeakIsAnErrorThatSaysWhereTheDumpFoundIt) {
  SleeperThenLeak s;
  Report r = diagnose(s.m, s.t.classifier(), Options{});
  auto f = of_rule(r, "leaked-goroutine");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_TRUE(f[0]->proven);
  EXPECT_EQ(f[0]->severity, Severity::Error);
  EXPECT_EQ(f[0]->goroutines, (std::vector<GoID>{10}));
  EXPECT_NE(f[0]->message.find("finds it blocked on chan send at main.go:14"), std::string::npos) << f[0]->message;
  ASSERT_FALSE(f[0]->locations.empty());
  EXPECT_EQ(f[0]->locations[0].role, role::kBlock);
  EXPECT_EQ(f[0]->locations[0].where.line, 14u);
  EXPECT_TRUE(has_loc(*f[0], role::kCreation, 12));
}

TEST(LeakedGoroutine, WithoutTheProfileASleeperUnderALiveCreatorIsNoFinding) {
  SleeperThenLeak s;
  model::Model plain = s.t.build();
  Report r = diagnose(plain, s.t.classifier(), Options{});
  EXPECT_TRUE(of_rule(r, "leaked-goroutine").empty());
}

}  // namespace
}  // namespace ctxtrail::diagnose
