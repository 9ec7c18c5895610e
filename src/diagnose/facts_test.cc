#include "diagnose/facts.h"

#include <gtest/gtest.h>

#include "testing/synthetic_trace.h"

namespace ctxtrail::diagnose {
namespace {

using model::GoState;
using model::testing::rt;
using model::testing::SyntheticTrace;
using model::testing::user;
constexpr int64_t ms = 1'000'000;

// main starts fetch (G11), which starts G10 and waits on ctx.Done(); G10 waits to send; the
// cancel wave ends G11. G12, started by main, is never reached by it.
SyntheticTrace fetch_cancelled() {
  SyntheticTrace t;
  t.status(0, 1, GoState::Running);
  t.create(2 * ms, 1, 11, t.stack({user("main.main", 30)}), t.start_of("main.fetch"));
  t.start(2 * ms + 1, 11);
  t.create(2 * ms + 2, 11, 10, t.stack({user("main.fetch", 40)}), t.start_of("main.fetch.func1"));
  t.block(2 * ms + 3, 11, "select", t.select_stack("main.fetch", 44));
  t.start(3 * ms, 10);
  t.block(4 * ms, 10, "chan send", t.stack({rt("runtime.chansend1", "runtime/chan.go", 161), user("main.fetch.func1", 41)}));
  t.create(5 * ms, 1, 12, t.stack({user("main.main", 31)}), t.start_of("main.idle"));
  t.unblock(20 * ms, 1, 11, t.cancel_stack("main.main", 38));
  t.start(20 * ms + 1, 11);
  t.end(20 * ms + 2, 11);
  t.tick(1000 * ms);
  return t;
}

// The facts of fetch_cancelled(), with a rule context that reads them.
struct FetchFacts {
  SyntheticTrace t = fetch_cancelled();
  model::Model m = t.build();
  Options o;
  RuleContext ctx{m, t.classifier(), o, nullptr, nullptr, {}};
  Facts f = compute_facts(ctx);
  FetchFacts() { ctx.facts = &f; }
};

TEST(Facts, SiblingWavesListTheChildrenACancelWaveEndedByCreator) {
  FetchFacts x;
  const Facts& f = x.f;
  const model::Model& m = x.m;
  ASSERT_EQ(f.sibling_waves.size(), 1u);
  EXPECT_EQ(f.sibling_waves.at(1), std::vector<trace::GoID>{11});
  // No trail events: no wave has a traced context, and there is no context activity.
  ASSERT_FALSE(m.waves.empty());
  EXPECT_TRUE(f.wave_contexts.empty());
  EXPECT_EQ(context_of_wave(x.ctx, m.waves[0]), nullptr);
  EXPECT_FALSE(f.activity.has_value());
}

TEST(Facts, BlockedCounterpartIsTheCreatorThatReturnedOnTheWave) {
  FetchFacts x;
  RuleContext& ctx = x.ctx;
  const model::Model& m = x.m;
  Counterpart cp = blocked_counterpart(ctx, *m.find(10));
  EXPECT_EQ(cp.wave, 0);
  ASSERT_NE(cp.peer, nullptr);
  EXPECT_EQ(cp.peer->id, 11u);
  // G12 never parked: nothing to answer for it.
  EXPECT_EQ(blocked_counterpart(ctx, *m.find(12)).wave, model::kNone);
}

}  // namespace
}  // namespace ctxtrail::diagnose
