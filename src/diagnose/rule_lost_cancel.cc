/// lost-cancel: a cancelable context whose cancel func was never called, still live (not ended
/// by its deadline or parent) when the goroutine that made it ended.
#include <fmt/format.h>

#include "diagnose/rule_checks.h"
#include "diagnose/rule_context_common.h"

namespace ctxtrail::diagnose {

void check_lost_cancel(RuleContext& ctx, std::vector<Finding>& out) {
  if (ctx.contexts == nullptr) return;
  for (const model::Context& c : ctx.contexts->contexts) {
    if (!c.known || !c.cancelable() || c.cancel_called() || c.has_flag('d')) continue;
    if (c.creator_ended < 0) continue;  // its creator is alive at trace end: cannot tell yet
    if (c.done && c.done->time <= c.creator_ended) continue;
    const model::Goroutine* g = ctx.m.find(c.created_by);
    Finding f;
    f.goroutines = {c.created_by};
    f.time_ns = rel(ctx, c.creator_ended);
    std::string later = c.done ? fmt::format("; it was done only at {} ({})", format_duration(rel(ctx, c.done->time)),
                                             c.done->reason == "parent" ? "by its parent" : c.done->reason)
                               : "; it was never done";
    f.message = fmt::format("the cancel func of {} was never called, and the context was still live when {}, "
                            "which made it in {}, ended at {}{}",
                            describe_context(c), g ? go_name(ctx, *g) : fmt::format("G{}", c.created_by),
                            c.site.function, format_duration(f.time_ns), later);
    add_context_loc(f, c);
    if (g != nullptr) add_goroutine_locs(ctx, f, *g);
    f.group_key = fmt::format("{}:{}", c.site.file, c.site.line);
    out.push_back(std::move(f));
  }
}

}  // namespace ctxtrail::diagnose
