// IdIndex: small IDs in the plain table, every other ID (negative, past the table's limit) in
// the hash map, one answer for both.
#include "trace/id_index.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <utility>
#include <vector>

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

}  // namespace
}  // namespace ctxtrail::trace
