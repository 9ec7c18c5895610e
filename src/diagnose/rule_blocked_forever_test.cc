#include "diagnose/rule_test_util.h"

namespace ctxtrail::diagnose {
namespace {

using namespace ctxtrail::diagnose::testing;

TEST(BlockedForever, ProducerBlockedAfterItsConsumerWasCancelled) {
  SyntheticTrace t = base();
  // main.pump started the producer and returned; main.main started the consumer.
  t.create(1 * ms, 1, 10, t.stack({user("main.pump", 30), user("main.main", 60)}), t.start_of("main.producer"));
  spawn_waiter(t, 11, "main.consumer", 44);
  t.start(3 * ms, 10);
  t.block(4 * ms, 10, "chan send",
          t.stack({rt("runtime.chansend1", "runtime/chan.go", 161), user("main.producer", 52)}));
  t.unblock(20 * ms, 1, 11, t.cancel_stack("main.main", 38));
  t.start(20 * ms + 1, 11);
  t.end(20 * ms + 2, 11);
  t.tick(1000 * ms);
  Report r = run(t);
  auto f = of_rule(r, "blocked-forever");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0]->goroutines, std::vector<GoID>{10});
  EXPECT_TRUE(has_loc(*f[0], role::kBlock, 52));
  EXPECT_NE(f[0]->message.find("G11 (main.consumer)"), std::string::npos) << f[0]->message;
  EXPECT_FALSE(f[0]->block_stack.empty());
  EXPECT_EQ(r.findings.size(), 1u);
}

// A request's goroutine G3 calls main.audit: it starts a sender G10 (`go func() { out <- v }()`)
// and a watcher G11 (`<-ctx.Done()`), waits in a select that gives up on a timer, and returns
// (G3 parks in main.serve); later G3 cancels the request's context, which ends the watcher.
// `sibling_in_select`: the watcher instead selects on Done() and another channel.
static SyntheticTrace sender_left_by_its_call(bool sibling_in_select) {
  SyntheticTrace t = base();
  t.create(1 * ms, 1, 3, t.stack({user("main.main", 20)}), t.start_of("main.serve"));
  t.start(1 * ms + 1, 3);
  StackID go = t.stack({user("main.audit", 22), user("main.serve", 40)});
  t.create(2 * ms, 3, 10, go, t.start_of("main.audit.func1"));
  t.create(2 * ms + 1, 3, 11, t.stack({user("main.audit", 30), user("main.serve", 40)}),
           t.start_of("main.audit.func2"));
  t.start(2 * ms + 2, 11);
  if (sibling_in_select)
    t.block(2 * ms + 3, 11, "select", t.select_stack("main.audit.func2", 31));
  else
    t.block(2 * ms + 3, 11, "chan receive", t.recv_stack("main.audit.func2", 31));
  t.block(2 * ms + 4, 3, "select", t.select_stack("main.audit", 26));  // woken by its timer
  t.unblock(3 * ms, trace::kNoGoroutine, 3, 0);
  t.start(3 * ms + 1, 3);
  t.block(3 * ms + 2, 3, "sleep", t.stack({rt("time.Sleep", "runtime/time.go", 363), user("main.serve", 44)}));
  t.start(7 * ms, 10);
  t.block(7 * ms + 1, 10, "chan send", t.stack({rt("runtime.chansend1", "runtime/chan.go", 161), user("main.audit.func1", 24)}));
  t.start(9 * ms, 3);
  t.unblock(9 * ms + 1, 3, 11, t.cancel_stack("main.serve", 46));
  t.start(9 * ms + 2, 11);
  t.end(9 * ms + 3, 11);
  t.block(9 * ms + 4, 3, "IO wait", t.stack({rt("internal/poll.runtime_pollWait", "runtime/netpoll.go", 351), user("main.serve", 38)}));
  t.tick(1000 * ms);
  return t;
}

