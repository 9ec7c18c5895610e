/// running-after-err: a goroutine saw ctx.Err() != nil and was still running --grace later.
#include <fmt/format.h>

#include "diagnose/rule_checks.h"
#include "diagnose/facts.h"
#include "diagnose/rule_context_common.h"

namespace ctxtrail::diagnose {

void check_running_after_err(RuleContext& ctx, std::vector<Finding>& out) {
  if (ctx.contexts == nullptr) return;
  const model::ContextTree& tree = *ctx.contexts;
  const ContextActivity& act = *ctx.facts->activity;
  for (const model::Context& c : tree.contexts) {
    for (const model::ContextUse& e : c.errseens) {
      const model::Goroutine* g = candidate(ctx, e.g);
      if (g == nullptr || !alive_after_grace(ctx, *g, e.time)) continue;
      if (act.moved_on(g->id, e.time, tree, c)) continue;
      Finding f;
      f.goroutines = {g->id};
      f.time_ns = rel(ctx, e.time);
      add_context_loc(f, c);
      f.locations.push_back(Location{std::string(role::kRunning), e.site});
      std::string ended = add_cancel_loc(ctx, f, c);
      std::string state =
          g->ended_at >= 0
              ? fmt::format("ended only {} later", format_duration(g->ended_at - e.time))
              : fmt::format("was still alive at the end of the trace, {} later: it is {}",
                            format_duration(ctx.m.trace_end - e.time), describe_state(ctx, f, *g));
      f.message = fmt::format("{} saw Err() = {} of {} ({}) at {} at {}, and {}", go_name(ctx, *g), e.err,
                              describe_context(c), ended, short_location(e.site), format_duration(f.time_ns), state);
      add_goroutine_locs(ctx, f, *g);
      f.group_key = fmt::format("{}:{}", e.site.file, e.site.line);
      ctx.claimed.insert(g->id);
      out.push_back(std::move(f));
    }
  }
}

}  // namespace ctxtrail::diagnose
