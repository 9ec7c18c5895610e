// Stranded goroutines (diagnose/stranded.h) through the leaked-goroutine rule: the trace-alone
// leak of a long-running program, whose creator lives on. Each leak shape has a correct
// long-lived twin that must stay silent.
#include "diagnose/rule_test_util.h"

namespace ctxtrail::diagnose {
namespace {

using namespace ctxtrail::diagnose::testing;
using model::testing::F;

// main (G1, alive to the end at 1 s) calls main.start at main.go:50, which starts G10
// (main.work) at main.go:35 and returns: main sleeps in main.main from 2 ms on.
struct StartThenReturn {
  SyntheticTrace t = base();
  explicit StartThenReturn(bool returned = true) {
    t.create(1 * ms, 1, 10, t.stack({user("main.start", 35), user("main.main", 50)}), t.start_of("main.work"));
    t.start(1 * ms + 1, 10);
    std::vector<F> main_later{rt("time.Sleep", "runtime/time.go", 363), user("main.main", 52)};
    if (!returned) main_later.insert(main_later.begin() + 1, user("main.start", 37));
    t.block(2 * ms, 1, "sleep", t.stack(main_later));
  }
  StackID lock(const std::string& func, uint64_t line) {
    return t.stack({rt("internal/sync.runtime_SemacquireMutex", "runtime/sema.go", 95),
                    rt("sync.(*Mutex).Lock", "sync/mutex.go", 46), user(func, line)});
  }
  StackID wait_group(const std::string& func, uint64_t line) {
    return t.stack({rt("sync.runtime_SemacquireWaitGroup", "runtime/sema.go", 114),
                    rt("sync.(*WaitGroup).Wait", "sync/waitgroup.go", 118), user(func, line)});
  }
  StackID send(const std::string& func, uint64_t line) {
    return t.stack({rt("runtime.chansend1", "runtime/chan.go", 161), user(func, line)});
  }
  Report run(Options o = {}) {
    t.tick(1000 * ms);
    return testing::run(t, o);
  }
};

std::vector<const Finding*> warnings(const Report& r) {
  std::vector<const Finding*> out;
  for (const Finding* f : of_rule(r, "leaked-goroutine"))
    if (f->severity == Severity::Warning) out.push_back(f);
  return out;
}

TEST(Stranded, ALockWaitWhoseStarterReturnedIsAWarning) {
  StartThenReturn s;
  s.t.block(3 * ms, 10, "sync", s.lock("main.work", 45));
  Report r = s.run();
  auto f = of_rule(r, "leaked-goroutine");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0]->severity, Severity::Warning);
  EXPECT_FALSE(f[0]->proven);
  EXPECT_EQ(f[0]->goroutines, (std::vector<GoID>{10}));
  EXPECT_TRUE(has_loc(*f[0], role::kBlock, 45));
  EXPECT_TRUE(has_loc(*f[0], role::kCreation, 35));
  EXPECT_NE(f[0]->message.find("main.start, the function of G1 (main.main) that started it, has returned"),
            std::string::npos)
      << f[0]->message;
  EXPECT_EQ(r.findings.size(), 1u);
}

TEST(Stranded, NotWhileTheStarterStillRunsInItsCreator) {
  StartThenReturn s(/*returned=*/false);  // main sleeps inside main.start: it may still unlock
  s.t.block(3 * ms, 10, "sync", s.lock("main.work", 45));
  EXPECT_TRUE(s.run().findings.empty());
}

TEST(Stranded, NotBeforeStuckAfter) {
  StartThenReturn s;
  s.t.block(3 * ms, 10, "sync", s.lock("main.work", 45));
  Options given;
  given.grace_given = true;
  given.grace_ns = 2000 * ms;  // longer than the trace
  EXPECT_TRUE(s.run(given).findings.empty());
}

