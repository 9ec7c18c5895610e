#include "ctxtrail/snapshot/diff.h"

#include <gtest/gtest.h>

#include "ctxtrail/snapshot/operation.h"

namespace ctxtrail::snapshot {
namespace {

Goroutine at(std::string_view leaf_function, int64_t line, uint64_t count = 1, std::string_view state = {}) {
  Goroutine g;
  g.count = count;
  g.state = std::string(state);
  g.frames = {{"runtime.gopark", "/go/src/runtime/proc.go", 462},
              {"runtime.chansend1", "/go/src/runtime/chan.go", 161},
              {leaf_function, "/app/main.go", line},
              {"main.main", "/app/main.go", 40}};
  return g;
}

// A dump's record (state, runtime frames) and a profile's of the same code share a key; another
// line does not.
TEST(SnapshotDiff, KeysIgnoreTheRuntimeFramesAndTheWaitReason) {
  EXPECT_EQ(diff_key(at("main.reply", 15, 1, "chan send")), diff_key(at("main.reply", 15, 7)));
  Goroutine no_runtime = at("main.reply", 15);
  no_runtime.frames.erase(no_runtime.frames.begin(), no_runtime.frames.begin() + 2);
  EXPECT_EQ(diff_key(no_runtime), diff_key(at("main.reply", 15)));
  EXPECT_NE(diff_key(at("main.reply", 15)), diff_key(at("main.reply", 16)));
}

TEST(SnapshotDiff, SortsByGrowthAndCountsProfileRecords) {
  Snapshot before, after;
  before.goroutines = {at("main.reply", 15, 40), at("main.batch", 29, 30), at("main.worker", 22, 8)};
  after.goroutines = {at("main.worker", 22, 8), at("main.reply", 15, 100), at("main.fresh", 50, 1), at("main.reply", 15, 20)};
  const auto changes = diff_snapshots(before, after);
  ASSERT_EQ(changes.size(), 4u);
  EXPECT_EQ(changes[0].growth(), 80);  // 40 -> 120, two records of one stack
  EXPECT_EQ(changes[0].after, 120u);
  EXPECT_EQ(changes[0].example, &after.goroutines[1]);  // the later snapshot's record
  EXPECT_EQ(changes[1].growth(), 1);    // main.fresh, new
  EXPECT_EQ(changes[2].growth(), 0);    // the pool
  EXPECT_EQ(changes[3].growth(), -30);  // the batch that ended
  EXPECT_EQ(changes[3].example, &before.goroutines[1]);  // gone from the later one
}

TEST(BlockingOperation, FromTheHeaderElseFromTheRuntimeFrames) {
  // The header, when the dump printed one, over what the frames suggest.
  EXPECT_EQ(blocking_operation(at("main.reply", 15, 1, "chan receive")), "chan receive");
  EXPECT_EQ(blocking_operation(at("main.reply", 15)), "chan send");
  Goroutine wg;
  wg.frames = {{"runtime.gopark", "", 0}, {"sync.runtime_SemacquireWaitGroup", "", 0},
               {"sync.(*WaitGroup).Wait", "", 0}, {"main.main", "", 0}};
  EXPECT_EQ(blocking_operation(wg), "sync.WaitGroup.Wait");
  Goroutine mu;  // Go 1.24+: sync.Mutex is internal/sync's
  mu.frames = {{"runtime.gopark", "", 0}, {"internal/sync.runtime_SemacquireMutex", "", 0},
               {"internal/sync.(*Mutex).lockSlow", "", 0}, {"internal/sync.(*Mutex).Lock", "", 0},
               {"sync.(*Mutex).Lock", "", 0}, {"main.main", "", 0}};
  EXPECT_EQ(blocking_operation(mu), "sync.Mutex.Lock");
  Goroutine running;  // no runtime frame that says: nothing is made up
  running.frames = {{"main.spin", "", 0}, {"runtime.gopark", "", 0}};
  EXPECT_EQ(blocking_operation(running), "");
  EXPECT_TRUE(waits_on_another_goroutine("chan receive"));
  EXPECT_TRUE(waits_on_another_goroutine("sync.RWMutex.RLock"));
  EXPECT_FALSE(waits_on_another_goroutine("IO wait"));
  EXPECT_FALSE(waits_on_another_goroutine("sleep"));
  EXPECT_TRUE(blocks_for_ever("chan receive (nil chan)"));
  EXPECT_TRUE(blocks_for_ever("select (no cases)"));
  EXPECT_FALSE(blocks_for_ever("select"));
}

}  // namespace
}  // namespace ctxtrail::snapshot
