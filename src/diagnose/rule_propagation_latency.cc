/// propagation-latency: a child context that existed when its traced parent was done was done
/// more than --slow-propagation after it (the distribution over every edge goes into the report
/// summary). A child made under a parent already done could not hear of it in time; it is
/// derived-from-done's when trail saw the parent done, and no propagation otherwise.
#include <fmt/format.h>

#include "diagnose/rule_checks.h"
#include "diagnose/rule_context_common.h"

namespace ctxtrail::diagnose {

void check_propagation_latency(RuleContext& ctx, std::vector<Finding>& out) {
  if (ctx.contexts == nullptr) return;
  const model::ContextTree& tree = *ctx.contexts;
  for (const model::Context& c : tree.contexts) {
    std::optional<int64_t> lat = tree.propagation(c);
    if (!lat || *lat <= ctx.options.slow_propagation_ns) continue;
    const model::Context& p = *tree.find(c.done->from);
    if (c.created_at > p.done->time) continue;
    Finding f;
    f.goroutines = {c.created_by};
    f.time_ns = rel(ctx, p.done->time);
    add_context_loc(f, c);
    std::string how = add_cancel_loc(ctx, f, p);
    f.message = fmt::format("{} was done {} after its parent {} ({}){}; slow above {}", describe_context(c),
                            format_duration(*lat), describe_context(p), how,
                            c.has_flag('u') ? ", through a plain context in between" : "",
                            format_duration(ctx.options.slow_propagation_ns));
    if (c.done->wave != model::kNone) f.waves = {ctx.m.waves[c.done->wave].id};
    f.group_key = fmt::format("{}:{}", c.site.file, c.site.line);
    out.push_back(std::move(f));
  }
}

}  // namespace ctxtrail::diagnose
