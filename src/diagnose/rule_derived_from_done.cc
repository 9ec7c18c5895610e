/// derived-from-done: a context made from a parent that was already done (flag d), and work
/// went on under it (it was watched, its Err() seen, contexts derived from it or AfterFuncs
/// registered on it).
#include <fmt/format.h>

#include "diagnose/rule_checks.h"
#include "diagnose/rule_context_common.h"

namespace ctxtrail::diagnose {

void check_derived_from_done(RuleContext& ctx, std::vector<Finding>& out) {
  if (ctx.contexts == nullptr) return;
  const model::ContextTree& tree = *ctx.contexts;
  for (const model::Context& c : tree.contexts) {
    if (!c.known || !c.has_flag('d')) continue;
    size_t uses = c.watches.size() + c.errseens.size() + c.children.size() + c.afters.size();
    if (uses == 0) continue;
    const model::Context* p = tree.parent_of(c);
    Finding f;
    f.goroutines = {c.created_by};
    for (const model::ContextUse& w : c.watches)
      if (std::find(f.goroutines.begin(), f.goroutines.end(), w.g) == f.goroutines.end()) f.goroutines.push_back(w.g);
    f.time_ns = rel(ctx, c.created_at);
    add_context_loc(f, c);
    // One statement of the parent's being done: with its time when the trace has it.
    std::string parent = "its parent, which was already done";
    if (p != nullptr) {
      std::string ended = add_cancel_loc(ctx, f, *p);
      parent = p->done ? fmt::format("{}, already done since {} ({})", describe_context(*p),
                                     format_duration(rel(ctx, p->done->time)), ended)
                       : fmt::format("{}, which was already done", describe_context(*p));
    }
    f.message = fmt::format("{} was derived in {} at {} from {}; work went on under it "
                            "({} watches, {} Err() checks, {} derived contexts, {} AfterFuncs)",
                            describe_context(c), c.site.function, format_duration(f.time_ns), parent, c.watches.size(),
                            c.errseens.size(), c.children.size(), c.afters.size());
    f.group_key = fmt::format("{}:{}", c.site.file, c.site.line);
    out.push_back(std::move(f));
  }
}

}  // namespace ctxtrail::diagnose
