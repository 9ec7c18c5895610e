/// How a goroutine answered the cancel wave that woke it: the one reading of the raw times the
/// model records on each Watcher, shared by the rules (through the facts pass) and the views.
#pragma once

#include <cstdint>
#include <string_view>

#include "ctxtrail/model/model.h"

namespace ctxtrail::diagnose {

enum class Reaction : uint8_t {
  Ended,         // the goroutine ended, straight from the wake (no other wake or return between)
  MovedOn,       // it returned from the function that waited on Done() and went on
  BlockedAgain,  // it blocked again inside that function
  KeptRunning,   // it never blocked again (as far as the trace goes)
};
std::string_view to_string(Reaction r);

struct WatcherReaction {
  Reaction reaction = Reaction::KeptRunning;
  /// When it returned from the waiting function (-1: not seen): the first of
  /// - a park with that function off its stack;
  /// - a park at a site another goroutine had woken it from before (back where it waits for
  ///   work, a loop's receive);
  /// - a park at the very site the wave woke it from: a select on a Done channel that is already
  ///   closed cannot block, so this is a new call of the function (a pool worker's next job with
  ///   a fresh context);
  /// - any park, when the wave woke it at such a per-item site it had come back to before (a
  ///   dispatcher woken there by the cancel of its last item now waits for the next item, at
  ///   its queue's receive, which never had to block before).
  int64_t returned_at = -1;
};

WatcherReaction reaction_of(const model::Watcher& w);

}  // namespace ctxtrail::diagnose