TEST(Stranded, NotAnIdleReceiveNobodyEverWokeAWorkerOrAShutdownWatcher) {
  // A pool worker not handed work yet, a janitor on a long ticker, `<-quit`: the same trace as
  // a receive nobody will ever satisfy, so no finding.
  StartThenReturn s;
  s.t.block(3 * ms, 10, "chan receive", s.t.recv_stack("main.work", 45));
  EXPECT_TRUE(s.run().findings.empty());
}

TEST(Stranded, NotAPoolWorkerBackAtItsWaitForWork) {
  // Fed by short-lived goroutines (a request's handler) that have ended: it waits again where it
  // was woken before, so the next one may feed it.
  StartThenReturn s;
  StackID wait = s.t.recv_stack("main.work", 45);
  s.t.block(3 * ms, 10, "chan receive", wait);
  s.t.create(4 * ms, 1, 20, s.t.stack({user("main.main", 55)}), s.t.start_of("main.handle"));
  s.t.start(5 * ms, 20);
  s.t.unblock(6 * ms, 20, 10, s.t.stack({rt("runtime.chansend1", "runtime/chan.go", 161), user("main.handle", 70)}));
  s.t.end(7 * ms, 20);
  s.t.start(8 * ms, 10);
  s.t.block(9 * ms, 10, "chan receive", wait);
  EXPECT_TRUE(s.run().findings.empty());
}

TEST(Stranded, AReceiveAtANewLineAfterItsLastWakerEndedIsAWarning) {
  // The same, but it now waits at another line (for a reply the ended goroutine never sends).
  StartThenReturn s;
  s.t.block(3 * ms, 10, "chan receive", s.t.recv_stack("main.work", 45));
  s.t.create(4 * ms, 1, 20, s.t.stack({user("main.main", 55)}), s.t.start_of("main.handle"));
  s.t.start(5 * ms, 20);
  s.t.unblock(6 * ms, 20, 10, s.t.stack({rt("runtime.chansend1", "runtime/chan.go", 161), user("main.handle", 70)}));
  s.t.end(7 * ms, 20);
  s.t.start(8 * ms, 10);
  s.t.block(9 * ms, 10, "chan receive", s.t.recv_stack("main.work", 48));
  Report r = s.run();
  auto f = warnings(r);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0]->goroutines, (std::vector<GoID>{10}));
  EXPECT_TRUE(has_loc(*f[0], role::kBlock, 48));
  EXPECT_NE(f[0]->message.find("G20 (main.handle), which ended"), std::string::npos) << f[0]->message;
}

TEST(Stranded, NotASendWhoseLastWakerStillRuns) {
  // Its consumer (G20) took from it before and is busy (running) at the end: it may take again.
  StartThenReturn s;
  s.t.create(1 * ms + 500, 1, 20, s.t.stack({user("main.main", 51)}), s.t.start_of("main.consume"));
  s.t.block(3 * ms, 10, "chan send", s.send("main.work", 45));
  s.t.start(4 * ms, 20);
  s.t.unblock(5 * ms, 20, 10, s.t.stack({rt("runtime.chanrecv1", "runtime/chan.go", 509), user("main.consume", 80)}));
  s.t.start(6 * ms, 10);
  s.t.block(7 * ms, 10, "chan send", s.send("main.work", 45));
  EXPECT_TRUE(s.run().findings.empty());
  // Once that consumer has ended, nothing is left to receive.
  StartThenReturn gone;
  gone.t.create(1 * ms + 500, 1, 20, gone.t.stack({user("main.main", 51)}), gone.t.start_of("main.consume"));
  gone.t.block(3 * ms, 10, "chan send", gone.send("main.work", 45));
  gone.t.start(4 * ms, 20);
  gone.t.unblock(5 * ms, 20, 10,
                 gone.t.stack({rt("runtime.chanrecv1", "runtime/chan.go", 509), user("main.consume", 80)}));
  gone.t.start(6 * ms, 10);
  gone.t.block(7 * ms, 10, "chan send", gone.send("main.work", 45));
  gone.t.end(8 * ms, 20);
  Report r = gone.run();
  auto f = warnings(r);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0]->goroutines, (std::vector<GoID>{10}));
}

