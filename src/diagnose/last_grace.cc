/// Leaks that began inside the last grace (last_grace.h). Who could still wake a goroutine, as
/// far as a trace can tell: those that share what its creator made (its siblings), those it
/// handed something to (its children), whoever woke it before, and its nearest live ancestor. A
/// goroutine the trace shows running, runnable, asleep or in I/O among them may yet do it; one
/// parked for good, or parked at the same line as it (the same leak, once per request), will not.
#include "diagnose/last_grace.h"

#include "diagnose/describe.h"
#include "diagnose/rule_checks.h"

namespace ctxtrail::diagnose {

using model::Goroutine;

namespace {

bool no_party(const Goroutine& g) {
  return g.kind == model::GoKind::Runtime || g.kind == model::GoKind::Testing || g.kind == model::GoKind::Service;
}

bool same_line(RuleContext& ctx, trace::StackID a, trace::StackID b) {
  if (a == b) return true;
  const model::SourceLoc la = ctx.frames.top_user_location(a), lb = ctx.frames.top_user_location(b);
  return !la.empty() && la.file == lb.file && la.line == lb.line;
}

// The nearest ancestor still alive: it made what its descendants share (the creator that ended
// got its channels and locks from it), so it may still wake them. Not the main goroutine: the
// root of every goroutine, it is often the one that stops the trace.
const Goroutine* live_ancestor(RuleContext& ctx, const Goroutine& g) {
  const Goroutine* a = ctx.m.find(g.creator);
  for (int guard = 0; a != nullptr && a->ended_at >= 0 && guard < 64; ++guard) a = ctx.m.find(a->creator);
  if (a == nullptr || a->ended_at >= 0 || a->kind == model::GoKind::Main) return nullptr;
  return a;
}

}  // namespace

LastGrace::LastGrace(RuleContext& ctx) : ctx_(ctx) {
  for (const Goroutine& g : ctx.m.goroutines)
    if (g.creator != trace::kNoGoroutine && g.created_at >= 0 && !no_party(g)) children_[g.creator].push_back(&g);
  for (const Goroutine& g : ctx.m.goroutines) {
    if (no_party(g) || !parked(ctx, g) || ctx.m.trace_end - g.state_since < kMinParkInLastGrace) continue;
    // Its timers woke it before: one may again (a ticker's loop is timer_ticking.h's to judge).
    if (ctx.m.timers_of(g).count > 0) continue;
    const Goroutine* creator = ctx.m.find(g.creator);
    const Goroutine* test = ctx.m.find(g.test_root);
    if ((creator != nullptr && creator->ended_at >= 0) || (test != nullptr && test->ended_at >= 0)) set_.insert(g.id);
  }
  // Down to the greatest fixed point: each pass drops those with a relative that may still run.
  for (bool changed = true; changed;) {
    siblings_quiet_.clear();
    std::vector<const Goroutine*> dropped;
    for (trace::GoID id : set_)
      if (const Goroutine* g = ctx.m.find(id); !stays(*g)) dropped.push_back(g);
    for (const Goroutine* g : dropped) set_.erase(g->id);
    changed = !dropped.empty();
  }
}

bool LastGrace::quiet(const Goroutine& other, const Goroutine& g) const {
  if (other.id == g.id || other.ended_at >= 0 || no_party(other)) return true;
  if (!parked(ctx_, other)) return false;
  return ctx_.m.trace_end - other.state_since > stuck_after(ctx_) || set_.count(other.id) > 0 ||
         same_line(ctx_, other.state_stack, g.state_stack);
}

bool LastGrace::all_quiet(const std::vector<const Goroutine*>& group, const Goroutine& g) const {
  for (const Goroutine* o : group)
    if (!quiet(*o, g)) return false;
  return true;
}

bool LastGrace::stays(const Goroutine& g) {
  if (const Goroutine* w = ctx_.m.find(ctx_.m.wakes_of(g).wait_waker); w != nullptr && !quiet(*w, g)) return false;
  if (const Goroutine* a = live_ancestor(ctx_, g); a != nullptr && !quiet(*a, g)) return false;
  if (auto it = children_.find(g.id); it != children_.end() && !all_quiet(it->second, g)) return false;
  auto sibs = children_.find(g.creator);
  if (sibs == children_.end()) return true;
  auto [cached, fresh] = siblings_quiet_.try_emplace({g.creator, g.state_stack}, false);
  if (fresh) cached->second = all_quiet(sibs->second, g);
  return cached->second;
}

}  // namespace ctxtrail::diagnose