TEST(BlockedForever, ASendNobodyTookAfterTheCallThatStartedItGaveUp) {
  SyntheticTrace t = sender_left_by_its_call(false);
  Report r = run(t);
  auto f = of_rule(r, "blocked-forever");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0]->goroutines, std::vector<GoID>{10});
  EXPECT_TRUE(has_loc(*f[0], role::kBlock, 24));
  EXPECT_TRUE(has_loc(*f[0], role::kCreation, 22));
  // The watcher of Done() never saw the channel: the call that started it is named, not G11.
  EXPECT_NE(f[0]->message.find("nothing ever received what it sends. The call that started it, main.audit in G3 "
                               "(main.serve), had returned by t=3ms"),
            std::string::npos)
      << f[0]->message;
  EXPECT_EQ(f[0]->message.find("G11"), std::string::npos) << f[0]->message;
}

TEST(BlockedForever, ASiblingWokenFromASelectMayHaveBeenTheReceiver) {
  SyntheticTrace t = sender_left_by_its_call(true);
  Report r = run(t);
  auto f = of_rule(r, "blocked-forever");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NE(f[0]->message.find("G11 (main.audit.func2), its sibling"), std::string::npos) << f[0]->message;
}

TEST(BlockedForever, CreationThroughErrgroupGoIsTheCallerOfGo) {
  SyntheticTrace t = base();
  const std::string eg = "/home/dev/go/pkg/mod/golang.org/x/sync@v0.10.0/errgroup/errgroup.go";
  t.create(1 * ms, 1, 10,
           t.stack({user("golang.org/x/sync/errgroup.(*Group).Go", 75, eg), user("main.crawl", 31),
                    user("main.main", 60)}),
           t.stack({user("golang.org/x/sync/errgroup.(*Group).Go.func1", 70, eg)}));
  spawn_waiter(t, 11, "main.consumer", 44);
  t.start(3 * ms, 10);
  t.block(4 * ms, 10, "chan send",
          t.stack({rt("runtime.chansend1", "runtime/chan.go", 161), user("main.producer", 52),
                   user("golang.org/x/sync/errgroup.(*Group).Go.func1", 78, eg)}));
  t.unblock(20 * ms, 1, 11, t.cancel_stack("main.main", 38));
  t.start(20 * ms + 1, 11);
  t.end(20 * ms + 2, 11);
  t.tick(1000 * ms);
  Report r = run(t);
  auto f = of_rule(r, "blocked-forever");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_TRUE(has_loc(*f[0], role::kBlock, 52));
  EXPECT_TRUE(has_loc(*f[0], role::kCreation, 31));
  EXPECT_FALSE(has_loc(*f[0], role::kCreation, 75));
}

TEST(BlockedForever, ThePartnerThatLastWokeItReturnedAfterTheCancel) {
  SyntheticTrace t = base();
  t.create(1 * ms, 1, 10, t.stack({user("main.main", 30)}), t.start_of("main.producer"));
  t.create(1 * ms, 1, 11, t.stack({user("main.main", 31)}), t.start_of("main.consumer"));
  StackID send = t.stack({rt("runtime.chansend1", "runtime/chan.go", 161), user("main.producer", 52)});
  t.start(2 * ms, 10);
  t.block(2 * ms + 1, 10, "chan send", send);
  t.start(3 * ms, 11);
  t.unblock(3 * ms + 1, 11, 10, t.recv_stack("main.consumer", 45));  // the consumer received
  t.block(3 * ms + 2, 11, "select", t.select_stack("main.consumer", 44));
  t.start(4 * ms, 10);
  t.block(4 * ms + 1, 10, "chan send", send);  // the next send waits for the consumer
  t.unblock(20 * ms, 1, 11, t.cancel_stack("main.main", 38));
  t.start(20 * ms + 1, 11);
  t.end(20 * ms + 2, 11);
  t.tick(1000 * ms);
  Report r = run(t);
  auto f = of_rule(r, "blocked-forever");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NE(f[0]->message.find("G11 (main.consumer), which last woke it"), std::string::npos) << f[0]->message;
  EXPECT_EQ(r.findings.size(), 1u);
}

