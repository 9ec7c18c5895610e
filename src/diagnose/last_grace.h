/// Leaks that began inside the last grace of a trace: a goroutine whose owner (its creator, or
/// its test) has ended is a leak once it has stayed parked for the grace; when the trace ends
/// sooner, it still is one if nothing alive could wake it. Read by leaked-goroutine.
#pragma once

#include <map>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "diagnose/rule_context.h"

namespace ctxtrail::diagnose {

/// Shortest park taken as a leak inside the last grace: a goroutine that parked a moment before
/// the trace stopped may be about to be woken by a goroutine the trace shows running. Short:
/// a go test trace of three small tests lasts 2 ms, and ends 50 µs after a leak began.
inline constexpr int64_t kMinParkInLastGrace = 10'000;  // 10µs

class LastGrace {
 public:
  /// Finds them all: the greatest set of goroutines parked to the end of the trace (for at
  /// least kMinParkInLastGrace), never woken by a timer of their own (which may wake them
  /// again), whose creator or test has ended, and around each of which every
  /// goroutine that could hold what it waits on has ended, is parked for longer than
  /// stuck_after(), waits at its own line (the same leak, many times) or is in the set (two
  /// goroutines each holding the lock the other waits for): its siblings (started by its
  /// creator), those it started, and the goroutine that last woke it. The runtime's and the
  /// testing package's goroutines are no party to a program's channels. Nor may its nearest
  /// ancestor still alive (other than main) be running: it made what its descendants share.
  explicit LastGrace(RuleContext& ctx);
  /// g is in the set: nothing alive could wake it. The caller checks it is reportable.
  bool nothing_alive_can_wake(const model::Goroutine& g) const { return set_.count(g.id) > 0; }

 private:
  bool quiet(const model::Goroutine& other, const model::Goroutine& g) const;
  bool all_quiet(const std::vector<const model::Goroutine*>& group, const model::Goroutine& g) const;
  bool stays(const model::Goroutine& g);

  RuleContext& ctx_;
  std::unordered_map<trace::GoID, std::vector<const model::Goroutine*>> children_;
  std::unordered_set<trace::GoID> set_;
  /// Per pass, per (creator, parked stack): whether its goroutines are all quiet to one parked
  /// there.
  std::map<std::pair<trace::GoID, trace::StackID>, bool> siblings_quiet_;
};

}  // namespace ctxtrail::diagnose
