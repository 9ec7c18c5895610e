/// remote-cancel-ignored: a server learnt that its caller cancelled (`remotecancel`) and the
/// goroutine serving that request worked on: it neither ended nor moved on to other contexts
/// for longer than the threshold after. The caller has given up, so everything it does from
/// there is wasted; a handler that selects on ctx.Done() returns within microseconds. The
/// threshold is --grace when given, else --slow (50 ms): --grace's default (500 ms) is for
/// goroutines that may still be needed, and this one is not.
#include <fmt/format.h>

#include "diagnose/describe.h"
#include "diagnose/rule_checks.h"
#include "diagnose/rule_context_common.h"

namespace ctxtrail::diagnose {

namespace {

int64_t threshold(const RuleContext& ctx) {
  return ctx.options.grace_given ? ctx.options.grace_ns : ctx.options.slow_ns;
}

// Whether the goroutine is still on the request: it did not create or watch a context other
// than the request's (or those derived from it) since.
bool still_on_request(RuleContext& ctx, const ContextActivity& act, trace::GoID g, int64_t t,
                      const model::Context& request) {
  auto it = act.by_goroutine.find(g);
  if (it == act.by_goroutine.end()) return true;
  for (const ContextActivity::Step& s : it->second)
    if (s.time > t && !descends_from(*ctx.contexts, ctx.contexts->contexts[s.context], request)) return false;
  return true;
}

// The goroutine serving the request, unless another rule reported it. Whatever its kind: the
// leak rules leave library goroutines (net/http's connection goroutine, gRPC's stream
// goroutine) and main alone, but the goroutine that derived a request's context from its remote
// caller runs the program's handler (or, in a Job's process, main does the work).
const model::Goroutine* server_goroutine(RuleContext& ctx, trace::GoID id) {
  const model::Goroutine* g = ctx.m.find(id);
  return g == nullptr || ctx.claimed.count(id) ? nullptr : g;
}

}  // namespace

void check_remote_cancel_ignored(RuleContext& ctx, std::vector<Finding>& out) {
  if (ctx.contexts == nullptr) return;
  const model::ContextTree& t = *ctx.contexts;
  const ContextActivity act(t);
  const int64_t limit = threshold(ctx);
  for (const model::RemoteReceive& r : t.remote.receives) {
    if (!r.cancel) continue;
    const model::Context* c = t.find(r.ctx);
    if (c == nullptr) continue;
    const model::Goroutine* g = server_goroutine(ctx, r.g);
    if (g == nullptr) continue;
    const int64_t learnt = r.cancel->time;
    const int64_t until = g->ended_at >= 0 ? g->ended_at : ctx.m.trace_end;
    if (until - learnt <= limit) continue;
    if (!still_on_request(ctx, act, g->id, learnt, *c)) continue;
    Finding f;
    f.time_ns = rel(ctx, learnt);
    f.goroutines = {g->id};
    std::string state = g->ended_at >= 0
                            ? fmt::format("ended only {} later", format_duration(g->ended_at - learnt))
                            : fmt::format("was still alive at the end of the trace, {} later",
                                          format_duration(ctx.m.trace_end - learnt));
    // Where it went on: the first place it blocked (or slept) after learning.
    if (r.cancel->blocked_stack != 0) {
      add_loc(ctx, f, role::kRunning, r.cancel->blocked_stack);
      const model::SourceLoc at = ctx.frames.top_user_location(r.cancel->blocked_stack);
      if (!at.empty())
        state += fmt::format("; {} after, it was at {} ({})", format_duration(r.cancel->blocked_at - learnt),
                             short_location(at), at.function);
    }
    add_context_loc(f, *c);
    add_goroutine_locs(ctx, f, *g);
    const std::string cause = r.cancel->cause.empty() ? std::string() : fmt::format(" ({})", r.cancel->cause);
    f.message = fmt::format("{} learnt at {} that the caller of {} {} cancelled ({}{}), and {}: nothing it does "
                            "after that is wanted; select on ctx.Done() of {} where it works",
                            go_name(ctx, *g), format_duration(f.time_ns), r.transport, r.target, r.cancel->how, cause,
                            state, describe_context(*c));
    f.group_key = r.target;
    ctx.claimed.insert(g->id);
    out.push_back(std::move(f));
  }
}

void check_across_processes_only(RuleContext&, std::vector<Finding>&) {}

}  // namespace ctxtrail::diagnose
