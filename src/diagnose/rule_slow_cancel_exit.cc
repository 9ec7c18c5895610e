/// slow-cancel-exit: woken by a cancel wave and ended, but only after --slow (within --grace).
#include <fmt/format.h>

#include "diagnose/describe.h"
#include "diagnose/facts.h"
#include "diagnose/rule_checks.h"
#include "diagnose/rule_context_common.h"

namespace ctxtrail::diagnose {

void check_slow_cancel_exit(RuleContext& ctx, std::vector<Finding>& out) {
  for (const model::Watcher& w : ctx.m.watchers) {
    // Only an end the wave caused: a goroutine that went on after it (back to its loop, woken
    // again by someone else) ended for another reason, however late.
    if (w.ended_at < 0 || reaction_of(w).reaction != Reaction::Ended) continue;
    int64_t took = w.ended_at - w.woken_at;
    if (took <= ctx.options.slow_ns || took > ctx.options.grace_ns) continue;
    const model::Goroutine* g = ctx.m.find(w.g);
    if (g == nullptr || !reportable(ctx, *g) || ctx.claimed.count(g->id)) continue;
    const model::CancelWave& wave = ctx.m.waves[w.wave];
    Finding f;
    f.goroutines = {g->id};
    f.time_ns = rel(ctx, w.woken_at);
    f.waves = {wave.id};
    model::SourceLoc waited = ctx.frames.top_user_location(w.wait_stack);
    std::string then;
    if (w.reblock_stack != 0)
      then = "; on the way out it blocked on " +
             describe_block(ctx, ctx.frames.str(w.reblock_reason), w.reblock_stack);
    f.message = fmt::format("{} took {} to exit after {} woke it at {} (slow above {}){}",
                            go_name(ctx, *g), format_duration(took), describe_wave(ctx, wave),
                            short_location(waited), format_duration(ctx.options.slow_ns), then);
    add_loc(ctx, f, role::kBlock, w.wait_stack);
    if (w.reblock_stack != 0) add_loc(ctx, f, role::kBlock, w.reblock_stack);
    if (g->last_stack_at > w.woken_at && g->last_stack != w.reblock_stack)
      add_loc(ctx, f, role::kRunning, g->last_stack);
    add_wave_locs(ctx, f, wave);
    add_goroutine_locs(ctx, f, *g);
    f.group_key = fmt::format("{}|{}", wave.id, short_location(waited));
    ctx.claimed.insert(g->id);
    out.push_back(std::move(f));
  }
}

}  // namespace ctxtrail::diagnose
