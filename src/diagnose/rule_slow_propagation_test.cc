#include "diagnose/rule_test_util.h"

namespace ctxtrail::diagnose {
namespace {

using namespace ctxtrail::diagnose::testing;

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

}  // namespace
}  // namespace ctxtrail::diagnose
