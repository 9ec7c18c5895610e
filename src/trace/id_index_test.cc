// IdIndex: small IDs in the plain table, every other ID (negative, past the table's limit) in
// the hash map, one answer for both.
#include "ctxtrail/trace/id_index.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>
#include <unordered_map>
#include <utility>
#include <vector>

#include "trace/id_map.h"

namespace ctxtrail::trace {
namespace {

using ::testing::ElementsAre;
using ::testing::Pair;

TEST(IdIndex, SmallAndOtherIdsAnswerAlike) {
  IdIndex idx;
  const int64_t big = static_cast<int64_t>(IdIndex::kDenseLimit) + 5;
  const int64_t negative = -3;  // a goroutine ID past 2^63 as the ordering holds it
  idx.insert(7, 70);
  idx.insert(big, 80);
  idx.insert(negative, 90);
  idx.insert(0, 100);
  EXPECT_EQ(idx.size(), 4u);
  EXPECT_EQ(idx.find(7), 70u);
  EXPECT_EQ(idx.find(big), 80u);
  EXPECT_EQ(idx.find(negative), 90u);
  EXPECT_EQ(idx.find(0), 100u);
  EXPECT_EQ(idx.find(6), IdIndex::kNone);       // inside the table, absent
  EXPECT_EQ(idx.find(1000), IdIndex::kNone);    // past the table as it has grown
  EXPECT_EQ(idx.find(big + 1), IdIndex::kNone);
  // Only the small IDs live in the plain table, which reaches just past the largest of them.
  EXPECT_GE(idx.dense_size(), 8u);
  EXPECT_LT(idx.dense_size(), 1000u);
  EXPECT_EQ(idx.dense_data()[7], 70u);
}

TEST(IdIndex, EraseFromBothParts) {
  IdIndex idx;
  const int64_t big = static_cast<int64_t>(IdIndex::kDenseLimit);
  idx.insert(3, 1);
  idx.insert(big, 2);
  EXPECT_EQ(idx.erase(3), 1u);
  EXPECT_EQ(idx.erase(3), IdIndex::kNone);
  EXPECT_EQ(idx.erase(big), 2u);
  EXPECT_EQ(idx.erase(big), IdIndex::kNone);
  EXPECT_EQ(idx.erase(12345), IdIndex::kNone);
  EXPECT_EQ(idx.size(), 0u);
  EXPECT_EQ(idx.find(3), IdIndex::kNone);
  // An erased ID can come back with another slot (goroutine IDs are reused across traces'
  // generations only in broken traces, but slots are reused all the time).
  idx.insert(3, 9);
  EXPECT_EQ(idx.find(3), 9u);
}

TEST(IdIndex, ForEachVisitsSmallIdsInOrderThenTheOthers) {
  IdIndex idx;
  const int64_t big = static_cast<int64_t>(IdIndex::kDenseLimit) + 1;
  idx.insert(big, 4);
  idx.insert(9, 2);
  idx.insert(2, 1);
  std::vector<std::pair<int64_t, uint32_t>> seen;
  idx.for_each([&](int64_t id, uint32_t v) { seen.emplace_back(id, v); });
  EXPECT_THAT(seen, ElementsAre(Pair(2, 1u), Pair(9, 2u), Pair(big, 4u)));
}

// The table doubles as it grows; doubled from 600,000 it would reach 1,200,000, past the limit,
// and IDs between the limit and that size (kept in the hash map) would read as absent from the
// table. A busy service passes goroutine 2^20 after about a million requests.
TEST(IdIndex, TableGrowthStopsAtTheLimit) {
  IdIndex idx;
  const auto limit = static_cast<int64_t>(IdIndex::kDenseLimit);
  idx.insert(600000, 1);
  idx.insert(700000, 2);
  EXPECT_LE(idx.dense_size(), IdIndex::kDenseLimit);
  idx.insert(limit + 100, 3);
  EXPECT_EQ(idx.find(limit + 100), 3u);
  EXPECT_EQ(idx.find(700000), 2u);
  EXPECT_EQ(idx.erase(limit + 100), 3u);
  EXPECT_EQ(idx.find(limit + 100), IdIndex::kNone);
}

// Churn across the limit, as a service creating and ending goroutines past 2^20 does: every
// answer equals a plain hash map's.
TEST(IdIndex, ChurnAcrossTheLimitAnswersAsAHashMap) {
  IdIndex idx;
  std::unordered_map<int64_t, uint32_t> want;
  std::mt19937_64 rng(11);
  const auto limit = static_cast<int64_t>(IdIndex::kDenseLimit);
  int64_t next = limit - 50000;
  for (uint32_t step = 0; step < 300000; step++) {
    if (rng() % 3 != 0 || want.empty()) {
      const int64_t id = next++;
      idx.insert(id, step);
      want[id] = step;
    } else {
      const int64_t id = next - 1 - static_cast<int64_t>(rng() % 2000);
      auto it = want.find(id);
      EXPECT_EQ(idx.erase(id), it == want.end() ? IdIndex::kNone : it->second) << id;
      if (it != want.end()) want.erase(it);
    }
    if (step % 97 == 0) {
      const int64_t probe = next - 1 - static_cast<int64_t>(rng() % 4000);
      auto it = want.find(probe);
      ASSERT_EQ(idx.find(probe), it == want.end() ? IdIndex::kNone : it->second) << probe;
    }
  }
  EXPECT_EQ(idx.size(), want.size());
  for (const auto& [id, v] : want) ASSERT_EQ(idx.find(id), v) << id;
  EXPECT_LE(idx.dense_size(), IdIndex::kDenseLimit);
}

// The per-generation stack and string maps have the same shape, with their own limit.
TEST(IdMap, DenseGrowthStopsAtTheLimit) {
  IdMap map;
  const uint64_t limit = IdMap::kDenseLimit;
  EXPECT_TRUE(map.insert(limit / 2 + 10, 1));
  EXPECT_TRUE(map.insert(limit / 2 + 20, 2));  // would double the dense part past the limit
  EXPECT_LE(map.dense_size(), limit);
  EXPECT_TRUE(map.insert(limit + 5, 3));
  EXPECT_EQ(map.get(limit + 5), 3u);
  EXPECT_FALSE(map.insert(limit + 5, 4));
  map.set(limit + 5, 6);
  EXPECT_EQ(map.get(limit + 5), 6u);
  EXPECT_EQ(map.get(limit / 2 + 20), 2u);
  EXPECT_EQ(map.get(limit + 6), IdMap::kAbsent);
}

}  // namespace
}  // namespace ctxtrail::trace
