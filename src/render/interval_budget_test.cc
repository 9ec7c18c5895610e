// The interval budget: short intervals merge into bands showing the most telling state, the
// quantum grows until the budget holds, exact goroutines and long intervals stay as they were.
#include "render/interval_budget.h"

#include <gtest/gtest.h>

namespace ctxtrail::render {
namespace {

using trace::GoState;

model::Interval iv(model::GoID g, int64_t b, int64_t e, GoState st, model::GoID waker = model::kNoGoroutine) {
  model::Interval i;
  i.g = g;
  i.begin = b;
  i.end = e;
  i.state = st;
  i.waker = waker;
  return i;
}

// Per goroutine 1000 alternating 100ns intervals (running, waiting), then one long wait open
// at trace end.
std::vector<model::Interval> busy(model::GoID g) {
  std::vector<model::Interval> out;
  for (int k = 0; k < 1000; ++k)
    out.push_back(iv(g, k * 100, (k + 1) * 100, k % 2 ? GoState::Waiting : GoState::Running, k % 2 ? 7 : model::kNoGoroutine));
  out.push_back(iv(g, 100'000, -1, GoState::Waiting));
  return out;
}

TEST(IntervalBudget, UnderTheBudgetNothingChanges) {
  IntervalReducer r(IntervalBudget{10'000, {}});
  auto in = busy(5);
  for (const auto& i : in) r.add(i);
  auto out = r.finish();
  EXPECT_EQ(out.size(), in.size());
  EXPECT_FALSE(r.detail().reduced());
  EXPECT_EQ(r.detail().quantum, 0);
}

TEST(IntervalBudget, ShortIntervalsMergeIntoTellingBandsWithinTheBudget) {
  IntervalReducer r(IntervalBudget{400, {2}});
  std::vector<model::Interval> exact = busy(2);
  for (model::GoID g : {3, 2, 4}) {
    for (const auto& i : busy(g)) r.add(i);
  }
  IntervalDetail d = r.detail();
  EXPECT_TRUE(d.reduced());
  EXPECT_EQ(d.recorded, 3 * 1001u);
  EXPECT_EQ(d.banded, (std::unordered_set<model::GoID>{3, 4}));
  EXPECT_GT(d.quantum, 0);
  std::vector<model::Interval> out = r.finish();
  // Grouped by goroutine ID ascending, each in time order, with no gap or overlap.
  std::vector<model::Interval> of2, of3;
  for (size_t k = 0; k < out.size(); ++k) {
    if (k > 0) {
      ASSERT_LE(out[k - 1].g, out[k].g);
      if (out[k - 1].g == out[k].g) {
        EXPECT_EQ(out[k - 1].end, out[k].begin);
      }
    }
    if (out[k].g == 2) of2.push_back(out[k]);
    if (out[k].g == 3) of3.push_back(out[k]);
  }
  // The exact goroutine keeps every interval as it was.
  ASSERT_EQ(of2.size(), exact.size());
  for (size_t k = 0; k < exact.size(); ++k) {
    EXPECT_EQ(of2[k].begin, exact[k].begin);
    EXPECT_EQ(of2[k].end, exact[k].end);
    EXPECT_EQ(of2[k].state, exact[k].state);
    EXPECT_EQ(of2[k].waker, exact[k].waker);
  }
  // The others: fewer bands, the same span, running wins a band, the long wait is untouched.
  EXPECT_LT(of3.size(), 100u);
  EXPECT_LE(d.kept, 400u + exact.size());  // exact goroutines are outside the budget
  EXPECT_EQ(of3.front().begin, 0);
  EXPECT_EQ(of3.back().begin, 100'000);
  EXPECT_EQ(of3.back().end, -1);
  EXPECT_EQ(of3.back().state, GoState::Waiting);
  for (size_t k = 0; k + 1 < of3.size(); ++k) {
    EXPECT_EQ(of3[k].state, GoState::Running) << k;
    EXPECT_EQ(of3[k].waker, model::kNoGoroutine);
    EXPECT_GE(of3[k].end - of3[k].begin, k + 2 < of3.size() ? d.quantum : int64_t{0});
  }
}

// Intervals of 10ms: the first quanta merge nothing, larger ones do; a budget below the floor
// (one band per goroutine) stops at the largest quantum without overflowing.
TEST(IntervalBudget, QuantumGrowsPastQuantaThatMergeNothing) {
  IntervalReducer r(IntervalBudget{50, {}});
  for (model::GoID g = 1; g <= 100; ++g)
    for (int k = 0; k < 10; ++k) r.add(iv(g, k * 10'000'000, (k + 1) * 10'000'000, k % 2 ? GoState::Waiting : GoState::Runnable));
  IntervalDetail d = r.detail();
  EXPECT_GT(d.quantum, 10'000'000);
  EXPECT_EQ(d.kept, 100u);  // one band per goroutine: the floor
  auto out = r.finish();
  ASSERT_EQ(out.size(), 100u);
  EXPECT_EQ(out[0].begin, 0);
  EXPECT_EQ(out[0].end, 100'000'000);
  EXPECT_EQ(out[0].state, GoState::Runnable);
}

TEST(IntervalBudget, TellingOrderMatchesThePage) {
  EXPECT_GT(telling(GoState::Running), telling(GoState::Syscall));
  EXPECT_GT(telling(GoState::Syscall), telling(GoState::Runnable));
  EXPECT_GT(telling(GoState::Runnable), telling(GoState::Waiting));
  EXPECT_GT(telling(GoState::Waiting), telling(GoState::NotExist));
}

TEST(IntervalBudget, ExactGoroutinesOfFindingsWavesAndCriticalPaths) {
  model::Model m;
  m.watchers.push_back(model::Watcher{});
  m.watchers[0].g = 12;
  model::CancelWave w;
  w.canceller = 1;
  w.watchers = {0};
  m.waves.push_back(w);
  m.dag.nodes = {model::DagNode{model::DagNode::Cancel, 0, 1, 0}, model::DagNode{model::DagNode::End, 5, 30, model::kNone}};
  m.dag.edges = {model::DagEdge{model::DagEdge::Wake, 0, 1, 5}};
  m.dag.critical_path = {{0}};
  diagnose::Finding f;
  f.goroutines = {40, 41};
  auto exact = exact_goroutines(m, {f});
  EXPECT_EQ(exact, (std::unordered_set<model::GoID>{1, 12, 30, 40, 41}));
}

}  // namespace
}  // namespace ctxtrail::render
