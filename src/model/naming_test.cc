#include "ctxtrail/model/naming.h"

#include <gtest/gtest.h>

#include "testing/synthetic_trace.h"

namespace ctxtrail::model {
namespace {

using testing::SyntheticTrace;
using testing::user;

TEST(Naming, DurationsAsGoPrintsThemToThreeDigits) {
  EXPECT_EQ(format_duration(850), "850ns");
  EXPECT_EQ(format_duration(1500), "1.5µs");
  EXPECT_EQ(format_duration(2'500'000), "2.5ms");
  EXPECT_EQ(format_duration(12'345'678), "12.3ms");
  EXPECT_EQ(format_duration(2'000'000'000), "2s");
  EXPECT_EQ(format_duration(999'000'000'000), "999s");
  // Just below the next unit, rounded to three digits, is the next unit, not "1e+03ms".
  EXPECT_EQ(format_duration(999'600'000), "1s");
  EXPECT_EQ(format_duration(999'700), "1ms");
  EXPECT_EQ(format_duration(999'400'000), "999ms");
  EXPECT_EQ(format_duration(5'400'000'000'000), "90min");
  EXPECT_EQ(format_duration(86'400'000'000'000), "24h");
  EXPECT_EQ(format_duration(4'000 * 3'600'000'000'000), "4000h");
  EXPECT_EQ(format_duration(-1500), "-1.5µs");
  EXPECT_EQ(format_duration(INT64_MIN), "-2562048h");
}

TEST(Naming, CountsInGroupsOfThree) {
  EXPECT_EQ(format_count(0), "0");
  EXPECT_EQ(format_count(999), "999");
  EXPECT_EQ(format_count(1000), "1,000");
  EXPECT_EQ(format_count(31'045), "31,045");
  EXPECT_EQ(format_count(90'652'178), "90,652,178");
}

TEST(Naming, TimesInMilliseconds) {
  EXPECT_EQ(format_time_ms(12'000'345), "12.000345ms");
  EXPECT_EQ(format_short_ms(12'000'345), "12.000ms");
}

TEST(Naming, Locations) {
  SourceLoc l{"main.worker", "/home/dev/app/main.go", 42};
  EXPECT_EQ(short_location(l), "main.go:42");
  EXPECT_EQ(long_location(l), "/home/dev/app/main.go:42 (main.worker)");
  EXPECT_EQ(short_location({}), "?");
  EXPECT_EQ(long_location({}), "");
}

TEST(Naming, CreatedGoroutineIsNamedByItsGoStatementsFunction) {
  SyntheticTrace t;
  t.status(0, 1, trace::GoState::Running);
  t.create(10, 1, 7, t.stack({user("main.main", 30)}), t.start_of("main.worker"));
  t.start(20, 7);
  t.tick(100);
  Model m = t.build();
  EXPECT_EQ(goroutine_name(m, 7, t.classifier()), "G7 (main.worker)");
  EXPECT_EQ(goroutine_name(m, 99, t.classifier()), "G99");
  EXPECT_EQ(goroutine_name(m, trace::kNoGoroutine, t.classifier()), "no goroutine");
}

TEST(Naming, PreexistingGoroutineIsNamedByTheRootOfItsStack) {
  SyntheticTrace t;
  // Seen first blocked deep inside its work: the leaf is a library call, the root its function.
  t.status(0, 3, trace::GoState::Waiting, t.stack({user("sync.(*Mutex).Lock", 90), user("main.poller", 12)}));
  t.tick(100);
  Model m = t.build();
  EXPECT_EQ(goroutine_name(m, 3, t.classifier()), "G3 (main.poller)");
}

// A root in the runtime (runtime.goexit under the function, or a stack cut short in the
// runtime) names nothing: the outermost frame outside the runtime does.
TEST(Naming, PreexistingGoroutineWithARuntimeRootIsNamedByItsOutermostOtherFrame) {
  using testing::rt;
  SyntheticTrace t;
  t.status(0, 3, trace::GoState::Waiting,
           t.stack({rt("runtime.gopark", "runtime/proc.go", 435), rt("internal/poll.(*FD).Read", "internal/poll/fd_unix.go", 165),
                    rt("net/http.(*conn).serve", "net/http/server.go", 2000), rt("runtime.goexit", "runtime/asm_amd64.s", 1700)}));
  t.status(0, 4, trace::GoState::Waiting, t.stack({rt("runtime.gopark", "runtime/proc.go", 435)}));
  t.tick(100);
  Model m = t.build();
  EXPECT_EQ(goroutine_name(m, 3, t.classifier()), "G3 (net/http.(*conn).serve)");
  EXPECT_EQ(goroutine_name(m, 4, t.classifier()), "G4 (runtime.gopark)");
}

}  // namespace
}  // namespace ctxtrail::model