TEST(BlockedForever, NotForAnIdlePoolWorkerOfALiveCreator) {
  SyntheticTrace t = base();
  // A pool worker that served a job from main, then waits for the next one; a cancelled
  // sibling worker exits.
  t.create(1 * ms, 1, 9, t.stack({user("main.main", 30)}), t.start_of("main.poolWorker"));
  t.start(1 * ms, 9);
  t.block(1 * ms + 1, 9, "chan receive", t.recv_stack("main.poolWorker", 80));
  t.unblock(2 * ms, 1, 9, t.stack({rt("runtime.chansend1", "runtime/chan.go", 161), user("main.main", 33)}));
  t.start(2 * ms + 1, 9);
  t.block(2 * ms + 2, 9, "chan receive", t.recv_stack("main.poolWorker", 80));
  spawn_waiter(t, 11, "main.ticker", 44);
  t.unblock(20 * ms, 1, 11, t.cancel_stack());
  t.start(20 * ms + 1, 11);
  t.end(20 * ms + 2, 11);
  t.tick(1000 * ms);
  EXPECT_TRUE(run(t).findings.empty());
}

TEST(BlockedForever, ASiblingThatOnceHandedItAMutexAndReturnedIsNoPartner) {
  // main (alive) starts a fetcher per page; G10 woke G11 once (a mutex inside time.After),
  // then returned; G11 sends its page to a reader that is gone; G12, a slow fetcher watching
  // ctx.Done(), returns on the cancel: G11 stays blocked forever.
  SyntheticTrace t = base();
  StackID go = t.stack({user("main.crawl", 46)});
  t.create(1 * ms, 1, 10, go, t.start_of("main.fetch"));
  t.create(1 * ms, 1, 11, go, t.start_of("main.fetch"));
  t.start(2 * ms, 11);
  t.block(2 * ms + 1, 11, "sync.Mutex.Lock", t.stack({rt("sync.(*Mutex).Lock", "sync/mutex.go", 90), user("main.fetch", 28)}));
  t.start(3 * ms, 10);
  t.unblock(3 * ms + 1, 10, 11, t.stack({rt("sync.(*Mutex).Unlock", "sync/mutex.go", 65), user("main.fetch", 28)}));
  t.end(4 * ms, 10);
  t.start(5 * ms, 11);
  t.block(6 * ms, 11, "chan send", t.stack({rt("runtime.chansend1", "runtime/chan.go", 161), user("main.fetch", 51)}));
  spawn_waiter(t, 12, "main.fetch", 31, 2 * ms);
  t.unblock(20 * ms, 1, 12, t.cancel_stack("main.crawl", 62));
  t.start(20 * ms + 1, 12);
  t.end(20 * ms + 2, 12);
  // main.crawl returned: main sleeps in main.main.
  t.block(21 * ms, 1, "sleep", t.stack({rt("time.Sleep", "runtime/time.go", 363), user("main.main", 70)}));
  t.tick(1000 * ms);
  Report r = run(t);
  auto f = of_rule(r, "blocked-forever");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0]->goroutines, (std::vector<GoID>{11}));
  EXPECT_TRUE(has_loc(*f[0], role::kBlock, 51));
  EXPECT_NE(f[0]->message.find("G12 (main.fetch), its sibling"), std::string::npos) << f[0]->message;
}

TEST(BlockedForever, PoolWorkersOfADispatcherThatReturnedOnCancel) {
  // The dispatcher (G5) starts a worker, then waits on ctx.Done(); the worker waits for jobs
  // that will never come; the cancel ends the dispatcher.
  SyntheticTrace t = base();
  spawn_waiter(t, 5, "main.serve", 34);
  t.create(2 * ms + 1, 5, 20, t.stack({user("main.serve", 30)}), t.start_of("main.worker"));
  t.start(3 * ms, 20);
  t.block(3 * ms + 1, 20, "chan receive", t.recv_stack("main.worker", 21));
  t.unblock(20 * ms, 1, 5, t.cancel_stack("main.main", 56));
  t.start(20 * ms + 1, 5);
  t.end(20 * ms + 2, 5);
  t.tick(1000 * ms);
  Report r = run(t);
  auto f = of_rule(r, "blocked-forever");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_TRUE(has_loc(*f[0], role::kBlock, 21));
  EXPECT_TRUE(has_loc(*f[0], role::kCreation, 30));
  EXPECT_NE(f[0]->message.find("its creator"), std::string::npos) << f[0]->message;
  EXPECT_EQ(r.findings.size(), 1u);  // not also orphaned-goroutine
}

