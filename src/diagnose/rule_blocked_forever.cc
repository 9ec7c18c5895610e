/// blocked-forever: parked on a channel, select, mutex or condition from before a cancel wave
/// until trace end, for longer than --grace after it, while the goroutine that should have
/// woken it (the one that last did, its creator, one it started, or a sibling) returned on that
/// cancellation; or parked only after a wave that ended a sibling, on a channel send it was never
/// handed work at; or a first send nobody took, started by a call that has returned, its creator
/// gone on to cancel (facts.cc, call_left_it).
#include <algorithm>

#include <fmt/format.h>

#include "diagnose/describe.h"
#include "diagnose/rule_checks.h"
#include "diagnose/facts.h"
#include "diagnose/rule_context_common.h"

namespace ctxtrail::diagnose {

using model::Goroutine;
using model::kNone;


void check_blocked_forever(RuleContext& ctx, std::vector<Finding>& out) {
  for (const Goroutine& g : ctx.m.goroutines) {
    if (!reportable(ctx, g) || ctx.claimed.count(g.id)) continue;
    Counterpart cp = blocked_counterpart(ctx, g);
    if (cp.wave == kNone) continue;
    const model::CancelWave& wave = ctx.m.waves[cp.wave];
    Finding f;
    f.goroutines = {g.id};
    f.time_ns = rel(ctx, wave.time);
    f.waves = {wave.id};
    std::string reason = wait_reason(ctx, g);
    std::string how = cp.peer->id == ctx.m.wakes_of(g).wait_waker  ? "which last woke it"
                      : cp.peer->id == g.creator   ? "its creator"
                      : cp.peer->creator == g.id   ? "a goroutine it started"
                                                   : "its sibling";
    const model::SourceLoc site = ctx.frames.top_user_location(g.state_stack);
    // A sibling that the wave woke at this very wait could not have woken this one: both waited
    // on their own context's Done(), and this one's context was never cancelled.
    bool same_wait = false;
    if (how == "its sibling")
      if (const std::optional<model::Watcher> w = ended_by_wave(ctx, *cp.peer)) {
        const model::SourceLoc woken = ctx.frames.top_user_location(w->wait_stack);
        same_wait = !site.empty() && woken.function == site.function && woken.file == site.file &&
                    woken.line == site.line;
      }
    if (cp.call_left)
      f.message = fmt::format(
          "{} has been blocked on {} since t={}, and stays blocked to the end of the trace: nothing "
          "ever received what it sends. The call that started it, {} in {}, had returned by t={} "
          "without taking it, and its creator went on: it started {} at t={}",
          go_name(ctx, g), describe_block(ctx, reason, g.state_stack),
          format_duration(rel(ctx, g.state_since)), creation_location(ctx, g.creation_stack).function,
          go_name(ctx, *cp.peer), format_duration(rel(ctx, g.starter_returned_at)),
          describe_wave(ctx, wave), format_duration(rel(ctx, wave.time)));
    else if (same_wait)
      f.message = fmt::format(
          "{} has been blocked on {} since t={}, and stays blocked to the end of the trace: {}, "
          "its sibling waiting at the same line, was woken there by {} and returned at t={}, but "
          "nothing ever woke this one: the context it waits on was never cancelled (a cancel func "
          "not called on every path?)",
          go_name(ctx, g), describe_block(ctx, reason, g.state_stack),
          format_duration(rel(ctx, g.state_since)), go_name(ctx, *cp.peer), describe_wave(ctx, wave),
          format_duration(rel(ctx, cp.peer->ended_at)));
    else
      f.message = fmt::format(
          "{} has been blocked on {} since t={}, and stays blocked to the end of the trace, {} after "
          "{}: {}, {}, could have woken it but returned at t={} instead",
          go_name(ctx, g), describe_block(ctx, reason, g.state_stack),
          format_duration(rel(ctx, g.state_since)), format_duration(ctx.m.trace_end - wave.time),
          describe_wave(ctx, wave), go_name(ctx, *cp.peer), how,
          format_duration(rel(ctx, cp.peer->ended_at)));
    add_loc(ctx, f, role::kBlock, g.state_stack);
    set_block_stack(ctx, f, g.state_stack);
    add_goroutine_locs(ctx, f, g);
    add_wave_locs(ctx, f, wave);
    // Never-cancelled waiters share their cause whichever sibling's wave showed it.
    f.group_key = fmt::format("{}|{}|{}", cp.call_left ? std::string("left")
                                          : same_wait  ? std::string("uncancelled")
                                                       : std::to_string(wave.id),
                              short_location(site), short_location(creation_location(ctx, g.creation_stack)));
    ctx.claimed.insert(g.id);
    out.push_back(std::move(f));
  }
}

}  // namespace ctxtrail::diagnose
