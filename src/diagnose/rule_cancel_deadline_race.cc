/// cancel-deadline-race: a timer-based context's deadline fired within --race-window of its
/// parent's cancellation or of its own cancel call, so which cause wins depends on scheduling.
/// Deadlines are wall-clock times; the tree maps them to trace time (ContextTree::wall_offset).
#include <algorithm>
#include <cstdlib>

#include <fmt/format.h>

#include "diagnose/rule_checks.h"
#include "diagnose/rule_context_common.h"

namespace ctxtrail::diagnose {

namespace {

// Whether g's cancel call was its reaction to the deadline: g watched the context (called
// Done() or saw Err()), as in `<-ctx.Done(); ...; cancel()`, which is not a race.
bool reacted(const model::Context& c, trace::GoID g) {
  for (const model::ContextUse& w : c.watches)
    if (w.g == g) return true;
  for (const model::ContextUse& w : c.errseens)
    if (w.g == g) return true;
  return false;
}

// Whether g's call at `at`, after the deadline fired, answered it: g reacted itself, or a
// goroutine g started reacted and ended in between, which is what g was waiting for (a
// worker that saw the deadline returns; its creator's `<-done` or Wait returns and its
// deferred cancel runs).
bool answered(RuleContext& ctx, const model::Context& c, trace::GoID g, int64_t fired, int64_t at) {
  if (reacted(c, g)) return true;
  for (const model::ContextUse& w : c.watches) {
    const model::Goroutine* worker = ctx.m.find(w.g);
    if (worker != nullptr && worker->creator == g && worker->ended_at >= fired && worker->ended_at <= at) return true;
  }
  return false;
}

// Whether the parent's cancellation came from the work the deadline ended, not beside it: a
// goroutine that answered the deadline cancelled it (errgroup: the worker that saw its call's
// deadline cancels the group, whoever made the call's context), or an ancestor of the child's
// creator cancelled it once the goroutine below it on that line had ended (errgroup: the
// deadline ends the lookup, its goroutine returns, Wait returns, the request's deferred cancel
// runs).
bool caused_by_deadline(RuleContext& ctx, const model::Context& c, const model::Context& p, int64_t fired) {
  const model::ContextDone& pd = *p.done;
  if (pd.time < fired || pd.g == trace::kNoGoroutine) return false;
  if (answered(ctx, c, pd.g, fired, pd.time)) return true;
  const model::Goroutine* below = ctx.m.find(c.created_by);
  for (int depth = 0; below != nullptr && depth < 16; ++depth) {
    if (below->creator == pd.g) return below->ended_at >= fired && below->ended_at <= pd.time;
    below = ctx.m.find(below->creator);
  }
  return false;
}

// What raced with the deadline and how far apart, or nothing.
std::optional<std::string> race(RuleContext& ctx, const model::Context& c, Finding& f) {
  const model::ContextTree& tree = *ctx.contexts;
  const model::ContextDone& d = *c.done;
  int64_t w = ctx.options.race_window_ns;
  std::optional<int64_t> deadline = tree.deadline_in_trace(c);
  const model::Context* p = tree.parent_of(c);
  auto cancel_site = [&](const model::SourceLoc& s) {
    if (!s.empty()) f.locations.push_back(Location{std::string(role::kCancel), s});
  };
  if (d.raced) {
    cancel_site(d.site);
    return fmt::format("its cancel func was called at {} while the deadline expired, and the deadline won",
                       short_location(d.site));
  }
  // trail tells parent from deadline by the cause: a parent cancelled with the child's own
  // DeadlineExceeded as its cause (errgroup's cancel(err)) reads as "parent". Err() tells:
  // a parent that was cancelled, not timed out, cannot give its child a deadline error, so
  // the child's deadline fired first (the parent's cancel reaches its children at once).
  const bool misread = d.reason == "parent" && d.err == "deadline" && p != nullptr && p->done &&
                       p->done->err != "deadline";
  if (d.reason == "deadline" || misread) {
    int64_t fired = deadline ? *deadline : misread ? std::min(d.time, p->done->time) : d.time;
    if (!c.lates.empty() && c.lates.front().time - fired <= w &&
        !answered(ctx, c, c.lates.front().g, fired, c.lates.front().time)) {
      cancel_site(c.lates.front().site);
      return fmt::format("its cancel func was called at {} only {} after the deadline fired (the deadline won)",
                         short_location(c.lates.front().site), format_duration(c.lates.front().time - fired));
    }
    if (p != nullptr && p->done && std::llabs(p->done->time - fired) <= w && !caused_by_deadline(ctx, c, *p, fired)) {
      std::string how = add_cancel_loc(ctx, f, *p);
      const int64_t gap = p->done->time - fired;
      return fmt::format("its parent {} was done {} {} the deadline fired ({}; the deadline won)", describe_context(*p),
                         format_duration(std::llabs(gap)), gap < 0 ? "before" : "after", how);
    }
    return std::nullopt;
  }
  if (!deadline) return std::nullopt;
  // A cancellation after the requested deadline won only because the timer was late.
  auto when = [&](int64_t t) {
    return t <= *deadline ? format_duration(*deadline - t) + " before" : format_duration(t - *deadline) + " after";
  };
  if (d.reason == "own" && d.time >= *deadline - w) {
    cancel_site(d.site);
    return fmt::format("its cancel func was called at {} {} the requested deadline (the cancel won)",
                       short_location(d.site), when(d.time));
  }
  if (d.reason == "parent" && p != nullptr && p->done && p->done->time >= *deadline - w) {
    std::string how = add_cancel_loc(ctx, f, *p);
    return fmt::format("its parent {} was done {} the requested deadline ({}; the parent won)", describe_context(*p),
                       when(p->done->time), how);
  }
  return std::nullopt;
}

}  // namespace

void check_cancel_deadline_race(RuleContext& ctx, std::vector<Finding>& out) {
  if (ctx.contexts == nullptr) return;
  for (const model::Context& c : ctx.contexts->contexts) {
    if (!c.known || !c.timer_based() || !c.done) continue;
    Finding f;
    add_context_loc(f, c);
    std::optional<std::string> what = race(ctx, c, f);
    if (!what) continue;
    f.goroutines = {c.created_by};
    f.time_ns = rel(ctx, c.done->time);
    // The one number is in `what` (the gap can exceed the window when the timer fired late).
    f.message = fmt::format("the deadline of {} raced with a cancellation: {}; Err() and the cause depend on "
                            "scheduling",
                            describe_context(c), *what);
    f.group_key = fmt::format("{}:{}", c.site.file, c.site.line);
    out.push_back(std::move(f));
  }
}

}  // namespace ctxtrail::diagnose