TEST(BlockedForever, NotForALibraryGoroutineParkedInLibraryCode) {
  // signal.NotifyContext's watcher waits for a signal or its stop func (deferred in main, still
  // alive); a worker main started returns on another context's cancel. They share no channel.
  SyntheticTrace t = base();
  t.create(1 * ms, 1, 10,
           t.stack({rt("os/signal.NotifyContext", "os/signal/signal.go", 291), user("main.main", 28)}),
           t.stack({rt("os/signal.NotifyContext.func1", "os/signal/signal.go", 291)}));
  t.start(1 * ms + 1, 10);
  t.block(1 * ms + 2, 10, "select",
          t.stack({rt("runtime.selectgo", "runtime/select.go", 351),
                   rt("os/signal.NotifyContext.func1", "os/signal/signal.go", 292)}));
  spawn_waiter(t, 11, "main.work", 21);
  t.unblock(200 * ms, 12, 11, t.cancel_stack("main.main", 40));
  t.start(200 * ms + 1, 11);
  t.end(200 * ms + 2, 11);
  t.tick(1000 * ms);
  EXPECT_TRUE(run(t).findings.empty());
}

TEST(BlockedForever, NotWhileTheFunctionThatStartedItStillRuns) {
  // main.main starts a goroutine that waits for SIGINT to cancel, and workers; the job done,
  // main.main cancels the workers itself and goes on: the signal goroutine never gets its
  // signal, and nothing says the workers should have woken it.
  SyntheticTrace t = base();
  t.create(1 * ms, 1, 9, t.stack({user("main.main", 31)}), t.start_of("main.main.func1"));
  t.start(1 * ms + 1, 9);
  t.block(1 * ms + 2, 9, "chan receive", t.recv_stack("main.main.func1", 34));
  spawn_waiter(t, 10, "main.worker", 21);
  spawn_waiter(t, 11, "main.worker", 21);
  t.unblock(80 * ms, 1, 10, t.cancel_stack("main.main", 48));
  t.unblock(80 * ms + 1, 1, 11, t.cancel_stack("main.main", 48));
  t.start(80 * ms + 2, 10);
  t.end(80 * ms + 3, 10);
  t.start(80 * ms + 4, 11);
  t.end(80 * ms + 5, 11);
  t.block(81 * ms, 1, "sleep", t.stack({rt("time.Sleep", "runtime/time.go", 363), user("main.main", 50)}));
  t.tick(1000 * ms);
  EXPECT_TRUE(run(t).findings.empty());
}

TEST(BlockedForever, SiblingsWokenAtTheSameWaitMeanItsContextWasNeverCancelled) {
  // main calls main.call per request: each starts a watcher blocked on its own ctx.Done() at
  // main.go:23. Two calls cancel their context; G10 and G13 were never cancelled (lost cancel).
  SyntheticTrace t = base();
  StackID go = t.stack({user("main.call", 22), user("main.main", 36)});
  auto watcher = [&](GoID g, int64_t at) {
    t.create(at, 1, g, go, t.start_of("main.call.func1"));
    t.start(at + 1, g);
    t.block(at + 2, g, "chan receive", t.recv_stack("main.call.func1", 23));
  };
  watcher(10, 1 * ms);
  watcher(11, 5 * ms);
  t.unblock(10 * ms, 1, 11, t.cancel_stack("main.main", 41));
  t.start(10 * ms + 1, 11);
  t.end(10 * ms + 2, 11);
  watcher(13, 15 * ms);
  watcher(12, 17 * ms);
  t.unblock(20 * ms, 1, 12, t.cancel_stack("main.main", 42));  // the next call's cancel
  t.start(20 * ms + 1, 12);
  t.end(20 * ms + 2, 12);
  t.tick(1000 * ms);
  Report r = run(t);
  auto f = of_rule(r, "blocked-forever");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0]->goroutines, (std::vector<GoID>{10, 13}));
  EXPECT_TRUE(has_loc(*f[0], role::kBlock, 23));
  EXPECT_TRUE(has_loc(*f[0], role::kCreation, 22));
  EXPECT_NE(f[0]->message.find("its sibling waiting at the same line"), std::string::npos) << f[0]->message;
  EXPECT_NE(f[0]->message.find("never cancelled"), std::string::npos) << f[0]->message;
  EXPECT_EQ(f[0]->message.find("could have woken it"), std::string::npos) << f[0]->message;
}

