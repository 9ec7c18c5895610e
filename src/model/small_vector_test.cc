#include "ctxtrail/model/small_vector.h"

#include <gtest/gtest.h>

#include <vector>

namespace ctxtrail::model {
namespace {

std::vector<int> as_vector(const SmallVector<int, 2>& v) { return {v.begin(), v.end()}; }

TEST(SmallVector, KeepsEveryValueWhenItMovesToTheHeap) {
  SmallVector<int, 2> v;
  std::vector<int> want;
  for (int i = 0; i < 9; ++i) {
    v.push_back(i * 7);
    want.push_back(i * 7);
    ASSERT_EQ(as_vector(v), want) << "after " << i + 1;
  }
  EXPECT_EQ(v.back(), 56);
  EXPECT_EQ(v[3], 21);
}

TEST(SmallVector, CopiesAndMovesInPlaceAndOnTheHeap) {
  for (int n : {0, 1, 2, 3, 5}) {
    SmallVector<int, 2> v;
    for (int i = 0; i < n; ++i) v.push_back(i + 1);
    const std::vector<int> want = as_vector(v);
    SmallVector<int, 2> copy(v);
    EXPECT_EQ(as_vector(copy), want);
    SmallVector<int, 2> assigned{42, 43, 44};
    assigned = v;
    EXPECT_EQ(as_vector(assigned), want);
    SmallVector<int, 2> moved(std::move(copy));
    EXPECT_EQ(as_vector(moved), want);
    EXPECT_TRUE(copy.empty());  // NOLINT(bugprone-use-after-move): moved-from is empty
    SmallVector<int, 2> move_assigned{9};
    move_assigned = std::move(moved);
    EXPECT_EQ(as_vector(move_assigned), want);
    move_assigned.push_back(99);
    EXPECT_EQ(move_assigned.size(), want.size() + 1);
    EXPECT_EQ(as_vector(v), want);  // the source is untouched by its copies
  }
}

TEST(SmallVector, ViewsAsASpan) {
  SmallVector<long, 1> v{5, 6, 7};
  std::span<const long> s = v;
  ASSERT_EQ(s.size(), 3u);
  EXPECT_EQ(s[2], 7);
}

}  // namespace
}  // namespace ctxtrail::model
