// The context tree from trail messages: structure, cancellation, uses, linking to the model,
// and oddities counted instead of failing.
#include "ctxtrail/model/context_tree.h"

#include <gtest/gtest.h>

#include "testing/synthetic_trace.h"

namespace ctxtrail::model {
namespace {

using testing::SyntheticTrace;

struct Fixture {
  SyntheticTrace t;
  ContextTreeBuilder b{t};
  Model m;
  ContextTree finish() {
    m = t.build();
    return b.finish(m);
  }
};

TEST(ContextTree, SpecExampleBuildsTheTree) {
  Fixture f;
  f.b.on_message("new 1 0 background 0 - 0 main.main /src/app/main.go 12", 100, 1);
  f.b.on_message("new 2 1 timeout 1764081000123456789 n 0 main.serve /src/app/main.go 20", 200, 1);
  f.b.on_message("watch 2 main.worker /src/app/worker.go 33", 300, 7);
  f.b.on_message("new 3 2 cancelcause 0 - 0 main.worker /src/app/worker.go 35", 310, 7);
  f.b.on_message("new 4 0 background 0 - 3 main.worker.func1 /src/app/worker.go 41", 320, 8);
  f.b.on_message("cancel 3 own 0 canceled - main.worker /src/app/worker.go 52 db%20closed", 400, 7);
  f.b.on_message("cancel 2 deadline 0 deadline - - - 0 context%20deadline%20exceeded", 1764081000123457789, 20);
  f.b.on_message("late 2 deadline main.serve /src/app/main.go 27", 1764081000123460000, 1);
  f.b.on_message("errseen 2 deadline main.worker /src/app/worker.go 60", 1764081000123461000, 7);
  ContextTree tree = f.finish();
  ASSERT_EQ(tree.contexts.size(), 4u);
  EXPECT_EQ(tree.events, 9u);
  const Context* c2 = tree.find(2);
  ASSERT_NE(c2, nullptr);
  EXPECT_EQ(tree.parent_of(*c2)->id, 1u);
  EXPECT_EQ(c2->kind, "timeout");
  EXPECT_TRUE(c2->timer_based());
  EXPECT_TRUE(c2->has_flag('n'));
  ASSERT_EQ(c2->watches.size(), 1u);
  EXPECT_EQ(c2->watches[0].g, 7);
  EXPECT_EQ(c2->watches[0].site.line, 33u);
  ASSERT_TRUE(c2->done);
  EXPECT_EQ(c2->done->reason, "deadline");
  EXPECT_EQ(c2->lates.size(), 1u);
  EXPECT_TRUE(c2->cancel_called());
  EXPECT_EQ(c2->errseens.at(0).err, "deadline");
  // The deadline fired 1000ns after the requested time: that is the wall offset.
  ASSERT_TRUE(tree.wall_offset);
  EXPECT_EQ(*tree.wall_offset, 1000);
  EXPECT_EQ(tree.deadline_in_trace(*c2), 1764081000123457789);
  const Context* c3 = tree.find(3);
  EXPECT_EQ(c3->done->cause, "db closed");
  EXPECT_EQ(c3->done->site.function, "main.worker");
  EXPECT_EQ(tree.find(4)->ambient, 3u);
  EXPECT_TRUE(tree.find(4)->never_cancelled());
  EXPECT_EQ(tree.find(1)->children.size(), 1u);
  for (size_t i = 0; i < kNumContextOddities; ++i) EXPECT_EQ(tree.oddities[i], 0u) << i;
}

TEST(ContextTree, ParentPropagationLatencyAndOrigin) {
  Fixture f;
  f.b.on_message("new 1 0 background 0 - 0 main.main /m.go 1", 10, 1);
  f.b.on_message("new 2 1 cancel 0 n 0 main.main /m.go 2", 20, 1);
  f.b.on_message("new 3 2 cancel 0 - 0 main.main /m.go 3", 30, 1);
  f.b.on_message("new 4 3 cancel 0 - 0 main.main /m.go 4", 40, 1);
  f.b.on_message("cancel 2 own 0 canceled - main.main /m.go 9 context%20canceled", 1000, 1);
  f.b.on_message("cancel 3 parent 2 canceled - - - 0 context%20canceled", 1500, 5);
  f.b.on_message("cancel 4 parent 3 canceled - - - 0 context%20canceled", 4000, 6);
  ContextTree tree = f.finish();
  EXPECT_EQ(tree.propagation(*tree.find(3)), 500);
  EXPECT_EQ(tree.propagation(*tree.find(4)), 2500);
  EXPECT_FALSE(tree.propagation(*tree.find(2)));
  EXPECT_EQ(tree.origin_of(*tree.find(4))->id, 2u);
  Distribution d = distribution({500, 2500});
  EXPECT_EQ(d.count, 2u);
  EXPECT_EQ(d.p50, 500);
  EXPECT_EQ(d.p99, 2500);
  EXPECT_EQ(d.max, 2500);
}

// An errgroup that goes on starting tasks after it failed: a child made at 3000 under a parent
// done since 1000 is done at 3100. It could not hear of the cancel before it existed: 100, not
// 2100 (derived-from-done says the rest).
TEST(ContextTree, PropagationOfAChildMadeUnderADoneParentRunsFromItsCreation) {
  Fixture f;
  f.b.on_message("new 1 0 background 0 - 0 main.main /m.go 1", 10, 1);
  f.b.on_message("new 2 1 cancel 0 n 0 main.main /m.go 2", 20, 1);
  f.b.on_message("cancel 2 own 0 canceled - main.main /m.go 9 context%20canceled", 1000, 1);
  f.b.on_message("new 3 2 cancel 0 - 0 main.task /m.go 30", 3000, 5);
  f.b.on_message("cancel 3 parent 2 canceled - - - 0 context%20canceled", 3100, 5);
  ContextTree tree = f.finish();
  EXPECT_EQ(tree.propagation(*tree.find(3)), 100);
}

TEST(ContextTree, WatchersEndTimesComeFromTheModel) {
  Fixture f;
  f.t.status(0, 1, GoState::Running);
  f.t.create(10, 1, 7, f.t.stack({testing::user("main.main", 5)}), f.t.start_of("main.worker"));
  f.t.start(20, 7);
  f.b.on_message("new 1 0 background 0 - 0 main.main /m.go 1", 5, 1);
  f.b.on_message("new 2 1 cancel 0 n 0 main.main /m.go 2", 6, 1);
  f.b.on_message("watch 2 main.worker /m.go 10", 25, 7);
  f.t.end(90, 7);
  f.t.tick(100);
  ContextTree tree = f.finish();
  const Context* c = tree.find(2);
  EXPECT_EQ(c->watches.at(0).ended_at, 90);
  EXPECT_EQ(c->creator_ended, -1);  // main is alive at trace end
}

// A cancel func's wave is the one its goroutine made just before the cancel event; an earlier
// wave of the same goroutine (another cancel) is not it.
TEST(ContextTree, OwnCancelIsLinkedToTheWaveOfTheSameCall) {
  Fixture f;
  f.t.status(0, 1, GoState::Running);
  for (GoID g : {7, 8}) {
    f.t.create(10, 1, g, f.t.stack({testing::user("main.main", 5)}), f.t.start_of("main.worker"));
    f.t.start(20 + g, g);
    f.t.block(30 + g, g, "select", f.t.select_stack("main.worker", 12));
  }
  f.b.on_message("new 1 0 background 0 - 0 main.main /m.go 1", 5, 1);
  f.b.on_message("new 2 1 cancel 0 n 0 main.main /m.go 2", 6, 1);
  f.b.on_message("new 3 1 cancel 0 n 0 main.main /m.go 3", 7, 1);
  f.b.on_message("new 4 1 cancel 0 n 0 main.main /m.go 4", 8, 1);
  f.t.unblock(1'000'000, 1, 7, f.t.cancel_stack());  // some other cancel by main
  f.t.preempt(2'000'000, 1, f.t.stack({testing::user("main.main", 39)}));  // that call is over
  f.t.start(8'000'000, 1);
  f.t.unblock(9'000'000, 1, 8, f.t.cancel_stack());  // context 3's cancel func
  f.b.on_message("cancel 3 own 0 canceled - main.main /m.go 40 -", 9'000'100, 1);
  f.b.on_message("cancel 4 own 0 canceled - main.main /m.go 41 -", 9'000'200, 1);  // right after, woke nobody
  f.b.on_message("cancel 2 own 0 canceled - main.main /m.go 42 -", 20'000'000, 1);  // woke nobody
  f.t.tick(30'000'000);
  ContextTree tree = f.finish();
  ASSERT_EQ(f.m.waves.size(), 2u);
  ASSERT_TRUE(tree.find(3)->done);
  EXPECT_EQ(tree.find(3)->done->wave, 1);
  EXPECT_EQ(tree.find(4)->done->wave, kNone);  // the wave was context 3's call, not this one
  ASSERT_TRUE(tree.find(2)->done);
  EXPECT_EQ(tree.find(2)->done->wave, kNone);  // 11 ms after main's last wave: not its call
}

// trail records a child ended by its traced parent right after the parent's own event, in the
// same goroutine (flag w): it belongs to the parent's wave, down the generations. Without the
// flag a parent event is the AfterFunc observer's, joined through the goroutine it runs in.
TEST(ContextTree, ChildrenRecordedByTheParentsWalkShareItsWave) {
  Fixture f;
  f.t.status(0, 1, GoState::Running);
  f.t.create(10, 1, 7, f.t.stack({testing::user("main.main", 5)}), f.t.start_of("main.worker"));
  f.t.start(20, 7);
  f.t.block(30, 7, "select", f.t.select_stack("main.worker", 12));
  f.b.on_message("new 1 0 background 0 - 0 main.main /m.go 1", 5, 1);
  f.b.on_message("new 2 1 cancel 0 n 0 main.main /m.go 2", 6, 1);
  f.b.on_message("new 3 2 cancel 0 - 0 main.main /m.go 3", 7, 1);
  f.b.on_message("new 4 3 timeout 99999999999 - 0 main.main /m.go 4", 8, 1);
  f.b.on_message("new 5 2 cancel 0 - 0 main.main /m.go 5", 9, 1);
  f.t.unblock(1'000'000, 1, 7, f.t.cancel_stack());  // context 2's cancel func wakes the worker
  f.b.on_message("cancel 2 own 0 canceled - main.main /m.go 40 -", 1'000'100, 1);
  f.b.on_message("cancel 3 parent 2 canceled w - - 0 -", 1'000'200, 1);
  f.b.on_message("cancel 4 parent 3 canceled w - - 0 -", 1'000'300, 1);
  f.b.on_message("cancel 5 parent 2 canceled - - - 0 -", 1'000'400, 1);  // not the walk's
  f.t.tick(30'000'000);
  ContextTree tree = f.finish();
  ASSERT_EQ(f.m.waves.size(), 1u);
  EXPECT_EQ(tree.find(2)->done->wave, 0);
  EXPECT_TRUE(tree.find(3)->done->by_ancestor);
  EXPECT_EQ(tree.find(3)->done->wave, 0);
  EXPECT_EQ(tree.find(4)->done->wave, 0);
  EXPECT_EQ(tree.find(5)->done->wave, kNone);
  EXPECT_EQ(tree.propagation(*tree.find(3)), 100);
}

// Malformed lines are counted, never fatal; unknown events are ignored and counted apart;
// events about contexts created before tracing began get placeholders.
TEST(ContextTree, OdditiesAreCounted) {
  Fixture f;
  f.b.on_message("new 1 0 background 0 - 0 main.main /m.go 1", 1, 1);
  f.b.on_message("new 1 0 background 0 - 0 main.main /m.go 1", 2, 1);
  f.b.on_message("new 9 8 cancel 0 - 0 main.main /m.go 1", 3, 1);
  f.b.on_message("watch 5 main.main /m.go 3", 4, 1);
  f.b.on_message("cancel 9 own 0 canceled - f /m.go 4 -", 5, 1);
  f.b.on_message("cancel 9 own 0 canceled - f /m.go 4 -", 6, 1);
  f.b.on_message("afterrun 9 77", 7, 1);
  f.b.on_message("frobnicate 1 2 3", 8, 1);
  f.b.on_message("new zz", 9, 1);
  f.b.on_message("watch 1 f /a.go", 10, 1);
  f.b.on_message("watch 1 runtime.goexit /go/src/runtime/asm_amd64.s 1771", 11, 9);
  ContextTree tree = f.finish();
  EXPECT_EQ(tree.oddity(ContextOddity::duplicate_new), 1u);
  EXPECT_EQ(tree.oddity(ContextOddity::missing_parent), 1u);
  EXPECT_EQ(tree.oddity(ContextOddity::unknown_context), 1u);
  EXPECT_EQ(tree.oddity(ContextOddity::duplicate_cancel), 1u);
  EXPECT_EQ(tree.oddity(ContextOddity::unknown_afterfunc), 1u);
  EXPECT_EQ(tree.oddity(ContextOddity::unknown_event), 1u);
  EXPECT_EQ(tree.oddity(ContextOddity::malformed), 2u);
  EXPECT_EQ(tree.oddity(ContextOddity::internal_use), 1u);
  EXPECT_TRUE(tree.find(1)->watches.empty());
  EXPECT_EQ(tree.first_malformed, "\"new zz\": new: field 1 (id): bad value 'zz'");
  EXPECT_FALSE(tree.find(8)->known);
  EXPECT_EQ(tree.find(8)->children.size(), 1u);
  EXPECT_FALSE(tree.find(5)->known);
  EXPECT_EQ(tree.find(5)->watches.size(), 1u);
}

// Only Log events of the category "ctxtrail" are read.
TEST(ContextTree, OtherCategoriesAreIgnored) {
  Fixture f;
  trace::Event ev;
  ev.kind = trace::EventKind::Log;
  ev.g = 1;
  ev.time = 5;
  ev.name = f.t.intern("other");
  ev.text = f.t.intern("new 1 0 background 0 - 0 main.main /m.go 1");
  f.b.on_event(ev);
  ev.name = f.t.intern("ctxtrail");
  ev.text = f.t.intern("new 2 0 todo 0 - 0 main.main /m.go 1");
  f.b.on_event(ev);
  ContextTree tree = f.finish();
  ASSERT_EQ(tree.contexts.size(), 1u);
  EXPECT_EQ(tree.contexts[0].id, 2u);
  EXPECT_EQ(tree.contexts[0].created_by, 1);
}

}  // namespace
}  // namespace ctxtrail::model