TEST(BlockedForever, WaitingForAGoroutineItStartedThatReturnedOnCancel) {
  // main starts a refresher (G10) that starts a fetcher (G11) and waits for its result; the
  // fetcher returns on the cancel without sending. main lives on.
  SyntheticTrace t = base();
  t.create(1 * ms, 1, 10, t.stack({user("main.main", 47)}), t.start_of("main.refresh"));
  t.start(1 * ms + 1, 10);
  spawn_waiter(t, 11, "main.fetch", 19, 1 * ms + 2, 10);
  t.block(1 * ms + 5, 10, "chan receive", t.recv_stack("main.refresh", 31));
  t.block(2 * ms, 1, "sleep", t.stack({rt("time.Sleep", "runtime/time.go", 363), user("main.main", 53)}));
  t.unblock(60 * ms, 1, 11, t.cancel_stack("main.main", 52));
  t.start(60 * ms + 1, 11);
  t.end(60 * ms + 2, 11);
  t.tick(1000 * ms);
  Report r = run(t);
  auto f = of_rule(r, "blocked-forever");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0]->goroutines, std::vector<GoID>{10});
  EXPECT_TRUE(has_loc(*f[0], role::kBlock, 31));
  EXPECT_TRUE(has_loc(*f[0], role::kCancel, 52));
  EXPECT_NE(f[0]->message.find("G11 (main.fetch), a goroutine it started"), std::string::npos) << f[0]->message;
  EXPECT_EQ(r.findings.size(), 1u);
}

TEST(BlockedForever, NotWhileAnotherGoroutineItStartedMayStillAnswer) {
  // G10 asks two replicas and waits for the first answer; one gives up on its timeout, the
  // other (G12) is still working at trace end.
  SyntheticTrace t = base();
  t.create(1 * ms, 1, 10, t.stack({user("main.main", 47)}), t.start_of("main.query"));
  t.start(1 * ms + 1, 10);
  spawn_waiter(t, 11, "main.replica", 19, 1 * ms + 2, 10);
  t.create(1 * ms + 4, 10, 12, t.stack({user("main.query", 30)}), t.start_of("main.replica"));
  t.block(1 * ms + 5, 10, "chan receive", t.recv_stack("main.query", 31));
  t.start(1 * ms + 6, 12);
  t.block(1 * ms + 7, 12, "sleep", t.stack({rt("time.Sleep", "runtime/time.go", 363), user("main.replica", 22)}));
  t.block(2 * ms, 1, "sleep", t.stack({rt("time.Sleep", "runtime/time.go", 363), user("main.main", 53)}));
  t.unblock(60 * ms, 1, 11, t.cancel_stack("main.main", 52));
  t.start(60 * ms + 1, 11);
  t.end(60 * ms + 2, 11);
  t.tick(1000 * ms);
  EXPECT_TRUE(of_rule(run(t), "blocked-forever").empty());
}

TEST(BlockedForever, NotForADispatcherBackAtItsWorkSiteAfterItsRequestWasCancelled) {
  // The dispatcher (G10) receives a job from main, starts a handler for it (G11) and waits for
  // the next job; the handler returns on its request's cancel.
  SyntheticTrace t = base();
  t.create(1 * ms, 1, 10, t.stack({user("main.main", 47)}), t.start_of("main.dispatch"));
  t.start(1 * ms + 1, 10);
  StackID next = t.recv_stack("main.dispatch", 31);
  t.block(1 * ms + 2, 10, "chan receive", next);
  t.unblock(1 * ms + 3, 1, 10, t.stack({rt("runtime.chansend1", "runtime/chan.go", 161), user("main.main", 49)}));
  t.start(1 * ms + 4, 10);
  spawn_waiter(t, 11, "main.handle", 19, 1 * ms + 5, 10);
  t.block(1 * ms + 9, 10, "chan receive", next);
  t.block(2 * ms, 1, "sleep", t.stack({rt("time.Sleep", "runtime/time.go", 363), user("main.main", 53)}));
  t.unblock(60 * ms, 1, 11, t.cancel_stack("main.main", 52));
  t.start(60 * ms + 1, 11);
  t.end(60 * ms + 2, 11);
  t.tick(1000 * ms);
  EXPECT_TRUE(of_rule(run(t), "blocked-forever").empty());
}

