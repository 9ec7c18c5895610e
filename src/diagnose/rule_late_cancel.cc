/// late-cancel: the cancel func was called more than --slow after every goroutine that watched
/// the context had ended (a defer cancel() far from the work).
#include <algorithm>

#include <fmt/format.h>

#include "diagnose/rule_checks.h"
#include "diagnose/rule_context_common.h"

namespace ctxtrail::diagnose {

void check_late_cancel(RuleContext& ctx, std::vector<Finding>& out) {
  if (ctx.contexts == nullptr) return;
  for (const model::Context& c : ctx.contexts->contexts) {
    if (!c.done || c.done->reason != "own" || c.watches.empty()) continue;
    int64_t last = -1;
    bool all_ended = true;
    for (const model::ContextUse& w : c.watches) {
      if (w.ended_at < 0 || w.g == c.done->g) all_ended = false;
      last = std::max(last, w.ended_at);
    }
    if (!all_ended || c.done->time - last <= ctx.options.slow_ns) continue;
    Finding f;
    f.goroutines = {c.done->g};
    f.time_ns = rel(ctx, c.done->time);
    add_context_loc(f, c);
    f.locations.push_back(Location{std::string(role::kCancel), c.done->site});
    f.message = fmt::format("the cancel func of {} was called at {} ({}), {} after the last of its {} watcher{} "
                            "ended (late above {})",
                            describe_context(c), short_location(c.done->site), format_duration(f.time_ns),
                            format_duration(c.done->time - last), c.watches.size(), c.watches.size() == 1 ? "" : "s",
                            format_duration(ctx.options.slow_ns));
    f.group_key = fmt::format("{}:{}", c.done->site.file, c.done->site.line);
    out.push_back(std::move(f));
  }
}

}  // namespace ctxtrail::diagnose
