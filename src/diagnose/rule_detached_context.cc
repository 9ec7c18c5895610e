/// detached-context: a new root (Background/TODO) or WithoutCancel context made inside a
/// goroutine working under a cancelable context (trail's `ambient`; for a goroutine with no
/// context of its own yet, its creator's as of the `go` statement, which trail cannot see),
/// watched (directly or through a context derived from it) by a goroutine that outlives the
/// cancelable one.
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

// The cancelable context n's goroutine worked under when it made n: trail's ambient, or the
// one inherited from the goroutine that started it (`from` names that one; else kNoGoroutine).
const model::Context* working_under(RuleContext& ctx, const ContextActivity& act, const model::Context& n,
                                    trace::GoID& from) {
  from = trace::kNoGoroutine;
  if (n.ambient != 0) return ctx.contexts->find(n.ambient);
  const model::Context* a = act.inherited_ambient(ctx.m, n.created_by, n.created_at, *ctx.contexts, from);
  if (from == n.created_by) from = trace::kNoGoroutine;  // its own (trail saw none then)
  return a;
}

}  // namespace

void check_detached_context(RuleContext& ctx, std::vector<Finding>& out) {
  if (ctx.contexts == nullptr) return;
  const model::ContextTree& tree = *ctx.contexts;
  const ContextActivity act(tree);
  for (const model::Context& n : tree.contexts) {
    if (!n.known || !n.never_cancelled()) continue;
    trace::GoID from = trace::kNoGoroutine;
    const model::Context* a = working_under(ctx, act, n, from);
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
    const model::Goroutine* starter = ctx.m.find(from);
    const std::string where =
        starter == nullptr ? fmt::format("{} while it worked", n.site.function)
                           : fmt::format("{}, in a goroutine started by {} while that worked", n.site.function,
                                         go_name(ctx, *starter));
    f.message = fmt::format("{} was made in {} under {}, which was done at {} ({}); {} watching the detached "
                            "context {}",
                            describe_context(n), where, describe_context(*a), format_duration(f.time_ns), ended,
                            go_name(ctx, g), state);
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