// main.merge (returned) started a forwarder (G10) and main a consumer (G11); a source hands the
// forwarder a value after the cancel ended the consumer; the forwarder then blocks at `last`.
Report forwarder_after_cancel(bool blocks_sending) {
  SyntheticTrace t = base();
  t.create(1 * ms, 1, 10, t.stack({user("main.merge", 34), user("main.main", 60)}), t.start_of("main.merge.func1"));
  t.create(1 * ms, 1, 12, t.stack({user("main.source", 15), user("main.main", 59)}), t.start_of("main.source.func1"));
  spawn_waiter(t, 11, "main.consume", 44);
  t.start(3 * ms, 10);
  StackID next = t.recv_stack("main.merge.func1", 36);
  t.block(3 * ms + 1, 10, "chan receive", next);
  t.block(4 * ms, 1, "sleep", t.stack({rt("time.Sleep", "runtime/time.go", 363), user("main.main", 70)}));
  t.unblock(20 * ms, 1, 11, t.cancel_stack("main.main", 59));
  t.start(20 * ms + 1, 11);
  t.end(20 * ms + 2, 11);
  t.start(22 * ms, 12);
  t.unblock(22 * ms + 1, 12, 10, t.stack({rt("runtime.chansend1", "runtime/chan.go", 161), user("main.source.func1", 18)}));
  t.end(22 * ms + 2, 12);
  t.start(22 * ms + 3, 10);
  if (blocks_sending)
    t.block(22 * ms + 4, 10, "chan send",
            t.stack({rt("runtime.chansend1", "runtime/chan.go", 161), user("main.merge.func1", 37)}));
  else
    t.block(22 * ms + 4, 10, "chan receive", next);
  t.tick(1000 * ms);
  return run(t);
}

TEST(BlockedForever, AForwarderThatBlocksOnlyAfterItsConsumerReturnedOnCancel) {
  Report r = forwarder_after_cancel(true);
  auto f = of_rule(r, "blocked-forever");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0]->goroutines, std::vector<GoID>{10});
  EXPECT_TRUE(has_loc(*f[0], role::kBlock, 37));
  EXPECT_NE(f[0]->message.find("G11 (main.consume), its sibling"), std::string::npos) << f[0]->message;
}

TEST(BlockedForever, NotForAForwarderBackAtTheReceiveItIsHandedWorkAtAfterTheCancel) {
  EXPECT_TRUE(of_rule(forwarder_after_cancel(false), "blocked-forever").empty());
}

