/// Goroutines left behind by each call of a function (left_per_call.h).
#include "diagnose/left_per_call.h"

#include <string>
#include <unordered_set>
#include <vector>

#include <fmt/format.h>

#include "diagnose/describe.h"
#include "diagnose/rule_checks.h"

namespace ctxtrail::diagnose {

using model::Goroutine;

namespace {

// Parked since (or from before) the call that started it returned, woken by no goroutine since,
// for longer than the grace, in the program's own code, its creator alive.
bool left_behind(RuleContext& ctx, const Goroutine& g) {
  if (g.ended_at >= 0 || g.created_at < 0 || g.starter_returned_at < 0 || !reportable(ctx, g) || !parked(ctx, g))
    return false;
  const Goroutine* c = ctx.m.find(g.creator);
  if (c == nullptr || c->ended_at >= 0) return false;
  if (ctx.m.wakes_of(g).last_wake.time >= g.starter_returned_at) return false;
  if (ctx.m.trace_end - std::max(g.state_since, g.starter_returned_at) <= stuck_after(ctx)) return false;
  if (!ctx.frames.info(g.state_stack).has_user) return false;
  auto start = ctx.frames.stacks().frames(g.start_stack);
  return start.empty() || !ctx.frames.is_stdlib(start.front());
}

}  // namespace

LeftPerCall::LeftPerCall(RuleContext& ctx) {
  std::unordered_map<std::string, std::vector<const Goroutine*>> by_go_statement;
  for (const Goroutine& g : ctx.m.goroutines) {
    if (!left_behind(ctx, g)) continue;
    const model::SourceLoc created = creation_location(ctx, g.creation_stack);
    by_go_statement[fmt::format("{}:{}", created.file, created.line)].push_back(&g);
  }
  for (const auto& [where, members] : by_go_statement) {
    // A call is one return of the function in one creator.
    std::unordered_set<std::string> calls;
    for (const Goroutine* g : members) calls.insert(fmt::format("{}@{}", g->creator, g->starter_returned_at));
    if (calls.size() < kCallsLeaving) continue;
    for (const Goroutine* g : members)
      left_.emplace(g->id, LeftByCall{ctx.m.find(g->creator), g->starter_returned_at, calls.size()});
  }
}

const LeftByCall* LeftPerCall::find(trace::GoID g) const {
  auto it = left_.find(g);
  return it == left_.end() ? nullptr : &it->second;
}

}  // namespace ctxtrail::diagnose