TEST(Stranded, NotAJanitorWokenOnlyByItsTicker) {
  // Timer wakes decide nothing: the janitor's last waker is no goroutine, and it waits at the
  // select it was woken from.
  StartThenReturn s;
  StackID sel = s.t.select_stack("main.work", 45);
  s.t.block(3 * ms, 10, "select", sel);
  s.t.unblock(300 * ms, trace::kNoGoroutine, 10, 0);
  s.t.start(300 * ms + 1, 10);
  s.t.block(300 * ms + 2, 10, "select", sel);
  EXPECT_TRUE(s.run().findings.empty());
}

// G10 waits on a WaitGroup for the goroutines it started at main.go:60 (G30, G31).
void wait_for_children(StartThenReturn& s, const std::string& child_reason, StackID child_wait) {
  for (GoID c : {30, 31}) {
    s.t.create(3 * ms, 10, c, s.t.stack({user("main.work", 60)}), s.t.start_of("main.work.func1"));
    s.t.start(3 * ms + c, c);
    s.t.block(3 * ms + c + 1, c, child_reason, child_wait);
  }
  s.t.block(4 * ms, 10, "sync", s.wait_group("main.work", 62));
}

TEST(Stranded, NotAPoolCloserWaitingForIdleWorkers) {
  // `go func() { wg.Wait(); close(out) }()` over workers idle at their receive.
  StartThenReturn s;
  wait_for_children(s, "chan receive", s.t.recv_stack("main.work.func1", 64));
  EXPECT_TRUE(s.run().findings.empty());
}

TEST(Stranded, AWaitGroupOverStrandedWorkersAndTheWorkersAreWarnings) {
  // The workers wait for a lock for good; their creator G10 is parked for good in main.work
  // (the function that started them) waiting for them: all three are stranded.
  StartThenReturn s;
  wait_for_children(s, "sync", s.lock("main.work.func1", 64));
  Report r = s.run();
  auto f = warnings(r);
  std::set<GoID> named;
  for (const Finding* x : f) named.insert(x->goroutines.begin(), x->goroutines.end());
  EXPECT_EQ(named, (std::set<GoID>{10, 30, 31}));
  bool waiter_says_why = false;
  for (const Finding* x : f)
    if (x->goroutines == std::vector<GoID>{10})
      waiter_says_why = x->message.find("one of the goroutines it waits for, is stranded too") != std::string::npos;
  EXPECT_TRUE(waiter_says_why);
}

TEST(Stranded, AWaitGroupOverStrandedSiblings) {
  // main.start also started G11, which waits for a lock for good, and G12, which waits on a
  // WaitGroup that G11 (its sibling: the same function started both) would have marked done.
  StartThenReturn s;
  s.t.block(3 * ms, 10, "chan receive", s.t.recv_stack("main.work", 45));  // idle: no evidence
  for (GoID g : {11, 12}) {
    s.t.create(1 * ms + g, 1, g, s.t.stack({user("main.start", 36), user("main.main", 50)}),
               s.t.start_of("main.start.func1"));
    s.t.start(1 * ms + g + 1, g);
  }
  s.t.block(3 * ms, 11, "sync", s.lock("main.start.func1", 40));
  s.t.block(3 * ms, 12, "sync", s.wait_group("main.start.func1", 41));
  // A GC mark worker that main.start's allocation started, busy at the end: not a sibling.
  s.t.create(1 * ms + 20, 1, 13, s.t.stack({user("main.start", 37), user("main.main", 50)}),
             s.t.stack({rt("runtime.gcBgMarkWorker", "runtime/mgc.go", 1750)}));
  s.t.start(999 * ms, 13);
  Report r = s.run();
  std::set<GoID> named;
  for (const Finding* x : warnings(r)) named.insert(x->goroutines.begin(), x->goroutines.end());
  EXPECT_EQ(named, (std::set<GoID>{11, 12}));
}

