/// watcher-outlived-context: a goroutine that watched a context (called Done()) is alive more
/// than --grace after the context was done; also a goroutine started under a context that
/// watched one of that context's ancestors instead (a closure capturing the outer ctx).
#include <unordered_set>

#include <fmt/format.h>

#include "diagnose/rule_checks.h"
#include "diagnose/facts.h"
#include "diagnose/rule_context_common.h"

namespace ctxtrail::diagnose {

namespace {

Finding outlived(RuleContext& ctx, const model::Goroutine& g, const model::Context& c, std::string how) {
  Finding f;
  f.goroutines = {g.id};
  f.time_ns = rel(ctx, c.done->time);
  add_context_loc(f, c);
  std::string ended = add_cancel_loc(ctx, f, c);
  std::string state = g.ended_at >= 0
                          ? fmt::format("ended only {} later", format_duration(g.ended_at - c.done->time))
                          : describe_state(ctx, f, g);
  f.message = fmt::format("{} {} {}, which was done at {} ({}), but {}", go_name(ctx, g), how,
                          describe_context(c), format_duration(f.time_ns), ended, state);
  add_goroutine_locs(ctx, f, g);
  if (c.done->wave != model::kNone) f.waves = {ctx.m.waves[c.done->wave].id};
  f.group_key = fmt::format("{}:{}|{}", c.site.file, c.site.line, short_location(ctx.frames.top_user_location(g.creation_stack)));
  ctx.claimed.insert(g.id);
  return f;
}

}  // namespace

void check_watcher_outlived_context(RuleContext& ctx, std::vector<Finding>& out) {
  if (ctx.contexts == nullptr) return;
  const model::ContextTree& tree = *ctx.contexts;
  const ContextActivity& act = *ctx.facts->activity;
  for (const model::Context& c : tree.contexts) {
    if (!c.done) continue;
    std::unordered_set<trace::GoID> seen;
    for (const model::ContextUse& w : c.watches) {
      if (!seen.insert(w.g).second) continue;
      const model::Goroutine* g = candidate(ctx, w.g);
      if (g == nullptr || !alive_after_grace(ctx, *g, c.done->time)) continue;
      if (act.moved_on(g->id, c.done->time, tree, c)) continue;
      out.push_back(outlived(ctx, *g, c, fmt::format("called Done() at {} on", short_location(w.site))));
    }
  }
  // Goroutines started under a context X that watched an ancestor of X and nothing below X.
  for (const model::Goroutine& g : ctx.m.goroutines) {
    if (g.created_at < 0 || candidate(ctx, g.id) == nullptr) continue;
    const model::Context* x = act.ambient(g.creator, g.created_at, tree);
    if (x == nullptr || !x->done || !alive_after_grace(ctx, g, x->done->time)) continue;
    auto it = act.by_goroutine.find(g.id);
    if (it == act.by_goroutine.end()) continue;
    const model::Context* outer = nullptr;
    bool under_x = false;
    for (const ContextActivity::Step& s : it->second) {
      const model::Context& w = tree.contexts[s.context];
      if (descends_from(tree, w, *x)) under_x = true;
      else if (!s.created && descends_from(tree, *x, w) && outer == nullptr) outer = &w;
    }
    if (under_x || outer == nullptr) continue;
    out.push_back(outlived(ctx, g, *x,
                           fmt::format("watched only {} (a closure capturing the outer ctx?), not the context "
                                       "it was started under,",
                                       describe_context(*outer))));
  }
}

}  // namespace ctxtrail::diagnose
