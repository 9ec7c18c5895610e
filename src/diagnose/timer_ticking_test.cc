// Goroutines that tick forever (diagnose/timer_ticking.h) through the leaked-goroutine rule: a
// janitor whose owner is gone wakes only on its ticker. Its correct twins stay silent: the ticker
// stopped and the goroutine returned, the owner alive, another goroutine still using it.
#include "diagnose/rule_test_util.h"
#include "diagnose/timer_ticking.h"

namespace ctxtrail::diagnose {
namespace {

using namespace ctxtrail::diagnose::testing;

// main (G1) starts G5 (main.newCache) at 1 ms, which starts the janitor G10 at cache.go:99 and
// ends at `owner_end`; the janitor waits in select at cache.go:80 and its ticker wakes it every
// 2 ms from 2 ms to `last_tick` (no goroutine wakes it: a timer channel's send).
struct Janitor {
  SyntheticTrace t = base();
  StackID wait;
  Janitor(int64_t owner_end, int64_t last_tick, GoID creator_of_owner = 1) {
    t.create(1 * ms, creator_of_owner, 5, t.stack({user("main.main", 30)}), t.start_of("main.newCache"));
    t.start(1 * ms + 1, 5);
    t.create(1 * ms + 2, 5, 10, t.stack({user("cache.runJanitor", 99, "/home/dev/cache/cache.go"), user("main.newCache", 12)}),
             t.start_of("cache.(*janitor).Run"));
    t.start(1 * ms + 3, 10);
    wait = t.select_stack("cache.(*janitor).Run", 80);
    t.block(1 * ms + 4, 10, "select", wait);
    bool ended = owner_end < 0;
    for (int64_t at = 2 * ms; at <= last_tick; at += 2 * ms) {
      if (!ended && at > owner_end) {
        t.end(owner_end, 5);
        ended = true;
      }
      tick_at(at);
    }
    if (!ended) t.end(owner_end, 5);
  }
  void tick_at(int64_t at) {
    t.unblock(at, trace::kNoGoroutine, 10, 0);
    t.start(at + 1, 10);
    t.block(at + 2, 10, "select", wait);
  }
  Report run(int64_t end = 40 * ms) {
    t.tick(end);
    return testing::run(t);
  }
};

TEST(TimerTicking, AJanitorWhoseOwnerEndedTicksForever) {
  Janitor j(3 * ms, 38 * ms);
  Report r = j.run();
  auto f = of_rule(r, "leaked-goroutine");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0]->goroutines, (std::vector<GoID>{10}));
  EXPECT_EQ(f[0]->severity, Severity::Error);
  // Ticks at 4, 6, ..., 38 ms: 18 after its owner ended at 3 ms.
  EXPECT_NE(f[0]->message.find("ticks forever: woke 18 times on its timer since its creator G5 (main.newCache) ended at"),
            std::string::npos)
      << f[0]->message;
  EXPECT_TRUE(has_loc(*f[0], role::kBlock, 80));
  EXPECT_TRUE(has_loc(*f[0], role::kCreation, 99));
  EXPECT_EQ(r.findings.size(), 1u);
}

TEST(TimerTicking, TheModelCountsTimerWakesAfterTheOwnerEnded) {
  Janitor j(3 * ms, 38 * ms);
  j.t.tick(40 * ms);
  model::Model m = j.t.build();
  const model::Goroutine* g = m.find(10);
  ASSERT_NE(g, nullptr);
  EXPECT_EQ(m.timers_of(*g).count, 19u);
  EXPECT_EQ(m.timers_of(*g).after_owner, 18u);
  EXPECT_EQ(m.timers_of(*g).first_after_owner, 4 * ms);
  EXPECT_EQ(m.timers_of(*g).last, 38 * ms);
}

// x/net/http2's TestTransportCancelDataResponseRace: a handler writes 50 chunks 10ms apart
// after its connection closed, and the trace ends mid-loop. A bounded sleep loop and a poller
// look alike in a trace: only a goroutine parked on a timer channel (a ticker) is said to tick.
TEST(TimerTicking, ASleepLoopCutByTheTraceEndIsSilent) {
  SyntheticTrace t = base();
  t.create(1 * ms, 1, 5, t.stack({user("main.main", 30)}), t.start_of("main.serve"));
  t.start(1 * ms + 1, 5);
  t.create(1 * ms + 2, 5, 10, t.stack({user("main.serve", 12)}), t.start_of("main.handler"));
  t.start(1 * ms + 3, 10);
  const StackID sleep = t.stack({rt("time.Sleep", "runtime/time.go", 363), user("main.handler", 54)});
  t.block(1 * ms + 4, 10, "sleep", sleep);
  t.end(2 * ms + 500, 5);
  for (int64_t at = 3 * ms; at <= 38 * ms; at += 2 * ms) {
    t.unblock(at, trace::kNoGoroutine, 10, 0);
    t.start(at + 1, 10);
    t.block(at + 2, 10, "sleep", sleep);
  }
  t.tick(40 * ms);
  const Report r = testing::run(t);
  EXPECT_TRUE(r.findings.empty()) << r.findings.front().message;
}

