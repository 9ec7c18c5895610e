/// blocked-forever: parked on a channel, select, mutex or condition from before a cancel wave
/// that ended its siblings, until trace end, for longer than --grace.
#include <fmt/format.h>

#include "diagnose/describe.h"
#include "diagnose/rule_checks.h"

namespace ctxtrail::diagnose {

using model::Goroutine;
using model::kNone;

int32_t sibling_wave(RuleContext& ctx, const Goroutine& g) {
  if (!parked(ctx, g) || g.creator == trace::kNoGoroutine || g.watch != kNone) return kNone;
  // Siblings: goroutines of the same creator that a cancel wave woke and that then ended.
  auto& by_creator = ctx.sibling_waves;
  if (!ctx.sibling_waves_ready) {
    for (const Goroutine& s : ctx.m.goroutines)
      if (const model::Watcher* w = ended_by_wave(ctx, s))
        if (s.creator != trace::kNoGoroutine) by_creator[s.creator].push_back(w->wave);
    ctx.sibling_waves_ready = true;
  }
  auto it = by_creator.find(g.creator);
  if (it == by_creator.end()) return kNone;
  for (int32_t wi : it->second) {
    const model::CancelWave& w = ctx.m.waves[wi];
    if (w.time >= g.state_since && ctx.m.trace_end - w.time > ctx.options.grace_ns) return wi;
  }
  return kNone;
}

void check_blocked_forever(RuleContext& ctx, std::vector<Finding>& out) {
  for (const Goroutine& g : ctx.m.goroutines) {
    if (!reportable(ctx, g) || ctx.claimed.count(g.id)) continue;
    int32_t wi = sibling_wave(ctx, g);
    if (wi == kNone) continue;
    const model::CancelWave& wave = ctx.m.waves[wi];
    // Name a sibling the wave ended: the goroutine that could have woken it, preferably
    // the one that last did.
    const Goroutine* sib = nullptr;
    for (int32_t wx : wave.watchers) {
      const Goroutine* s = ctx.m.find(ctx.m.watchers[wx].g);
      if (s != nullptr && s->creator == g.creator && ended_by_wave(ctx, *s) != nullptr &&
          (sib == nullptr || s->id == g.wait_waker))
        sib = s;
    }
    Finding f;
    f.rule = "blocked-forever";
    f.goroutines = {g.id};
    f.time_ns = rel(ctx, wave.time);
    f.waves = {wave.id};
    std::string reason = wait_reason(ctx, g);
    std::string peer;
    if (sib != nullptr)
      peer = fmt::format("; its sibling {} could have woken it but returned on the cancel at {}",
                         go_name(ctx, *sib), format_duration(rel(ctx, sib->ended_at)));
    f.message = fmt::format(
        "{} has been blocked on {} since {}, before {}, and stays blocked to the end of the trace "
        "({} after the cancel){}{}",
        go_name(ctx, g), describe_block(ctx, reason, g.state_stack),
        format_duration(rel(ctx, g.state_since)), describe_wave(ctx, wave),
        format_duration(ctx.m.trace_end - wave.time), peer,
        sib != nullptr && sib->id == g.wait_waker ? "" : describe_waker(ctx, g));
    add_loc(ctx, f, role::kBlock, g.state_stack);
    set_block_stack(ctx, f, g.state_stack);
    add_goroutine_locs(ctx, f, g);
    f.locations.push_back(Location{std::string(role::kCancel), cancel_location(ctx, wave)});
    f.group_key = fmt::format("{}|{}|{}", wave.id, short_loc(ctx.frames.top_user_location(g.state_stack)),
                              short_loc(ctx.frames.top_user_location(g.creation_stack)));
    ctx.claimed.insert(g.id);
    out.push_back(std::move(f));
  }
}

}  // namespace ctxtrail::diagnose
