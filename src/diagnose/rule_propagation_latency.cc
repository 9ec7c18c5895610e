/// propagation-latency: a child context was done more than --slow-propagation after its traced
/// parent (the distribution over every edge goes into the report summary).
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
    Finding f;
    f.goroutines = {c.created_by};
    f.time_ns = rel(ctx, std::max(p.done->time, c.created_at));
    add_context_loc(f, c);
    std::string how = add_cancel_loc(ctx, f, p);
    const bool made_after = c.created_at > p.done->time;
    f.message = fmt::format("{} was done {} after {} {} ({}){}; slow above {}", describe_context(c),
                            format_duration(*lat), made_after ? "its creation under its done parent" : "its parent",
                            describe_context(p), how,
                            c.has_flag('u') ? ", through a plain context in between" : "",
                            format_duration(ctx.options.slow_propagation_ns));
    if (c.done->wave != model::kNone) f.waves = {ctx.m.waves[c.done->wave].id};
    f.group_key = fmt::format("{}:{}", c.site.file, c.site.line);
    out.push_back(std::move(f));
  }
}

}  // namespace ctxtrail::diagnose
