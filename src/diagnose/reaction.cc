/// Watcher reactions from the model's raw times.
#include "ctxtrail/diagnose/reaction.h"

namespace ctxtrail::diagnose {

std::string_view to_string(Reaction r) {
  switch (r) {
    case Reaction::Ended: return "ended";
    case Reaction::MovedOn: return "moved on";
    case Reaction::BlockedAgain: return "blocked again";
    case Reaction::KeptRunning: return "kept running";
  }
  return "?";
}

WatcherReaction reaction_of(const model::Watcher& w) {
  WatcherReaction r;
  auto first = [&](int64_t t) {
    if (t >= 0 && (r.returned_at < 0 || t < r.returned_at)) r.returned_at = t;
  };
  first(w.left_wait_function_at);
  first(w.at_woken_from_site_at);
  first(w.at_wake_site_at);
  if (w.woken_at_return_site) first(w.reblocked_at);
  // It ended because of the wave only if it went straight from the wake to its end: not back
  // from the waiting function first (a worker's next job), and not through a wait that another
  // goroutine or a later wave ended.
  auto before_end = [&](int64_t t) { return t >= 0 && (w.ended_at < 0 || t < w.ended_at); };
  if (before_end(r.returned_at))
    r.reaction = Reaction::MovedOn;
  else if (w.ended_at >= 0 && !before_end(w.rewoken_at) && !before_end(w.superseded_at))
    r.reaction = Reaction::Ended;
  else if (w.reblocked_at >= 0)
    r.reaction = Reaction::BlockedAgain;
  return r;
}

}  // namespace ctxtrail::diagnose