// A keep-alive connection's goroutine (G5, alive) serves `calls` requests; each handler call
// makes a cache whose janitor ranges over its ticker (no stop channel), returns, and the
// connection waits for the next request. Ten calls leaving ten janitors ticking are a leak by
// accumulation; three may be constructors' by design, and the trace cannot tell.
Report janitor_per_request(int calls) {
  SyntheticTrace t = base();
  const auto wait = [](SyntheticTrace& t, GoID j, int64_t at) {
    t.block(at, j, "chan receive", t.recv_stack("main.(*cache).janitor", 112));
  };
  serve_requests(t, calls, "main.newCache", 106, "main.(*cache).janitor", wait);
  for (int64_t at = 20 * ms; at <= 60 * ms; at += 2 * ms)
    for (int i = 0; i < calls; ++i) {
      const GoID j = static_cast<GoID>(100 + i);
      t.unblock(at, trace::kNoGoroutine, j, 0);
      t.start(at + 1, j);
      wait(t, j, at + 2);
    }
  t.tick(64 * ms);
  return testing::run(t);
}

TEST(TimerTicking, AJanitorMadePerRequestOnALiveConnectionTicksForever) {
  Report r = janitor_per_request(static_cast<int>(kCrowd));
  auto f = of_rule(r, "leaked-goroutine");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0]->count, static_cast<int64_t>(kCrowd));
  EXPECT_NE(f[0]->message.find("ticks forever"), std::string::npos) << f[0]->message;
  EXPECT_NE(f[0]->message.find("the call of main.newCache that started it"), std::string::npos) << f[0]->message;
  EXPECT_TRUE(has_loc(*f[0], role::kCreation, 106));
  EXPECT_TRUE(janitor_per_request(3).findings.empty());
}

TEST(TimerTicking, StoppedAndReturnedIsSilent) {
  Janitor j(3 * ms, 20 * ms);
  j.t.unblock(21 * ms, 1, 10, j.t.stack({user("main.main", 44)}));  // close(stop)
  j.t.start(21 * ms + 1, 10);
  j.t.end(21 * ms + 2, 10);
  EXPECT_TRUE(j.run().findings.empty());
}

TEST(TimerTicking, AJanitorWhoseOwnerLivesOnIsSilent) {
  Janitor j(-1, 38 * ms);  // the cache's owner, G5, lives on (a server's goroutine)
  j.t.block(3 * ms, 5, "chan receive", j.t.recv_stack("main.serve", 70));
  EXPECT_TRUE(j.run().findings.empty());
}

TEST(TimerTicking, OneTimeoutAfterTheOwnerEndedIsNotTicking) {
  // One tick after the owner ended: a timeout that fired once. The trace ends 2 ms later: its
  // timer may wake it again, so it is no leak of the last grace either.
  Janitor j(37 * ms, 38 * ms);
  EXPECT_TRUE(of_rule(j.run(), "leaked-goroutine").empty());
}

TEST(TimerTicking, UsedByAnotherGoroutineAfterTheOwnerEndedIsSilent) {
  Janitor j(3 * ms, 38 * ms);
  // G20, alive and running to the end, shares the cache: it woke the janitor at 39 ms (a lock
  // the janitor waited for), after which the janitor waits on its ticker again.
  j.t.create(1 * ms, 1, 20, j.t.stack({user("main.main", 31)}), j.t.start_of("main.use"));
  j.t.start(1 * ms + 1, 20);
  j.t.unblock(39 * ms, 20, 10, j.t.stack({user("main.use", 50)}));
  j.t.start(39 * ms + 1, 10);
  j.t.block(39 * ms + 2, 10, "select", j.wait);
  EXPECT_TRUE(of_rule(j.run(), "leaked-goroutine").empty());
}

TEST(TimerTicking, AJanitorOutlivingItsTestTicksForever) {
  SyntheticTrace t;
  test_starts_worker(t, 8, 30, "app.TestCache", 12, "cache.(*janitor).Run");
  StackID wait = t.select_stack("cache.(*janitor).Run", 80);
  t.block(2 * ms + 20, 30, "select", wait);
  t.end(3 * ms, 8);
  for (int64_t at = 4 * ms; at <= 12 * ms; at += 2 * ms) {
    t.unblock(at, trace::kNoGoroutine, 30, 0);
    t.start(at + 1, 30);
    t.block(at + 2, 30, "select", wait);
  }
  t.tick(13 * ms);  // the test binary stops tracing soon after: no grace has passed
  Report r = run(t);
  auto f = of_rule(r, "leaked-goroutine");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NE(f[0]->message.find("ticks forever: woke 5 times on its timer since test app.TestCache ended"),
            std::string::npos)
      << f[0]->message;
  EXPECT_TRUE(has_loc(*f[0], role::kTest, 12));
}

}  // namespace
}  // namespace ctxtrail::diagnose
