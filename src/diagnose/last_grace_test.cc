// Leaks that began inside the last grace (diagnose/last_grace.h): reported when the owner ended
// and nothing alive could wake the goroutine; silent while a sibling, a child or a waker may.
#include "diagnose/last_grace.h"

#include "diagnose/rule_test_util.h"

namespace ctxtrail::diagnose {
namespace {

using namespace ctxtrail::diagnose::testing;

// main (G1) starts the handler G5 at 1 ms; the handler starts G20 (and `siblings` more, G21...)
// at handler.go:61 and returns at 60 ms, after its own deadline; G20 parks on a send at
// handler.go:63 at `park` (nobody receives: the handler is gone). The trace ends at 100 ms,
// within the grace of 500 ms, given.
struct Handler {
  SyntheticTrace t = base();
  StackID send = t.stack({rt("runtime.chansend1", "runtime/chan.go", 161), user("main.handle.func1", 63)});
  explicit Handler(int64_t park = 70 * ms) {
    t.create(1 * ms, 1, 5, t.stack({user("main.main", 30)}), t.start_of("main.handle"));
    t.start(1 * ms + 1, 5);
    t.create(2 * ms, 5, 20, t.stack({user("main.handle", 61)}), t.start_of("main.handle.func1"));
    t.start(2 * ms + 1, 20);
    t.end(60 * ms, 5);
    t.block(park, 20, "chan send", send);
  }
  Report run() {
    t.tick(100 * ms);
    Options o;
    o.grace_given = true;
    o.grace_ns = 500 * ms;
    return testing::run(t, o);
  }
};

TEST(LastGrace, ALeakThatBeganInsideTheGraceIsReported) {
  Handler h;
  Report r = h.run();
  auto f = of_rule(r, "leaked-goroutine");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0]->goroutines, (std::vector<GoID>{20}));
  EXPECT_TRUE(has_loc(*f[0], role::kBlock, 63));
  EXPECT_TRUE(has_loc(*f[0], role::kCreation, 61));
}

TEST(LastGrace, NotWhileASiblingRuns) {
  Handler h;
  // G21, started by the same handler, is still running: it may yet take the value.
  h.t.create(3 * ms, 5, 21, h.t.stack({user("main.handle", 62)}), h.t.start_of("main.handle.func2"));
  h.t.start(3 * ms + 1, 21);
  EXPECT_TRUE(of_rule(h.run(), "leaked-goroutine").empty());
}

TEST(LastGrace, SiblingsParkedAtTheSameLineAreTheSameLeak) {
  Handler h;
  h.t.create(3 * ms, 5, 21, h.t.stack({user("main.handle", 61)}), h.t.start_of("main.handle.func1"));
  h.t.start(3 * ms + 1, 21);
  h.t.block(71 * ms, 21, "chan send", h.send);
  Report r = h.run();
  auto f = of_rule(r, "leaked-goroutine");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0]->count, 2);
}

TEST(LastGrace, NotWhileAChildRuns) {
  Handler h;
  h.t.create(3 * ms, 20, 30, h.t.stack({user("main.handle.func1", 62)}), h.t.start_of("main.handle.func1.1"));
  h.t.start(3 * ms + 1, 30);
  EXPECT_TRUE(of_rule(h.run(), "leaked-goroutine").empty());
}

TEST(LastGrace, NotAParkOfAMomentBeforeTheEnd) {
  Handler h(100 * ms - kMinParkInLastGrace / 2);
  EXPECT_TRUE(of_rule(h.run(), "leaked-goroutine").empty());
}

TEST(LastGrace, NotWhileTheCreatorLives) {
  SyntheticTrace t = base();
  t.create(2 * ms, 1, 20, t.stack({user("main.main", 61)}), t.start_of("main.handle.func1"));
  t.start(2 * ms + 1, 20);
  t.block(70 * ms, 20, "chan send", t.stack({rt("runtime.chansend1", "runtime/chan.go", 161), user("main.handle.func1", 63)}));
  t.tick(100 * ms);
  Options o;
  o.grace_given = true;
  o.grace_ns = 500 * ms;
  EXPECT_TRUE(of_rule(run(t, o), "leaked-goroutine").empty());
}

TEST(LastGrace, AGoroutineParkedAfterItsTestEndedWithNothingToWakeIt) {
  // testing's main loop runs on the main goroutine, G1, to the end; the test G8 starts G30.
  SyntheticTrace t = base();
  StackID trunner = t.stack({rt("testing.tRunner", "testing/testing.go", 1792)});
  t.create(1 * ms, 1, 8, t.stack({rt("testing.(*T).Run", "testing/testing.go", 1851)}), trunner);
  t.start(1 * ms, 8);
  t.create(2 * ms, 8, 30,
           t.stack({user("app.TestFetch", 12, "/home/dev/app/a_test.go"), rt("testing.tRunner", "testing/testing.go", 1792)}),
           t.start_of("app.TestFetch.func1"));
  t.start(2 * ms + 10, 30);
  t.end(3 * ms, 8);
  t.block(5 * ms, 30, "chan send", t.stack({rt("runtime.chansend1", "runtime/chan.go", 161), user("app.TestFetch.func1", 14)}));
  t.tick(9 * ms);
  Report r = run(t);
  auto f = of_rule(r, "leaked-goroutine");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_TRUE(has_loc(*f[0], role::kTest, 12));
}

}  // namespace
}  // namespace ctxtrail::diagnose
