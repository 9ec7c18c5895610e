#include "ctxtrail/diagnose/reaction.h"

#include <gtest/gtest.h>

namespace ctxtrail::diagnose {
namespace {

model::Watcher woken_at(int64_t t) {
  model::Watcher w;
  w.woken_at = t;
  return w;
}

TEST(Reaction, EndedWinsOverEverythingElse) {
  model::Watcher w = woken_at(10);
  w.reblocked_at = 12;
  w.left_wait_function_at = 12;
  w.ended_at = 20;
  EXPECT_EQ(reaction_of(w).reaction, Reaction::Ended);
  EXPECT_EQ(reaction_of(w).returned_at, 12);
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
