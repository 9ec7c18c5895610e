/// blocked-forever: parked on a channel, select, mutex or condition from before a cancel wave
/// until trace end, for longer than --grace after it, while the goroutine that should have
/// woken it (the one that last did, its creator, one it started, or a sibling) returned on that
/// cancellation; or parked only after a wave that ended a sibling, on a channel send it was never
/// handed work at.
#include <algorithm>

#include <fmt/format.h>

#include "diagnose/describe.h"
#include "diagnose/rule_checks.h"
#include "diagnose/rule_context_common.h"

namespace ctxtrail::diagnose {

using model::Goroutine;
using model::kNone;

Counterpart blocked_counterpart(RuleContext& ctx, const Goroutine& g) {
  if (!parked(ctx, g) || g.watch != kNone) return {};
  const auto& waves = ctx.m.waves;
  auto late_enough = [&](const model::CancelWave& w) {
    return w.time >= g.state_since && ctx.m.trace_end - w.time > stuck_after(ctx);
  };
  // The goroutine that last woke it (its partner on the channel) returned after a cancel wave:
  // because the wave woke it, or within --grace of it.
  const Goroutine* peer = ctx.m.find(g.wait_waker);
  if (peer != nullptr && peer->id != g.id && peer->ended_at >= g.state_since) {
    if (const model::Watcher* w = ended_by_wave(ctx, *peer))
      if (late_enough(waves[w->wave])) return {w->wave, peer};
    for (int32_t i = static_cast<int32_t>(waves.size()) - 1; i >= 0; --i) {
      const model::CancelWave& w = waves[i];
      if (w.time > peer->ended_at) continue;
      if (peer->ended_at - w.time <= ctx.options.grace_ns && late_enough(w)) return {i, peer};
      break;
    }
  }
  // Its creator returned on a cancel wave that came after it parked.
  if (const Goroutine* c = ctx.m.find(g.creator))
    if (const model::Watcher* w = ended_by_wave(ctx, *c))
      if (late_enough(waves[w->wave])) return {w->wave, c};
  if (!ctx.sibling_waves_ready) {
    for (const Goroutine& s : ctx.m.goroutines)
      if (ended_by_wave(ctx, s) != nullptr && s.creator != trace::kNoGoroutine)
        ctx.sibling_waves[s.creator].push_back(s.id);
    ctx.sibling_waves_ready = true;
  }
  // A goroutine it started returned on such a wave, and it waits on a channel where it was
  // never handed work (`go fetch(ctx, out); v := <-out`, a fetch that gives up without sending).
  const auto& sites = g.work_sites;
  std::string reason = wait_reason(ctx, g);
  bool new_chan_wait = (reason == "chan receive" || reason == "chan send" || reason == "select") &&
                       std::find(sites.begin(), sites.end(), g.state_stack) == sites.end();
  // While another goroutine it started still lives, that one may yet answer (the slower replica).
  auto child_alive = [&] {
    for (const Goroutine& c : ctx.m.goroutines)
      if (c.creator == g.id && c.ended_at < 0) return true;
    return false;
  };
  if (new_chan_wait && reason != "chan send")
    if (auto it = ctx.sibling_waves.find(g.id); it != ctx.sibling_waves.end())
      for (trace::GoID cid : it->second) {
        const Goroutine* child = ctx.m.find(cid);
        const model::Watcher* w = ended_by_wave(ctx, *child);
        if (child->created_at <= g.state_since && late_enough(waves[w->wave]))
          return child_alive() ? Counterpart{} : Counterpart{w->wave, child};
      }
  // Otherwise, when nothing that could still wake it ever did (no waker, or one that has
  // returned, e.g. a sibling that once handed it a mutex): a sibling that a cancel wave woke
  // and ended.
  if (g.creator == trace::kNoGoroutine) return {};
  if (peer != nullptr && peer->id != g.id && peer->ended_at < 0) return {};
  // A library goroutine parked in library code (os/signal.NotifyContext's watcher, waiting for
  // its stop func) talks to no sibling of the user's.
  if (!ctx.frames.info(g.state_stack).has_user) return {};
  // While the function that started it still runs in its creator (main.main waiting on its
  // workers, with a goroutine it started waiting for a signal), that function may still wake or
  // stop it: siblings cancelled while it waited are no evidence yet.
  bool starter_runs = false;
  if (const Goroutine* c = ctx.m.find(g.creator); c != nullptr && c->ended_at < 0) {
    const model::SourceLoc site = creation_location(ctx, g.creation_stack);
    for (const auto& f : ctx.frames.stacks().frames(c->last_stack))
      if (!site.empty() && ctx.frames.str(f.func) == site.function) starter_runs = true;
  }
  auto it = ctx.sibling_waves.find(g.creator);
  if (it == ctx.sibling_waves.end()) return {};
  for (trace::GoID sid : it->second) {
    const Goroutine* s = ctx.m.find(sid);
    const model::Watcher* w = ended_by_wave(ctx, *s);
    if (!starter_runs && late_enough(waves[w->wave])) return {w->wave, s};
    // It parked only after that wave, at a send where it was never handed work: a fan-in
    // forwarder or a publisher sending to a consumer that returned on the cancel. Not at a
    // receive: that is an idle server that first waits for its next request only now (after a
    // warm-up), whoever started it. With its `go` statement in main.main itself (still running),
    // only one that already lived at that wave: one started after it belongs to what main did next.
    if (new_chan_wait && reason == "chan send" && waves[w->wave].time < g.state_since &&
        ctx.m.trace_end - g.state_since > stuck_after(ctx) &&
        (!starter_runs || g.created_at <= waves[w->wave].time))
      return {w->wave, s};
  }
  return {};
}

void check_blocked_forever(RuleContext& ctx, std::vector<Finding>& out) {
  for (const Goroutine& g : ctx.m.goroutines) {
    if (!reportable(ctx, g) || ctx.claimed.count(g.id)) continue;
    Counterpart cp = blocked_counterpart(ctx, g);
    if (cp.wave == kNone) continue;
    const model::CancelWave& wave = ctx.m.waves[cp.wave];
    Finding f;
    f.rule = "blocked-forever";
    f.goroutines = {g.id};
    f.time_ns = rel(ctx, wave.time);
    f.waves = {wave.id};
    std::string reason = wait_reason(ctx, g);
    std::string how = cp.peer->id == g.wait_waker  ? "which last woke it"
                      : cp.peer->id == g.creator   ? "its creator"
                      : cp.peer->creator == g.id   ? "a goroutine it started"
                                                   : "its sibling";
    const model::SourceLoc site = ctx.frames.top_user_location(g.state_stack);
    // A sibling that the wave woke at this very wait could not have woken this one: both waited
    // on their own context's Done(), and this one's context was never cancelled.
    bool same_wait = false;
    if (how == "its sibling")
      if (const model::Watcher* w = ended_by_wave(ctx, *cp.peer)) {
        const model::SourceLoc woken = ctx.frames.top_user_location(w->wait_stack);
        same_wait = !site.empty() && woken.function == site.function && woken.file == site.file &&
                    woken.line == site.line;
      }
    if (same_wait)
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
    f.group_key = fmt::format("{}|{}|{}", same_wait ? std::string("uncancelled") : std::to_string(wave.id),
                              short_location(site), short_location(creation_location(ctx, g.creation_stack)));
    ctx.claimed.insert(g.id);
    out.push_back(std::move(f));
  }
}

}  // namespace ctxtrail::diagnose
