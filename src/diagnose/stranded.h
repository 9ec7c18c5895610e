/// Stranded goroutines: the trace-alone leak signal for long-running programs, where the
/// goroutine that started a leak lives on (main.main of a server, a worker parked for good) and
/// so never ends to mark the leak's lifetime boundary. Read by leaked-goroutine.
#pragma once

#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "ctxtrail/diagnose/finding.h"
#include "diagnose/rule_context.h"

namespace ctxtrail::diagnose {

/// What a parked goroutine waits on, as far as its wait reason and blocking stack tell. Each
/// kind has its own evidence that nothing can wake it (stranded.cc).
enum class WaitKind : uint8_t {
  Lock,       // sync.Mutex / RWMutex Lock or RLock: a correct program holds no lock for good
  Send,       // a channel send: a result or hand-off nobody takes
  WaitGroup,  // sync.WaitGroup.Wait: waits for the goroutines that call Done
  Idle,       // a receive, select or sync.Cond wait: also what a correct worker does between jobs
};

/// Why a parked goroutine can no longer be woken, as far as the trace shows.
struct Stranding {
  WaitKind kind = WaitKind::Idle;
  const model::Goroutine* creator = nullptr;
  /// The function with the `go` statement ("main.(*DB).begin") when it has returned while its
  /// goroutine, `creator`, lives on; empty when the creator is parked for good inside it.
  std::string starter;
  bool creator_stranded = false;  // the creator is stranded itself, or a leak found otherwise
  /// The goroutine that last woke it, if any: ended or parked for good.
  const model::Goroutine* waker = nullptr;
  /// WaitGroup: a goroutine it waits for (one it started or a sibling) that is stranded, or,
  /// when every one of them has ended, one of those.
  const model::Goroutine* peer = nullptr;
};

/// The stranded goroutines of a model: alive at the end of the trace and parked (channel,
/// select, mutex, condition, WaitGroup) for longer than stuck_after(), with a creator that lives
/// on but either returned from the function that started them or is parked for good in it (at a
/// lock, send or WaitGroup, or stranded itself), and
/// nothing that ever woke them still able to (ended, or parked for good itself). A least fixed point:
/// each goroutine is stranded by evidence that does not go round in a circle through itself.
/// The trace cannot see who else holds a channel or lock, so this is a warning unless a leak
/// profile proves it. `leaked`: goroutines already found leaked otherwise (their creator or test
/// ended, another rule's finding), which count as stranded: the goroutines a leaked goroutine
/// started are stranded by the same evidence as those of a stranded one.
class StrandedSet {
 public:
  explicit StrandedSet(RuleContext& ctx, const std::unordered_set<trace::GoID>& leaked = {});
  /// Null when g is not stranded.
  const Stranding* find(trace::GoID g) const;

 private:
  std::unordered_map<trace::GoID, Stranding> stranded_;
};

/// Fills f's message and time, and lowers it to a warning, for g stranded as `s`; `state` is
/// describe_state's text of g.
void describe_stranding(RuleContext& ctx, Finding& f, const model::Goroutine& g, const Stranding& s,
                        const std::string& state);

}  // namespace ctxtrail::diagnose
