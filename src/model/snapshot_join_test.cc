#include "ctxtrail/model/snapshot_join.h"

#include <gtest/gtest.h>

#include "testing/synthetic_trace.h"

namespace ctxtrail::model {
namespace {

using testing::SyntheticTrace;
using testing::user;
constexpr int64_t ms = 1'000'000;

// main starts three goroutines parked at main.worker:20 and one at main.other:7; G13 ends.
struct Parked {
  SyntheticTrace t;
  Model m;
  Parked() {
    t.status(0, 1, GoState::Running);
    for (GoID g : {10, 11, 12, 13}) {
      t.create(1 * ms, 1, g, t.stack({user("main.main", 30)}), t.start_of("main.worker"));
      t.start(1 * ms + g, g);
      t.block(2 * ms + g, g, "chan receive", t.recv_stack("main.worker", 20));
    }
    t.unblock(3 * ms, 1, 13, t.stack({user("main.main", 31)}));
    t.start(3 * ms + 1, 13);
    t.end(3 * ms + 2, 13);
    t.create(4 * ms, 1, 14, t.stack({user("main.main", 32)}), t.start_of("main.other"));
    t.start(4 * ms + 1, 14);
    t.block(4 * ms + 2, 14, "select", t.select_stack("main.other", 7));
    t.tick(100 * ms);
    m = t.build();
  }
};

// `func` is a string literal: the frames view it (snapshot::Frame holds views).
snapshot::Goroutine leaked_at(std::string_view func, int64_t line, int64_t id, uint64_t count = 1) {
  snapshot::Goroutine g;
  g.id = id;
  g.leaked = true;
  g.count = count;
  // As a profile shows it: the runtime's frames first, then the user's.
  g.frames = {{"runtime.gopark", "/usr/local/go/src/runtime/proc.go", 462},
              {"runtime.chanrecv1", "/usr/local/go/src/runtime/chan.go", 509},
              {func, "/home/dev/app/main.go", line}};
  return g;
}

TEST(SnapshotJoin, ByIdMarksTheLeakedGoroutinesOfTheTrace) {
  Parked p;
  snapshot::Snapshot s;
  s.goroutines = {leaked_at("main.worker", 20, 11), leaked_at("main.worker", 20, 12)};
  snapshot::Goroutine alive = leaked_at("main.worker", 20, 10);
  alive.leaked = false;  // listed in the dump, not marked
  s.goroutines.push_back(alive);
  s.goroutines.push_back(leaked_at("main.worker", 20, 13));   // ended in the trace: not this one
  s.goroutines.push_back(leaked_at("main.worker", 20, 999));  // the trace never saw it
  join_snapshot(p.m, p.t.classifier(), s);
  EXPECT_FALSE(p.m.find(10)->proven_leaked);
  EXPECT_TRUE(p.m.find(11)->proven_leaked);
  EXPECT_TRUE(p.m.find(12)->proven_leaked);
  EXPECT_FALSE(p.m.find(13)->proven_leaked);
  EXPECT_EQ(p.m.snapshots.leaked, 4u);
  EXPECT_EQ(p.m.snapshots.leaked_in_trace, 2u);
  EXPECT_EQ(p.m.snapshots.matched_by_id, 4u);
  EXPECT_EQ(p.m.snapshots.ids_not_in_trace, 1u);
  // The dump's record of each proven goroutine (where it was when the dump was taken).
  ASSERT_EQ(p.m.snapshots.leaked_records.size(), 2u);
  EXPECT_EQ(p.m.snapshots.leaked_records.at(11), &s.goroutines[0]);
  ASSERT_EQ(p.m.snapshots.unjoined.size(), 2u);
  EXPECT_EQ(p.m.snapshots.unjoined[0].record->id, 13);
  EXPECT_EQ(p.m.snapshots.unjoined[1].record->id, 999);
}

TEST(SnapshotJoin, ByStackMarksAllWhenTheProfileCountsAtLeastAsMany) {
  Parked p;
  snapshot::Snapshot s;
  s.kind = snapshot::Kind::LeakProfile;
  s.goroutines = {leaked_at("main.worker", 20, -1, 4), leaked_at("main.other", 7, -1, 1)};
  join_snapshot(p.m, p.t.classifier(), s);
  for (GoID g : {10, 11, 12, 14}) EXPECT_TRUE(p.m.find(g)->proven_leaked) << g;
  // Four leaked at main.worker:20, three parked there in the trace: one the trace does not hold.
  ASSERT_EQ(p.m.snapshots.unjoined.size(), 1u);
  EXPECT_EQ(p.m.snapshots.unjoined[0].count, 1u);
  EXPECT_TRUE(p.m.snapshots.unjoined[0].candidates.empty());
  EXPECT_EQ(p.m.snapshots.leaked_in_trace, 4u);
}

TEST(SnapshotJoin, ByStackNamesTheCandidatesWhenItCannotTellWhich) {
  Parked p;
  snapshot::Snapshot s;
  s.kind = snapshot::Kind::LeakProfile;
  s.goroutines = {leaked_at("main.worker", 20, -1, 2)};
  join_snapshot(p.m, p.t.classifier(), s);
  for (GoID g : {10, 11, 12}) EXPECT_FALSE(p.m.find(g)->proven_leaked) << g;
  ASSERT_EQ(p.m.snapshots.unjoined.size(), 1u);
  EXPECT_EQ(p.m.snapshots.unjoined[0].count, 2u);
  EXPECT_EQ(p.m.snapshots.unjoined[0].candidates, (std::vector<GoID>{10, 11, 12}));
}

TEST(SnapshotJoin, StackKeysAgreeFromTheFirstUserFrame) {
  Parked p;
  const Goroutine* g = p.m.find(10);
  EXPECT_EQ(trace_stack_key(p.t.classifier(), g->state_stack), snapshot_stack_key(leaked_at("main.worker", 20, -1)));
  EXPECT_NE(trace_stack_key(p.t.classifier(), g->state_stack), snapshot_stack_key(leaked_at("main.worker", 21, -1)));
}

// A leak profile and a dump taken after it (whose "(leaked)" marks the profile's collection
// left) name the same leaks: given together, in either order, each leak is counted once.
TEST(SnapshotJoin, ADumpAndAProfileOfTheSameLeaksCountThemOnce) {
  for (bool profile_first : {false, true}) {
    Parked p;
    snapshot::Snapshot dump;
    dump.goroutines = {leaked_at("main.worker", 20, 11), leaked_at("main.worker", 20, 12),
                       leaked_at("main.worker", 20, 999)};  // started after the trace ended
    snapshot::Snapshot profile;
    profile.kind = snapshot::Kind::LeakProfile;
    profile.goroutines = {leaked_at("main.worker", 20, -1, 3)};
    std::vector<const snapshot::Snapshot*> given = {&dump, &profile};
    if (profile_first) std::swap(given[0], given[1]);
    join_snapshots(p.m, p.t.classifier(), given);
    EXPECT_FALSE(p.m.find(10)->proven_leaked) << profile_first;
    EXPECT_TRUE(p.m.find(11)->proven_leaked) << profile_first;
    EXPECT_TRUE(p.m.find(12)->proven_leaked) << profile_first;
    EXPECT_EQ(p.m.snapshots.leaked_in_trace, 2u) << profile_first;
    // Only G999, from the dump: the profile's third goroutine is that one, not another.
    ASSERT_EQ(p.m.snapshots.unjoined.size(), 1u) << profile_first;
    EXPECT_EQ(p.m.snapshots.unjoined[0].record->id, 999) << profile_first;
    // Per snapshot, in the order given.
    EXPECT_EQ(p.m.snapshots.joined, given) << profile_first;
    const std::vector<size_t> want = profile_first ? std::vector<size_t>{0, 2} : std::vector<size_t>{2, 0};
    EXPECT_EQ(p.m.snapshots.leaked_in_trace_by_snapshot, want) << profile_first;
  }
}

}  // namespace
}  // namespace ctxtrail::model
