#include "ctxtrail/diagnose/wave_list.h"

#include <utility>

#include "diagnose/rule_test_util.h"

namespace ctxtrail::diagnose {
namespace {

using namespace ctxtrail::diagnose::testing;

// Two waves: the first wakes G12, which ends 5 ms later; the second wakes G13, which stays
// blocked to the end of the trace, and G14, which ends.
model::Model two_waves(SyntheticTrace& t) {
  spawn_waiter(t, 12, "main.quick", 19);
  spawn_waiter(t, 13, "main.stuck", 21);
  spawn_waiter(t, 14, "main.quick", 19);
  t.unblock(20 * ms, 1, 12, t.cancel_stack("main.main", 38));
  t.start(20 * ms + 10, 12);
  t.end(25 * ms, 12);
  t.block(26 * ms, 1, "sleep", t.stack({user("main.main", 39)}));
  t.start(30 * ms, 1);
  t.unblock(40 * ms, 1, 13, t.cancel_stack("main.main", 44));
  t.unblock(40 * ms + 1, 1, 14, t.cancel_stack("main.main", 44));
  t.start(41 * ms, 13);
  t.block(41 * ms + 5, 13, "chan receive", t.recv_stack("main.stuck", 22));
  t.start(42 * ms, 14);
  t.end(43 * ms, 14);
  t.tick(900 * ms);
  return t.build();
}

TEST(WaveSummaries, WorkedOutFromTheModelsWavesAsRead) {
  SyntheticTrace t = base();
  model::Model m = two_waves(t);
  Report r = diagnose(m, t.classifier(), Options{});
  ASSERT_EQ(r.waves.size(), 2u);
  ASSERT_EQ(m.waves.size(), 2u);
  const WaveSummary first = r.waves[0];
  EXPECT_EQ(first.id, 1);
  EXPECT_EQ(first.time_ns, 20 * ms);
  EXPECT_EQ(first.ended_within_ns, 5 * ms);
  EXPECT_EQ(first.not_ended, 0u);
  EXPECT_EQ(first.canceller, 1u);
  EXPECT_EQ(std::vector<GoID>(r.woken_by(first).begin(), r.woken_by(first).end()), std::vector<GoID>{12});
  const WaveSummary second = r.waves[1];
  EXPECT_EQ(second.id, 2);
  EXPECT_FALSE(second.ended_within_ns.has_value());  // G13 never ended
  EXPECT_EQ(second.not_ended, 1u);
  EXPECT_EQ(std::vector<GoID>(r.woken_by(second).begin(), r.woken_by(second).end()), (std::vector<GoID>{13, 14}));
  EXPECT_NE(r.cancel_location(first).line, r.cancel_location(second).line);
  size_t read = 0;
  for (const WaveSummary& w : r.waves) EXPECT_EQ(w.id, static_cast<int32_t>(++read));
  EXPECT_EQ(read, 2u);
}

TEST(WaveSummaries, ReadTheModelAfterItMoved) {
  SyntheticTrace t = base();
  model::Model m = two_waves(t);
  Report r = diagnose(m, t.classifier(), Options{});
  const WaveSummary before = r.waves[1];
  model::Model moved = std::move(m);  // as an Analysis holding model and report is moved
  const WaveSummary after = r.waves[1];
  EXPECT_EQ(after.id, before.id);
  EXPECT_EQ(after.not_ended, before.not_ended);
  EXPECT_EQ(after.woken_count, 2u);
  EXPECT_EQ(after.time_ns, 40 * ms);
}

TEST(WaveSummaries, StoredForAReportThatOutlivesItsModel) {
  SyntheticTrace t = base();
  Report r;
  {
    model::Model m = two_waves(t);
    r = diagnose(m, t.classifier(), Options{});
    r.waves.store_all();
  }
  ASSERT_EQ(r.waves.size(), 2u);
  EXPECT_EQ(r.waves[0].ended_within_ns, 5 * ms);
  EXPECT_EQ(r.waves[1].not_ended, 1u);
  EXPECT_EQ(r.waves[1].woken_count, 2u);
}

}  // namespace
}  // namespace ctxtrail::diagnose
