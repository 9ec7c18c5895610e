#include "ctxtrail/analysis/lane_spans.h"

#include <gtest/gtest.h>

namespace ctxtrail::analysis {
namespace {

TEST(LaneSpans, KeepsEverySpanWithinTheBudget) {
  LaneSpans spans(100);
  for (int64_t k = 0; k < 50; ++k) spans.add({0, k * 10, k * 10 + 5, k});
  EXPECT_EQ(spans.quantum(), 0);
  const auto kept = spans.finish();
  ASSERT_EQ(kept.size(), 50u);
  EXPECT_EQ(kept[7].begin, 70);
  EXPECT_EQ(kept[7].what, 7);
}

// A million 100 ns runs on 4 Ps, and one 1 s run among them: the short ones become bands
// within the budget, the long one stays exact, and every lane stays in time order.
TEST(LaneSpansBudget, MergesShortSpansAndKeepsLongOnesExact) {
  LaneSpans spans(10'000);
  int64_t t = 0;
  for (int64_t k = 0; k < 1'000'000; ++k) {
    spans.add({k % 4, t, t + 100, 1000 + k % 7});
    if (k % 4 == 3) t += 150;
    if (k == 500'000) {
      spans.add({9, t, t + 1'000'000'000, 42});
    }
  }
  EXPECT_GT(spans.quantum(), 0);
  EXPECT_EQ(spans.added(), 1'000'001u);
  const auto kept = spans.finish();
  EXPECT_LE(kept.size(), 10'000u);
  uint64_t count = 0;
  bool long_exact = false;
  for (size_t i = 0; i < kept.size(); ++i) {
    count += kept[i].count;
    if (i > 0 && kept[i].lane == kept[i - 1].lane) {
      EXPECT_GE(kept[i].begin, kept[i - 1].end);
    }
    if (kept[i].lane == 9) long_exact = kept[i].what == 42 && kept[i].end - kept[i].begin == 1'000'000'000 && kept[i].count == 1;
  }
  EXPECT_EQ(count, 1'000'001u);
  EXPECT_TRUE(long_exact);
}

// More lanes than the budget, one span each: nothing can merge, and recompaction must stop.
TEST(LaneSpansBudget, StopsWhenEveryLaneIsOneSpan) {
  LaneSpans spans(10);
  for (int64_t g = 0; g < 100; ++g) spans.add({g, 0, 1000, g});
  EXPECT_EQ(spans.finish().size(), 100u);
}

}  // namespace
}  // namespace ctxtrail::analysis
