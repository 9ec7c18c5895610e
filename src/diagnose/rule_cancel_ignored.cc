/// cancel-ignored: woken by a cancel wave, still alive --grace later, and the function that
/// waited on Done() is still on its stack (it blocked again there, or kept running).
#include <fmt/format.h>

#include "diagnose/describe.h"
#include "diagnose/facts.h"
#include "diagnose/rule_checks.h"
#include "diagnose/rule_context_common.h"

namespace ctxtrail::diagnose {

using model::Watcher;

namespace {

// Two waves of one cancel call: one call of cancel at one line by one goroutine wakes the
// parent context's waiters and its children's in waves of their own.
bool same_cancel_call(RuleContext& ctx, const model::CancelWave& a, const model::CancelWave& b) {
  if (a.canceller != b.canceller) return false;
  const model::SourceLoc la = ctx.frames.top_user_location(a.stack);
  const model::SourceLoc lb = ctx.frames.top_user_location(b.stack);
  return !la.empty() && la.file == lb.file && la.line == lb.line;
}

// It went back to waiting for work in the same loop, but the goroutine that started the loop
// returned on (or after) this cancellation and nothing woke it since: no work will come (a
// server that stops on shutdown without closing its workers' queue).
bool back_in_an_abandoned_loop(RuleContext& ctx, const Watcher& w, const model::Goroutine& g) {
  if (g.ended_at >= 0 || g.state != trace::GoState::Waiting || g.state_since != reaction_of(w).returned_at)
    return false;
  if (!ctx.frames.contains_function(g.state_stack, w.wait_function)) return false;
  const model::Goroutine* c = ctx.m.find(g.creator);
  if (c == nullptr || c->ended_at < 0) return false;  // alive
  if (c->ended_at < w.woken_at) {
    // Gone before this wake: still this cancellation when the same cancel call ended it, a
    // moment before it reached this worker's derived context (the parent's waiters are woken
    // first, and the creator may return before the children's wave starts).
    const std::optional<Watcher> cw = ended_by_wave(ctx, *c);
    if (!cw || cw->woken_at > w.woken_at ||
        !same_cancel_call(ctx, ctx.m.waves[cw->wave], ctx.m.waves[w.wave]))
      return false;
  }
  return ctx.m.trace_end - g.state_since > stuck_after(ctx);
}

}  // namespace

bool ignored_cancel(RuleContext& ctx, const Watcher& w, const model::Goroutine& g) {
  const model::Model& m = ctx.m;
  int64_t deadline = w.woken_at + ctx.options.grace_ns;
  if (w.ended_at >= 0 && w.ended_at <= deadline) return false;
  if (w.ended_at < 0 && m.trace_end <= deadline) return false;  // the trace cannot tell yet
  const int64_t returned_at = reaction_of(w).returned_at;
  if (returned_at >= 0 && returned_at <= deadline && !back_in_an_abandoned_loop(ctx, w, g))
    return false;  // went on to other work
  if (w.superseded_at >= 0 && w.superseded_at <= deadline) return false;
  if (w.rewoken_at >= 0 && w.rewoken_at <= deadline) return false;  // went on serving others
  return true;
}

void check_cancel_ignored(RuleContext& ctx, std::vector<Finding>& out) {
  for (const Watcher& w : ctx.m.watchers) {
    const model::Goroutine* g = ctx.m.find(w.g);
    if (g == nullptr || !reportable(ctx, *g) || ctx.claimed.count(g->id)) continue;
    if (!ignored_cancel(ctx, w, *g)) continue;
    const model::CancelWave& wave = ctx.m.waves[w.wave];
    Finding f;
    f.goroutines = {g->id};
    f.time_ns = rel(ctx, w.woken_at);
    f.waves = {wave.id};
    model::SourceLoc waited = ctx.frames.top_user_location(w.wait_stack);
    std::string what;
    if (w.ended_at >= 0) {
      what = fmt::format("ended only {} later", format_duration(w.ended_at - w.woken_at));
      if (w.reblock_stack != 0) {
        add_loc(ctx, f, role::kBlock, w.reblock_stack);
        set_block_stack(ctx, f, w.reblock_stack);
      }
    } else if (g->state == trace::GoState::Waiting) {
      std::string reason = wait_reason(ctx, *g);
      what = fmt::format("blocked again: {}", describe_block(ctx, reason, g->state_stack));
      if (ctx.m.wakes_of(*g).wait_waker != wave.canceller) what += describe_waker(ctx, *g);
      add_loc(ctx, f, role::kBlock, g->state_stack);
      set_block_stack(ctx, f, g->state_stack);
    } else {
      what = fmt::format("kept running (last seen {} at {})", trace::to_string(g->state),
                         short_location(ctx.frames.top_user_location(g->last_stack)));
      add_loc(ctx, f, role::kRunning, g->last_stack);
    }
    f.message = fmt::format(
        "{} was woken by {} while waiting on ctx.Done() in {} ({}), but did not return within "
        "{}: it {}",
        go_name(ctx, *g), describe_wave(ctx, wave), waited.function.empty() ? "?" : waited.function,
        short_location(waited), format_duration(ctx.options.grace_ns), what);
    add_loc(ctx, f, role::kBlock, w.wait_stack);
    add_wave_locs(ctx, f, wave);
    add_goroutine_locs(ctx, f, *g);
    f.group_key = fmt::format("{}|{}|{}", wave.id, short_location(waited),
                              short_location(ctx.frames.top_user_location(g->state_stack)));
    ctx.claimed.insert(g->id);
    out.push_back(std::move(f));
  }
}

}  // namespace ctxtrail::diagnose
