#include "ctxtrail/diagnose/reaction.h"

#include <gtest/gtest.h>

namespace ctxtrail::diagnose {
namespace {

model::Watcher woken_at(int64_t t) {
  model::Watcher w;
  w.woken_at = t;
  return w;
}

TEST(Reaction, EndedStraightFromTheWake) {
  model::Watcher w = woken_at(10);
  w.reblocked_at = 12;  // blocked on the way out (a WaitGroup of its own workers' ends)
  w.ended_at = 20;
  EXPECT_EQ(reaction_of(w).reaction, Reaction::Ended);
  EXPECT_EQ(reaction_of(w).returned_at, -1);
}

// puddle's stress workers: each deadline woke one in Acquire, it returned and took the next
// job; its end, much later, was not the wave's doing.
TEST(Reaction, ReturnedThenEndedWentOn) {
  model::Watcher w = woken_at(10);
  w.reblocked_at = 12;
  w.left_wait_function_at = 12;
  w.ended_at = 20;
  EXPECT_EQ(reaction_of(w).reaction, Reaction::MovedOn);
  EXPECT_EQ(reaction_of(w).returned_at, 12);
}

TEST(Reaction, EndedAfterAnotherWakeIsNotTheWavesEnd) {
  model::Watcher w = woken_at(10);
  w.reblocked_at = 12;
  w.rewoken_at = 15;  // a channel send of another goroutine let it go on
  w.ended_at = 20;
  EXPECT_EQ(reaction_of(w).reaction, Reaction::BlockedAgain);
  w.rewoken_at = -1;
  w.superseded_at = 14;  // a later wave woke it again
  EXPECT_EQ(reaction_of(w).reaction, Reaction::BlockedAgain);
  w.superseded_at = 25;  // after its end: irrelevant
  EXPECT_EQ(reaction_of(w).reaction, Reaction::Ended);
}

TEST(Reaction, ReturnedIsTheFirstOfTheWaysBack) {
  model::Watcher w = woken_at(10);
  w.reblocked_at = 11;
  w.at_wake_site_at = 30;
  w.at_woken_from_site_at = 25;
  w.left_wait_function_at = 40;
  WatcherReaction r = reaction_of(w);
  EXPECT_EQ(r.reaction, Reaction::MovedOn);
  EXPECT_EQ(r.returned_at, 25);
}

TEST(Reaction, AnyParkAfterAWakeAtASiteItCameBackToIsAReturn) {
  model::Watcher w = woken_at(10);
  w.reblocked_at = 15;
  EXPECT_EQ(reaction_of(w).reaction, Reaction::BlockedAgain);
  EXPECT_EQ(reaction_of(w).returned_at, -1);
  w.woken_at_return_site = true;
  EXPECT_EQ(reaction_of(w).reaction, Reaction::MovedOn);
  EXPECT_EQ(reaction_of(w).returned_at, 15);
}

TEST(Reaction, NeverBlockedAgainKeptRunning) {
  model::Watcher w = woken_at(10);
  w.woken_at_return_site = true;  // no park after the wake: nothing to return to
  EXPECT_EQ(reaction_of(w).reaction, Reaction::KeptRunning);
  EXPECT_EQ(to_string(reaction_of(w).reaction), "kept running");
}

}  // namespace
}  // namespace ctxtrail::diagnose
