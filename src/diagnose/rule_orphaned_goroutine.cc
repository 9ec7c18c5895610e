/// orphaned-goroutine: alive at trace end, more than --grace after its creator (or an ancestor)
/// ended because of a cancel wave, and no cancellation ever reached it.
#include <fmt/format.h>

#include "diagnose/describe.h"
#include "diagnose/rule_checks.h"
#include "diagnose/rule_context_common.h"

namespace ctxtrail::diagnose {

using model::Goroutine;

void check_orphaned_goroutine(RuleContext& ctx, std::vector<Finding>& out) {
  constexpr int kMaxDepth = 16;
  for (const Goroutine& g : ctx.m.goroutines) {
    if (g.ended_at >= 0 || g.watch != model::kNone || !reportable(ctx, g) || ctx.claimed.count(g.id))
      continue;
    if (blocked_counterpart(ctx, g).wave != model::kNone) continue;  // blocked-forever says it better
    const Goroutine* a = ctx.m.find(g.creator);
    const model::Watcher* by = nullptr;
    for (int depth = 0; a != nullptr && depth < kMaxDepth && a->ended_at >= 0; ++depth) {
      if ((by = ended_by_wave(ctx, *a)) != nullptr) break;
      a = ctx.m.find(a->creator);
    }
    if (by == nullptr || a->ended_at < g.created_at) continue;
    if (ctx.m.trace_end - a->ended_at <= stuck_after(ctx)) continue;
    const model::CancelWave& wave = ctx.m.waves[by->wave];
    Finding f;
    f.rule = "orphaned-goroutine";
    f.goroutines = {g.id};
    f.time_ns = rel(ctx, a->ended_at);
    f.waves = {wave.id};
    std::string state = describe_state(ctx, f, g);
    f.message = fmt::format(
        "{} outlived {}{}, which returned on {} at {}: {} later it is still {}, and no "
        "cancellation ever reached it (it does not watch the cancelled context)",
        go_name(ctx, g), a->id == g.creator ? "its creator " : "its ancestor ", go_name(ctx, *a),
        describe_wave(ctx, wave), format_duration(rel(ctx, a->ended_at)),
        format_duration(ctx.m.trace_end - a->ended_at), state);
    add_goroutine_locs(ctx, f, g);
    add_wave_locs(ctx, f, wave);
    f.group_key = fmt::format("{}|{}", wave.id, short_loc(creation_location(ctx, g.creation_stack)));
    ctx.claimed.insert(g.id);
    out.push_back(std::move(f));
  }
}

}  // namespace ctxtrail::diagnose
