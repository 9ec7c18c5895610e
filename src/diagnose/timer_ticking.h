/// Goroutines that tick forever: a janitor or poller whose owner is gone (a cache dropped, a
/// client never closed) wakes only on its own timer (a ticker, time.After, time.Sleep) and goes
/// back to wait, so it is never "parked unwoken" and the parked-leak tests miss it. Read by
/// leaked-goroutine.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>

#include "ctxtrail/diagnose/finding.h"
#include "diagnose/rule_context.h"

namespace ctxtrail::diagnose {

/// Ticks needed after the owner ended: one timer wake is a timeout that fired once (a select
/// with time.After that then returns or blocks elsewhere); a loop wakes again.
inline constexpr uint32_t kMinTicksAfterOwner = 2;

/// Why a goroutine alive at the end of the trace ticks forever.
struct Ticking {
  /// Its owner that ended first: the goroutine that created it, or the test it descends from.
  const model::Goroutine* owner = nullptr;
  bool owner_is_test = false;
  /// The owner is the call that started it (owner_end: when it returned), in a creator that lives
  /// on (a connection's goroutine, main.main): said of crowds only (TickingSet).
  bool owner_is_call = false;
  int64_t owner_end = -1;
  uint32_t ticks = 0;       // timer wakes after owner_end
  int64_t first_tick = -1;  // the first of them
};

/// Whether g ticks forever: alive at the end of the trace; its creator or its test has ended;
/// since then it woke at least kMinTicksAfterOwner times on its own timers and nothing else
/// (no goroutine, no cancel wave) woke it. A ticker stopped with its goroutine returning ends;
/// a janitor whose owner lives on (main, a server's goroutine) has an owner alive: neither
/// ticks forever.
std::optional<Ticking> ticking_forever(RuleContext& ctx, const model::Goroutine& g);

/// The goroutines of a model that tick forever and are said to: those parked in a select at the
/// end (a ticker beside a stop channel), and the others (a range over a ticker alone, a sleep
/// loop, one running its sweep at the end) only in crowds of at least kCrowd from one `go`
/// statement.
inline constexpr size_t kCrowd = 10;
/// Marks the group key of a ticking finding: its cause is its `go` statement and start
/// function, whether it waits on its ticker or runs its sweep at the trace's end.
inline constexpr std::string_view kTickingGroup = "|ticking|";
class TickingSet {
 public:
  explicit TickingSet(RuleContext& ctx);
  const Ticking* find(trace::GoID g) const;

 private:
  std::unordered_map<trace::GoID, Ticking> ticking_;
};

/// Fills f's message, time, and block or running location, for g ticking as `t`; `owner` names
/// the owner ("test pkg.TestCache", "its creator G5 (main.setup)").
void describe_ticking(RuleContext& ctx, Finding& f, const model::Goroutine& g, const Ticking& t,
                      const std::string& owner);

}  // namespace ctxtrail::diagnose
