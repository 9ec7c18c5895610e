/// group_by_stack and stack_key: which goroutines are one group, what a group counts, the order
/// of groups; on small literal dumps and on snapshots built by hand (views of other text than
/// the snapshot's own store, so equal names at different addresses).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ctxtrail/snapshot/groups.h"
#include "ctxtrail/snapshot/snapshot.h"

namespace ctxtrail::snapshot {
namespace {

Snapshot parse_ok(std::string_view text) {
  Result<Snapshot> r = parse_dump(text, "dump.txt");
  EXPECT_TRUE(r.ok()) << r.error().message;
  return r.ok() ? std::move(r).value() : Snapshot{};
}

// Three goroutines on one stack (arguments and IDs differ), one on the same stack in another
// state, one with another creator line, one with another frame line.
constexpr std::string_view kDump =
    "goroutine 10 [chan receive, 3 minutes]:\n"
    "main.worker(0xc000010000, 0x1)\n"
    "\t/app/worker.go:23 +0x45\n"
    "created by main.main in goroutine 1\n"
    "\t/app/main.go:8 +0x5e\n"
    "\n"
    "goroutine 11 [chan receive]:\n"
    "main.worker(0xc000010100, 0x2)\n"
    "\t/app/worker.go:23 +0x45\n"
    "created by main.main in goroutine 1\n"
    "\t/app/main.go:8 +0x5e\n"
    "\n"
    "goroutine 12 [select]:\n"
    "main.worker(0xc000010200, 0x3)\n"
    "\t/app/worker.go:23 +0x45\n"
    "created by main.main in goroutine 1\n"
    "\t/app/main.go:8 +0x5e\n"
    "\n"
    "goroutine 13 [chan receive (leaked), 7 minutes]:\n"
    "main.worker(0xc000010300, 0x4)\n"
    "\t/app/worker.go:23 +0x45\n"
    "created by main.main in goroutine 2\n"
    "\t/app/main.go:8 +0x5e\n"
    "\n"
    "goroutine 14 [chan receive]:\n"
    "main.worker(0xc000010400, 0x5)\n"
    "\t/app/worker.go:23 +0x45\n"
    "created by main.main in goroutine 1\n"
    "\t/app/main.go:9 +0x5e\n"
    "\n"
    "goroutine 15 [chan receive]:\n"
    "main.worker(0xc000010500, 0x6)\n"
    "\t/app/worker.go:24 +0x45\n"
    "created by main.main in goroutine 1\n"
    "\t/app/main.go:8 +0x5e\n";

TEST(GroupByStack, ArgumentsAndIdsDoNotSplitAGroupStateCreatorAndLinesDo) {
  const Snapshot s = parse_ok(kDump);
  const std::vector<StackGroup> groups = group_by_stack(s);
  // 10, 11 and 13 (its creator's ID is no part of the key); then 12, 14, 15 alone, in input order.
  ASSERT_EQ(groups.size(), 4u);
  EXPECT_EQ(groups[0].first, 0u);
  EXPECT_EQ(groups[0].count, 3u);
  EXPECT_EQ(groups[0].ids, (std::vector<int64_t>{10, 11, 13}));
  EXPECT_EQ(groups[0].leaked, 1u);
  EXPECT_EQ(groups[0].longest_wait_minutes, 7);
  EXPECT_EQ(groups[0].shortest_wait_minutes, 0);
  EXPECT_EQ(groups[1].ids, (std::vector<int64_t>{12}));
  EXPECT_EQ(groups[2].ids, (std::vector<int64_t>{14}));
  EXPECT_EQ(groups[3].ids, (std::vector<int64_t>{15}));
  EXPECT_EQ(s.goroutines[groups[1].first].state, "select");
}

TEST(GroupByStack, EqualKeysAreExactlyTheGoroutinesOfOneGroup) {
  const Snapshot s = parse_ok(kDump);
  const std::vector<StackGroup> groups = group_by_stack(s);
  std::vector<size_t> group_of(s.goroutines.size());
  for (size_t gi = 0; gi < groups.size(); ++gi) {
    for (int64_t id : groups[gi].ids) group_of[static_cast<size_t>(id - 10)] = gi;
  }
  for (size_t a = 0; a < s.goroutines.size(); ++a) {
    for (size_t b = 0; b < s.goroutines.size(); ++b) {
      EXPECT_EQ(stack_key(s.goroutines[a]) == stack_key(s.goroutines[b]), group_of[a] == group_of[b]) << a << " " << b;
    }
  }
}

// Frames made by hand view text elsewhere than the snapshot's store: equal names at different
// addresses are the same name.
TEST(GroupByStack, NamesAreComparedByTextNotByAddress) {
  const std::string f1 = "main.worker", f2 = "main.worker";
  const std::string file1 = "/app/worker.go", file2 = "/app/worker.go";
  Snapshot s;
  s.kind = Kind::Profile;
  Goroutine a;
  a.count = 5;
  a.state = "";
  a.frames = {{f1, file1, 23}, {"main.main", "/app/main.go", 8}};
  Goroutine b = a;
  b.count = 2;
  b.frames[0] = Frame{f2, file2, 23};
  Goroutine c = a;
  c.count = 9;
  c.frames[0] = Frame{s.keep("main.other"), file2, 23};
  s.goroutines = {a, b, c};
  const std::vector<StackGroup> groups = group_by_stack(s);
  ASSERT_EQ(groups.size(), 2u);
  // Profiles: a record counts its goroutines; no IDs.
  EXPECT_EQ(groups[0].count, 9u);
  EXPECT_EQ(groups[0].first, 2u);
  EXPECT_EQ(groups[1].count, 7u);
  EXPECT_EQ(groups[1].first, 0u);
  EXPECT_TRUE(groups[1].ids.empty());
}

TEST(GroupByStack, LargestFirstThenFirstSeen) {
  std::string text;
  // Stacks by line: 1 once, 2 three times, 3 once, 4 three times.
  const int lines[] = {1, 2, 3, 2, 4, 4, 2, 4};
  int id = 1;
  for (int line : lines) {
    text += "goroutine " + std::to_string(id++) + " [select]:\nmain.f()\n\t/app/f.go:" + std::to_string(line) +
            " +0x1\n\n";
  }
  const Snapshot s = parse_ok(text);
  const std::vector<StackGroup> groups = group_by_stack(s);
  ASSERT_EQ(groups.size(), 4u);
  std::vector<int64_t> order;
  for (const StackGroup& g : groups) order.push_back(s.goroutines[g.first].frames[0].line);
  EXPECT_EQ(order, (std::vector<int64_t>{2, 4, 1, 3}));
  EXPECT_EQ(groups[0].ids, (std::vector<int64_t>{2, 4, 7}));
}

// Many groups: the index grows past its first table, and every goroutine still finds its own.
TEST(GroupByStack, ThousandsOfGroups) {
  std::string text;
  constexpr int kStacks = 5000;
  for (int copy = 0; copy < 2; ++copy) {
    for (int i = 0; i < kStacks; ++i) {
      text += "goroutine " + std::to_string(copy * kStacks + i + 1) + " [chan send]:\nmain.f" + std::to_string(i) +
              "()\n\t/app/f.go:7 +0x1\n\n";
    }
  }
  const Snapshot s = parse_ok(text);
  const std::vector<StackGroup> groups = group_by_stack(s);
  ASSERT_EQ(groups.size(), static_cast<size_t>(kStacks));
  for (size_t i = 0; i < groups.size(); ++i) {
    ASSERT_EQ(groups[i].count, 2u);
    EXPECT_EQ(groups[i].first, i);  // equal counts: first seen first
    const auto id = static_cast<int64_t>(i + 1);
    EXPECT_EQ(groups[i].ids, (std::vector<int64_t>{id, id + kStacks}));
  }
}

}  // namespace
}  // namespace ctxtrail::snapshot
