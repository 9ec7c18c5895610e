/// detached-context: a new root (Background/TODO) or WithoutCancel context made inside a
/// goroutine working under a cancelable context (trail's `ambient`), watched (directly or
/// through a context derived from it) by a goroutine that outlives the cancelable one.
#include <fmt/format.h>

#include "diagnose/rule_checks.h"
#include "diagnose/rule_context_common.h"

namespace ctxtrail::diagnose {

namespace {

void watchers_below(RuleContext& ctx, const model::Context& c, int64_t since, std::vector<const model::Goroutine*>& out,
                    int depth = 0) {
  if (depth > 1000) return;
  for (const model::ContextUse& w : c.watches) {
    const model::Goroutine* g = candidate(ctx, w.g);
    if (g == nullptr || !alive_after_grace(ctx, *g, since)) continue;
    if (std::find(out.begin(), out.end(), g) == out.end()) out.push_back(g);
  }
  for (int32_t ch : c.children) watchers_below(ctx, ctx.contexts->contexts[ch], since, out, depth + 1);
}

}  // namespace

void check_detached_context(RuleContext& ctx, std::vector<Finding>& out) {
  if (ctx.contexts == nullptr) return;
  const model::ContextTree& tree = *ctx.contexts;
  for (const model::Context& n : tree.contexts) {
    if (!n.known || !n.never_cancelled() || n.ambient == 0) continue;
    const model::Context* a = tree.find(n.ambient);
    if (a == nullptr || !a->done) continue;
    std::vector<const model::Goroutine*> gs;
    watchers_below(ctx, n, a->done->time, gs);
    if (gs.empty()) continue;
    Finding f;
    f.time_ns = rel(ctx, a->done->time);
    add_context_loc(f, n);
    std::string ended = add_cancel_loc(ctx, f, *a);
    const model::Goroutine& g = *gs.front();
    std::string state = g.ended_at >= 0
                            ? fmt::format("ended only {} later", format_duration(g.ended_at - a->done->time))
                            : describe_state(ctx, f, g);
    f.message = fmt::format("{} was made in {} while it worked under {}, which was done at {} ({}); {} watching "
                            "the detached context {}",
                            describe_context(n), n.site.function, describe_context(*a), format_duration(f.time_ns),
                            ended, go_name(ctx, g), state);
    if (gs.size() > 1) f.message += fmt::format(" (and {} more goroutines)", gs.size() - 1);
    for (const model::Goroutine* w : gs) {
      f.goroutines.push_back(w->id);
      add_goroutine_locs(ctx, f, *w);
      ctx.claimed.insert(w->id);
    }
    f.group_key = fmt::format("{}:{}", n.site.file, n.site.line);
    out.push_back(std::move(f));
  }
}

}  // namespace ctxtrail::diagnose
