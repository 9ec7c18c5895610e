// The interval budget: short intervals merge into bands showing the most telling state, the
// quantum grows until the budget holds, long intervals stay as they were, and exact goroutines
// are merged too but keep what matters (first and last intervals, long and cancel-woken waits).
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

// Consecutive intervals of one goroutine: no gap or overlap.
void expect_contiguous(const std::vector<model::Interval>& ivs) {
  for (size_t k = 1; k < ivs.size(); ++k) EXPECT_EQ(ivs[k - 1].end, ivs[k].begin) << k;
}

std::vector<model::Interval> of(const std::vector<model::Interval>& out, model::GoID g) {
  std::vector<model::Interval> mine;
  for (const auto& i : out)
    if (i.g == g) mine.push_back(i);
  return mine;
}

void expect_same(const model::Interval& a, const model::Interval& b) {
  EXPECT_EQ(a.begin, b.begin);
  EXPECT_EQ(a.end, b.end);
  EXPECT_EQ(a.state, b.state);
  EXPECT_EQ(a.waker, b.waker);
}

TEST(IntervalBudget, ShortIntervalsMergeIntoTellingBandsWithinTheBudget) {
  IntervalReducer r(IntervalBudget{400, {}});
  for (model::GoID g : {3, 2, 4}) {
    for (const auto& i : busy(g)) r.add(i);
  }
  IntervalDetail d = r.detail();
  EXPECT_TRUE(d.reduced());
  EXPECT_EQ(d.recorded, 3 * 1001u);
  EXPECT_EQ(d.banded, (std::unordered_set<model::GoID>{2, 3, 4}));
  EXPECT_EQ(d.exact_banded, 0u);
  EXPECT_GT(d.quantum, 0);
  EXPECT_LE(d.kept, 400u);
  std::vector<model::Interval> out = r.finish();
  // Grouped by goroutine ID ascending, each in time order, with no gap or overlap.
  for (size_t k = 1; k < out.size(); ++k) ASSERT_LE(out[k - 1].g, out[k].g);
  for (model::GoID g : {2, 3, 4}) expect_contiguous(of(out, g));
  // Fewer bands, the same span, running wins a band, the long wait is untouched.
  std::vector<model::Interval> of3 = of(out, 3);
  EXPECT_LE(of3.size(), 400u / 3);  // its share of the budget
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

// A goroutine of a finding that spins (a million 200-300ns intervals, woken by its partner),
// is woken from a 50µs wait by a cancel, waits 5ms once, spins again and leaks in a wait open
// at trace end: its spinning is banded within the budget like everyone's, and its first
// interval, the cancel-woken wait, the long wait and the final wait are exactly as recorded.
TEST(IntervalBudget, ExactGoroutineThatSpinsStaysWithinTheBudgetWithWhatMattersExact) {
  constexpr model::GoID kSpinner = 2, kPartner = 7, kCanceller = 1;
  std::vector<model::Interval> in;
  int64_t t = 1'000;
  auto spin = [&](int n) {
    for (int k = 0; k < n; ++k) {
      const bool wait = k % 2 != 0;
      in.push_back(iv(kSpinner, t, t + (wait ? 200 : 300), wait ? GoState::Waiting : GoState::Running,
                      wait ? kPartner : model::kNoGoroutine));
      t = in.back().end;
    }
  };
  auto wait = [&](int64_t ns, model::GoID waker) {
    in.push_back(iv(kSpinner, t, t + ns, GoState::Waiting, waker));
    t = in.back().end;
  };
  in.push_back(iv(kSpinner, t, t + 100, GoState::Runnable));  // created
  t += 100;
  spin(400'000);
  wait(50'000, kCanceller);
  const model::Interval cancel_woken = in.back();
  spin(300'000);
  wait(5'000'000, kPartner);
  const model::Interval long_wait = in.back();
  spin(300'001);
  in.push_back(iv(kSpinner, t, -1, GoState::Waiting));  // leaks here
  ASSERT_GT(in.size(), 1'000'000u);

  ExactGoroutines exact{{kSpinner, {cancel_woken.end}}};
  IntervalReducer r(IntervalBudget{10'000, exact});
  for (const auto& i : busy(5)) r.add(i);
  for (const auto& i : in) r.add(i);
  IntervalDetail d = r.detail();
  EXPECT_EQ(d.recorded, in.size() + 1001);
  EXPECT_LE(d.kept, 10'000u);
  EXPECT_EQ(d.exact_goroutines, 1u);
  EXPECT_EQ(d.exact_banded, 1u);
  EXPECT_TRUE(d.banded.count(kSpinner));
  EXPECT_EQ(d.long_wait, 1'000'000);
  std::vector<model::Interval> out = of(r.finish(), kSpinner);
  ASSERT_GE(out.size(), 5u);
  expect_contiguous(out);
  expect_same(out.front(), in.front());
  expect_same(out.back(), in.back());
  auto kept = [&](const model::Interval& want) {
    for (const auto& i : out)
      if (i.begin == want.begin) {
        expect_same(i, want);
        return true;
      }
    return false;
  };
  EXPECT_TRUE(kept(cancel_woken));
  EXPECT_TRUE(kept(long_wait));
  // The spinning between them is banded, running winning each band.
  EXPECT_EQ(out[1].state, GoState::Running);
  EXPECT_EQ(out[1].waker, model::kNoGoroutine);
  EXPECT_GT(out[1].end - out[1].begin, 300);
}

// A goroutine of a finding that spins and then ends: its last interval, which ends when the
// goroutine does, is not merged into a band even though it is short.
TEST(IntervalBudget, ExactGoroutineKeepsTheIntervalItEndsFrom) {
  IntervalReducer r(IntervalBudget{100, {{9, {}}}});
  int64_t t = 0;
  for (int k = 0; k < 10'000; ++k, t += 100) r.add(iv(9, t, t + 100, k % 2 ? GoState::Runnable : GoState::Running));
  const model::Interval last = iv(9, t, t + 40, GoState::Running);
  r.add(last);
  EXPECT_LE(r.detail().kept, 100u);
  std::vector<model::Interval> out = r.finish();
  ASSERT_GE(out.size(), 3u);
  expect_contiguous(out);
  expect_same(out.front(), iv(9, 0, 100, GoState::Running));
  expect_same(out.back(), last);
  EXPECT_GT(out[1].end - out[1].begin, 100);  // banded
}

TEST(IntervalBudget, DescribesWhatItMergedInOneLine) {
  IntervalDetail d;
  EXPECT_EQ(describe_reduction(d), "");
  d.quantum = 256'000;
  d.recorded = 90'652'178;
  d.kept = 1'712'004;
  d.max_intervals = 2'000'000;
  d.exact_goroutines = 20;
  d.long_wait = 1'000'000;
  EXPECT_EQ(describe_reduction(d),
            "90,652,178 state intervals merged into 1,712,004 to stay within the budget of 2,000,000: runs shorter "
            "than 256µs are bands showing their most telling state");
  d.exact_banded = 18;
  EXPECT_EQ(describe_reduction(d),
            "90,652,178 state intervals merged into 1,712,004 to stay within the budget of 2,000,000: runs shorter "
            "than 256µs are bands showing their most telling state (18 goroutines of findings, cancel waves or "
            "critical paths included: their first and last intervals, waits of 1ms or more and the waits a cancel "
            "ended stay exact)");
  // A million goroutines keep a band each: the line says the budget did not hold.
  d.exact_banded = 0;
  d.kept = 3'985'427;
  d.quantum = 86'400'000'000'000;
  EXPECT_EQ(describe_reduction(d),
            "90,652,178 state intervals merged into 3,985,427 (over the budget of 2,000,000: every goroutine keeps "
            "its row): runs shorter than 24h are bands showing their most telling state");
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
  m.watchers.open(0).g = 12;
  model::CancelWave w;
  w.canceller = 1;
  w.watchers = {0};
  m.waves.push_back(w);
  model::Goroutine ended;
  ended.id = 30;
  ended.ended_at = 5;
  m.goroutines.push_back(ended);
  m.dag.waves = 1;
  m.dag.end_records = {0};
  m.dag.edges = {model::DagEdge{model::DagEdge::Wake, 0, 1, 5}};
  m.dag.critical_path = {{0}};
  diagnose::Finding f;
  f.goroutines = {40, 41};
  m.watchers.open(0).woken_at = 77;
  auto exact = exact_goroutines(m, {f});
  EXPECT_EQ(exact, (ExactGoroutines{{1, {}}, {12, {77}}, {30, {}}, {40, {}}, {41, {}}}));
}

}  // namespace
}  // namespace ctxtrail::render