// main.main (alive, sleeping) starts two subscribers (G11, G12) watching ctx.Done() and a
// publisher (G10) that sleeps between ticks; main cancels, the subscribers return, and the
// publisher's next tick blocks on its send to a subscriber that is gone. kLate: G10 is started
// by main.main only after the cancel and first parks at a receive; kWarmedUp: G10 sleeps through
// the cancel (warming up) and then first parks at a receive (an idle server, main may still send);
// kWarmedUpInHelper: the same, started by main.startAdmin, which returned.
enum class Publisher { kSends, kLate, kWarmedUp, kWarmedUpInHelper };
Report publisher_after_cancel(Publisher mode) {
  bool late = mode == Publisher::kLate;
  SyntheticTrace t = base();
  spawn_waiter(t, 11, "main.subscriber", 50);
  spawn_waiter(t, 12, "main.subscriber", 50);
  StackID sleep = t.stack({rt("time.Sleep", "runtime/time.go", 363), user("main.main", 70)});
  if (!late) {
    t.create(3 * ms, 1, 10,
             mode == Publisher::kWarmedUpInHelper ? t.stack({user("main.startAdmin", 27), user("main.main", 66)})
                                                  : t.stack({user("main.main", 66)}),
             t.start_of("main.(*broker).run"));
    t.start(3 * ms + 1, 10);
    t.block(3 * ms + 2, 10, "sleep",
            t.stack({rt("time.Sleep", "runtime/time.go", 363), user("main.(*broker).run", 40)}));
  }
  t.block(4 * ms, 1, "sleep", sleep);
  t.unblock(100 * ms, 0, 1, t.stack({rt("runtime.goready", "runtime/proc.go", 400)}));
  t.start(100 * ms + 1, 1);
  t.unblock(100 * ms + 2, 1, 11, t.cancel_stack("main.main", 69));
  t.unblock(100 * ms + 3, 1, 12, t.cancel_stack("main.main", 69));
  t.start(100 * ms + 4, 11);
  t.end(100 * ms + 5, 11);
  t.start(100 * ms + 6, 12);
  t.end(100 * ms + 7, 12);
  if (late) {
    t.create(100 * ms + 8, 1, 10, t.stack({user("main.main", 66)}), t.start_of("main.serveAdmin"));
    t.start(100 * ms + 9, 10);
    t.block(100 * ms + 10, 10, "chan receive", t.recv_stack("main.serveAdmin", 80));
  }
  t.block(100 * ms + 20, 1, "sleep", sleep);
  if (!late) {
    t.unblock(103 * ms, 0, 10, t.stack({rt("runtime.goready", "runtime/proc.go", 400)}));
    t.start(103 * ms + 1, 10);
    if (mode == Publisher::kSends)
      t.block(103 * ms + 2, 10, "chan send",
              t.stack({rt("runtime.chansend1", "runtime/chan.go", 161), user("main.(*broker).publish", 33),
                       user("main.(*broker).run", 39)}));
    else
      t.block(103 * ms + 2, 10, "chan receive", t.recv_stack("main.(*broker).run", 20));
  }
  t.tick(1000 * ms);
  return run(t);
}

TEST(BlockedForever, APublisherStartedInMainThatBlocksOnlyAfterItsSubscribersReturnedOnCancel) {
  Report r = publisher_after_cancel(Publisher::kSends);
  auto f = of_rule(r, "blocked-forever");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0]->goroutines, std::vector<GoID>{10});
  EXPECT_TRUE(has_loc(*f[0], role::kBlock, 33));
  EXPECT_TRUE(has_loc(*f[0], role::kCreation, 66));
  EXPECT_TRUE(has_loc(*f[0], role::kCancel, 69));
  EXPECT_EQ(r.findings.size(), 1u);
}

TEST(BlockedForever, NotForAGoroutineMainStartedAfterTheCancelIdleAtItsQueue) {
  EXPECT_TRUE(of_rule(publisher_after_cancel(Publisher::kLate), "blocked-forever").empty());
}

TEST(BlockedForever, NotForAGoroutineMainStartedThatFirstWaitsForWorkAfterTheCancel) {
  EXPECT_TRUE(of_rule(publisher_after_cancel(Publisher::kWarmedUp), "blocked-forever").empty());
}

TEST(BlockedForever, NotForAGoroutineAHelperStartedThatFirstWaitsForWorkAfterTheCancel) {
  EXPECT_TRUE(of_rule(publisher_after_cancel(Publisher::kWarmedUpInHelper), "blocked-forever").empty());
}

TEST(BlockedForever, NotWithinGrace) {
  SyntheticTrace t = base();
  t.create(1 * ms, 1, 10, t.stack({user("main.pump", 30), user("main.main", 60)}), t.start_of("main.producer"));
  spawn_waiter(t, 11, "main.consumer", 44);
  t.start(3 * ms, 10);
  t.block(4 * ms, 10, "chan send", t.stack({user("main.producer", 52)}));
  t.unblock(20 * ms, 1, 11, t.cancel_stack());
  t.start(20 * ms + 1, 11);
  t.end(20 * ms + 2, 11);
  t.tick(300 * ms);
  Options given;  // --grace 500ms: the trace's 280 ms after the cancel are not enough
  given.grace_given = true;
  EXPECT_TRUE(run(t, given).findings.empty());
  // By default a goroutine parked for 280 of a 300 ms trace after the cancel is stuck.
  EXPECT_EQ(of_rule(run(t), "blocked-forever").size(), 1u);
}

}  // namespace
}  // namespace ctxtrail::diagnose
