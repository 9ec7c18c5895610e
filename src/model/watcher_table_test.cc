#include "ctxtrail/model/watcher_table.h"

#include <gtest/gtest.h>

namespace ctxtrail::model {
namespace {

Watcher woken(GoID g, int32_t wave, int64_t at) {
  Watcher w;
  w.g = g;
  w.wave = wave;
  w.woken_at = at;
  w.wait_stack = 7;
  w.wait_reason = 3;
  w.wait_function = 4;
  return w;
}

void expect_same(const Watcher& a, const Watcher& b) {
  EXPECT_EQ(a.wave, b.wave);
  EXPECT_EQ(a.g, b.g);
  EXPECT_EQ(a.wait_stack, b.wait_stack);
  EXPECT_EQ(a.wait_reason, b.wait_reason);
  EXPECT_EQ(a.wait_function, b.wait_function);
  EXPECT_EQ(a.reblock_stack, b.reblock_stack);
  EXPECT_EQ(a.reblock_reason, b.reblock_reason);
  EXPECT_EQ(a.woken_at, b.woken_at);
  EXPECT_EQ(a.ended_at, b.ended_at);
  EXPECT_EQ(a.reblocked_at, b.reblocked_at);
  EXPECT_EQ(a.left_wait_function_at, b.left_wait_function_at);
  EXPECT_EQ(a.at_wake_site_at, b.at_wake_site_at);
  EXPECT_EQ(a.at_woken_from_site_at, b.at_woken_from_site_at);
  EXPECT_EQ(a.woken_at_return_site, b.woken_at_return_site);
  EXPECT_EQ(a.superseded_at, b.superseded_at);
  EXPECT_EQ(a.rewoken_at, b.rewoken_at);
}

TEST(WatcherTable, AFrozenWatcherReadsAsRecorded) {
  WatcherTable t;
  Watcher a = woken(38, 0, 1'000);
  const int32_t i = t.push_back(a);
  Watcher& open = t.open(static_cast<size_t>(i));
  open.reblocked_at = 1'200;
  open.reblock_stack = 9;
  open.reblock_reason = 5;
  open.at_wake_site_at = 1'200;
  open.superseded_at = 5'000;
  open.woken_at_return_site = true;
  const Watcher recorded = t[static_cast<size_t>(i)];
  t.freeze(static_cast<size_t>(i));
  expect_same(t[static_cast<size_t>(i)], recorded);
  EXPECT_EQ(t[0].ended_at, -1);  // never: not an offset
}

TEST(WatcherTable, TimesFarFromTheWakeAndBeforeItStayExact) {
  WatcherTable t;
  Watcher a = woken(12, 3, 10);
  a.ended_at = 10 + (int64_t{1} << 40);  // hours after the wake: past a 32-bit offset
  a.rewoken_at = 5;                        // before it (never by the builder; still exact)
  a.left_wait_function_at = 10 + 0xfffffffe;  // the largest offsets, where the markers are
  a.reblocked_at = 10 + 0xfffffffd;
  t.push_back(a);
  t.freeze(0);
  expect_same(t[0], a);
}

TEST(WatcherTable, WatchersOfOneGoroutineShareAShapeAndKeepTheirOwnTimes) {
  WatcherTable t;
  for (int32_t wave = 0; wave < 3; ++wave) {
    const int32_t i = t.push_back(woken(38, wave, 100 * (wave + 1)));
    t.open(static_cast<size_t>(i)).superseded_at = 100 * (wave + 2);
    t.freeze(static_cast<size_t>(i));
  }
  ASSERT_EQ(t.size(), 3u);
  int32_t wave = 0;
  for (const Watcher& w : t) {
    EXPECT_EQ(w.wave, wave);
    EXPECT_EQ(w.woken_at, 100 * (wave + 1));
    EXPECT_EQ(w.superseded_at, 100 * (wave + 2));
    EXPECT_EQ(w.wait_stack, 7u);
    ++wave;
  }
}

TEST(WatcherTable, OpeningAFrozenWatcherAgainChangesOnlyIt) {
  WatcherTable t;
  t.push_back(woken(1, 0, 10));
  t.push_back(woken(2, 1, 20));
  t.freeze(0);
  t.freeze(1);
  t.open(0).ended_at = 99;
  t.freeze(0);
  EXPECT_EQ(t[0].ended_at, 99);
  EXPECT_EQ(t[1].ended_at, -1);
  EXPECT_EQ(t[1].g, 2);
  t.push_back(woken(3, 2, 30));  // reuses a freed open entry
  EXPECT_EQ(t[2].g, 3);
  EXPECT_EQ(t[0].g, 1);
}

}  // namespace
}  // namespace ctxtrail::model
