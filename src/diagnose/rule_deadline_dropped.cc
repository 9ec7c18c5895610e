/// deadline-dropped: a request left with no deadline, or a later one, than the work that sent it
/// was bound by (docs/trail-events.md, the `send` event). The work's deadline is the earliest
/// deadline up the sending context's chain; the chain is followed through a detached root
/// (Background/TODO made under a cancelable context: trail's `ambient`) and through
/// WithoutCancel, which are exactly where a deadline gets lost. One trace is enough: the
/// caller's process both received (or made) the deadline and sent without it.
#include <fmt/format.h>

#include "diagnose/rule_checks.h"
#include "diagnose/rule_context_common.h"

namespace ctxtrail::diagnose {

namespace {

// What bound the work: the context with the earliest deadline above `c` (itself included), and
// the context where the chain broke (a root made under other work, or a WithoutCancel) below it.
struct Bound {
  const model::Context* deadline = nullptr;
  const model::Context* broke = nullptr;
};

Bound bound_of(const model::ContextTree& t, const model::Context& c) {
  Bound b;
  const model::Context* broke_below = nullptr;  // the first break met on the way up
  const model::Context* at = &c;
  for (int guard = 0; at != nullptr && guard < 10000; ++guard) {
    if (at->deadline != 0 && (b.deadline == nullptr || at->deadline < b.deadline->deadline)) {
      b.deadline = at;
      b.broke = broke_below;
    }
    if (at->never_cancelled() && broke_below == nullptr) broke_below = at;
    const model::Context* up = t.parent_of(*at);
    if (up == nullptr && at->ambient != 0) up = t.find(at->ambient);  // detached: who made it
    if (up == at) break;
    at = up;
  }
  return b;
}

std::string when(int64_t deadline, int64_t sent) {
  if (sent == 0 || deadline == 0) return {};
  return fmt::format(" ({} after the request was sent)", format_duration(deadline - sent));
}

}  // namespace

void check_deadline_dropped(RuleContext& ctx, std::vector<Finding>& out) {
  if (ctx.contexts == nullptr) return;
  const model::ContextTree& t = *ctx.contexts;
  for (const model::RemoteSend& s : t.remote.sends) {
    const model::Context* c = t.find(s.ctx);
    if (c == nullptr || !c->known) continue;
    const Bound b = bound_of(t, *c);
    if (b.deadline == nullptr) continue;  // nothing bounded the work: nothing to forward
    if (s.deadline != 0 && s.deadline <= b.deadline->deadline) continue;
    Finding f;
    f.time_ns = rel(ctx, s.time);
    if (const model::Goroutine* g = ctx.m.find(s.g)) f.goroutines = {g->id};
    // The line to fix first: where the chain broke, else where the sending context was made.
    const model::Context& fix = b.broke != nullptr ? *b.broke : *c;
    add_context_loc(f, fix);
    if (&fix != c && (fix.site.file != c->site.file || fix.site.line != c->site.line)) add_context_loc(f, *c);
    add_context_loc(f, *b.deadline);
    const std::string sent =
        s.deadline == 0 ? std::string("with no deadline")
                        : fmt::format("with a deadline {} later", format_duration(s.deadline - b.deadline->deadline));
    const std::string via =
        b.broke == nullptr ? fmt::format("from {}", describe_context(*c))
        : b.broke == c     ? fmt::format("from {}, which drops its parent's deadline", describe_context(*c))
                           : fmt::format("from {}, whose chain breaks at {}", describe_context(*c),
                                         describe_context(*b.broke));
    f.message = fmt::format("the {} request {} was sent {} {}, though the work was bound by the deadline of {}{}: "
                            "the callee works on after the caller gave up",
                            s.transport, s.target, sent, via, describe_context(*b.deadline),
                            when(b.deadline->deadline, s.sent));
    f.group_key = fmt::format("{}:{}", fix.site.file, fix.site.line);
    out.push_back(std::move(f));
  }
}

}  // namespace ctxtrail::diagnose
