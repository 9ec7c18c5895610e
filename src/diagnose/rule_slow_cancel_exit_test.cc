#include "diagnose/rule_test_util.h"

namespace ctxtrail::diagnose {
namespace {

using namespace ctxtrail::diagnose::testing;

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

}  // namespace
}  // namespace ctxtrail::diagnose
