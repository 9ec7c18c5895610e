// hung-test from a trace alone: the go test -timeout alarm's goroutine, running at the end, is
// the evidence; a test goroutine parked when a trace ends for another reason is not a hung test.
#include "diagnose/rule_test_util.h"

namespace ctxtrail::diagnose {
namespace {

using namespace ctxtrail::diagnose::testing;

// A test (G8, tRunner) waits on a WaitGroup for its worker (G30), parked on a receive nobody
// sends to; with `alarm`, testing's alarm goroutine starts at the end and is running then.
SyntheticTrace hung_test(bool alarm) {
  SyntheticTrace t;
  test_starts_worker(t, 8, 30, "app.TestHang", 22, "app.worker");
  t.block(2 * ms + 20, 30, "chan receive", t.recv_stack("app.worker", 16));
  t.start(2 * ms + 30, 8);
  t.block(2 * ms + 40, 8, "sync",
          t.stack({rt("sync.(*WaitGroup).Wait", "sync/waitgroup.go", 118), user("app.TestHang", 24, "/home/dev/app/a_test.go"),
                   rt("testing.tRunner", "testing/testing.go", 1792)}));
  if (alarm) {
    t.create(3000 * ms, 0, 40, 0, t.start_of("testing.(*M).startAlarm.func1"));
    t.start(3000 * ms + 1, 40);
  }
  t.tick(3000 * ms + 5);
  return t;
}

TEST(HungTest, TheAlarmInTheTraceNamesTheTestItsWorkerAndTheLineThatNeverProceeds) {
  SyntheticTrace t = hung_test(true);
  const Report r = run(t);
  auto f = of_rule(r, "hung-test");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NE(f[0]->message.find("test TestHang never returned"), std::string::npos) << f[0]->message;
  EXPECT_EQ(f[0]->goroutines, (std::vector<GoID>{8, 30}));
  EXPECT_TRUE(has_loc(*f[0], role::kBlock, 24));  // wg.Wait in the test
  EXPECT_TRUE(has_loc(*f[0], role::kBlock, 16));  // the worker's receive
  EXPECT_TRUE(has_loc(*f[0], role::kCreation, 22));
  EXPECT_TRUE(of_rule(r, "leaked-goroutine").empty());  // hung-test tells it whole
}

TEST(HungTest, NotWhenTheTraceEndedWithoutTheAlarm) {
  SyntheticTrace t = hung_test(false);
  const Report r = run(t);
  EXPECT_TRUE(of_rule(r, "hung-test").empty());
}

}  // namespace
}  // namespace ctxtrail::diagnose