TEST(Stranded, NotUnderAnEndedTestWhichSaysItBetter) {
  // A go test trace: the test's own rule (an error) names it, once.
  SyntheticTrace t;
  test_starts_worker(t, 8, 30, "app.TestLeak", 12, "app.TestLeak.func1");
  t.block(2 * ms + 20, 30, "sync",
          t.stack({rt("sync.(*Mutex).Lock", "sync/mutex.go", 46), user("app.TestLeak.func1", 14)}));
  t.end(3 * ms, 8);
  t.tick(8 * ms);
  const Report r = run(t);  // of_rule points into it
  auto f = of_rule(r, "leaked-goroutine");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0]->severity, Severity::Error);
  EXPECT_TRUE(has_loc(*f[0], role::kTest, 12));
}

// Leaks started by a leak (GoKer's Cockroach1055): the kernel's goroutine G4 starts G5, which
// starts two workers and a stopper, then waits for the stopper for good; G4 returns. G5 leaks
// (its creator ended); the workers wait on a channel only G5's stopper would close, and the
// stopper on a WaitGroup only the workers would release: each is a leak of its own.
TEST(Stranded, TheGoroutinesALeakedGoroutineStartedAreLeaksToo) {
  SyntheticTrace t = base();
  t.create(1 * ms, 1, 4, t.stack({user("main.main", 30)}), t.start_of("main.kernel"));
  t.start(1 * ms + 1, 4);
  t.create(2 * ms, 4, 5, t.stack({user("main.kernel", 86)}), t.start_of("main.kernel.func1"));
  t.start(2 * ms + 1, 5);
  for (GoID w : {6, 7}) {
    t.create(3 * ms, 5, w, t.stack({user("main.kernel.func1", 94)}), t.start_of("main.kernel.func1.1"));
    t.start(3 * ms + 1, w);
    t.block(4 * ms, w, "chan receive", t.recv_stack("main.kernel.func1.1", 96));
  }
  t.create(3 * ms + 2, 5, 8, t.stack({user("main.kernel.func1", 102)}), t.start_of("main.kernel.func1.2"));
  t.start(3 * ms + 3, 8);
  t.block(4 * ms, 8, "sync",
          t.stack({rt("sync.runtime_SemacquireWaitGroup", "runtime/sema.go", 114),
                   rt("sync.(*WaitGroup).Wait", "sync/waitgroup.go", 118), user("main.kernel.func1.2", 107)}));
  t.block(4 * ms, 5, "chan receive", t.recv_stack("main.kernel.func1", 112));
  t.end(5 * ms, 4);
  t.tick(1000 * ms);
  Report r = run(t);
  auto f = of_rule(r, "leaked-goroutine");
  std::set<GoID> named;
  for (const Finding* x : f) named.insert(x->goroutines.begin(), x->goroutines.end());
  EXPECT_EQ(named, (std::set<GoID>{5, 6, 7, 8}));
  for (const Finding* x : f) {
    if (x->goroutines.front() == 6) {
      EXPECT_NE(x->message.find("is a leak too"), std::string::npos) << x->message;
    }
  }
}

TEST(Stranded, NotTheIdleWorkersOfALiveGoroutine) {
  // The same, but G5 lives on at its receive under a live creator: its workers are idle.
  SyntheticTrace t = base();
  t.create(2 * ms, 1, 5, t.stack({user("main.main", 86)}), t.start_of("main.kernel.func1"));
  t.start(2 * ms + 1, 5);
  for (GoID w : {6, 7}) {
    t.create(3 * ms, 5, w, t.stack({user("main.kernel.func1", 94)}), t.start_of("main.kernel.func1.1"));
    t.start(3 * ms + 1, w);
    t.block(4 * ms, w, "chan receive", t.recv_stack("main.kernel.func1.1", 96));
  }
  t.block(4 * ms, 5, "chan receive", t.recv_stack("main.kernel.func1", 112));
  t.tick(1000 * ms);
  EXPECT_TRUE(of_rule(run(t), "leaked-goroutine").empty());
}

}  // namespace
}  // namespace ctxtrail::diagnose
