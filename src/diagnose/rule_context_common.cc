/// Helpers shared by the context rules.
#include "diagnose/rule_context_common.h"

#include "diagnose/facts.h"

#include <fmt/format.h>

#include <algorithm>

#include "diagnose/rule_checks.h"

namespace ctxtrail::diagnose {

namespace {

std::string_view constructor(std::string_view kind) {
  if (kind == "background") return "Background";
  if (kind == "todo") return "TODO";
  if (kind == "cancel") return "WithCancel";
  if (kind == "cancelcause") return "WithCancelCause";
  if (kind == "timeout") return "WithTimeout";
  if (kind == "timeoutcause") return "WithTimeoutCause";
  if (kind == "deadline") return "WithDeadline";
  if (kind == "deadlinecause") return "WithDeadlineCause";
  if (kind == "withoutcancel") return "WithoutCancel";
  return kind.empty() ? std::string_view("made before the trace") : kind;
}

}  // namespace

std::string describe_context(const model::Context& c) {
  if (!c.known) return fmt::format("context #{} ({})", c.id, constructor(c.kind));
  return fmt::format("context #{} ({} at {})", c.id, constructor(c.kind), short_location(c.site));
}

void add_context_loc(Finding& f, const model::Context& c) {
  if (!c.known || c.site.empty()) return;
  f.locations.push_back(Location{std::string(role::kContext), c.site});
}

std::string add_cancel_loc(RuleContext& ctx, Finding& f, const model::Context& c) {
  if (!c.done) return "never done";
  const model::Context* o = ctx.contexts->origin_of(c);
  const model::ContextDone& d = *o->done;
  if (d.reason == "own" && !d.site.empty()) {
    f.locations.push_back(Location{std::string(role::kCancel), d.site});
    if (o == &c) return fmt::format("cancelled at {}", short_location(d.site));
    return fmt::format("cancelled through {}, cancelled at {}", describe_context(*o), short_location(d.site));
  }
  if (d.reason == "deadline") return o == &c ? "its deadline expired" : fmt::format("the deadline of {} expired", describe_context(*o));
  return "cancelled by an untraced parent";
}

const model::Context* context_of_wave(RuleContext& ctx, const model::CancelWave& w) {
  const auto& known = ctx.facts->wave_contexts;
  const auto at = static_cast<size_t>(w.id - 1);
  return at < known.size() ? known[at] : nullptr;
}

void add_wave_locs(RuleContext& ctx, Finding& f, const model::CancelWave& w) {
  f.locations.push_back(Location{std::string(role::kCancel), cancel_location(ctx, w)});
  if (const model::Context* c = context_of_wave(ctx, w)) add_context_loc(f, *c);
}

bool alive_after_grace(RuleContext& ctx, const model::Goroutine& g, int64_t t) {
  if (g.ended_at >= 0) return g.ended_at > t + ctx.options.grace_ns;
  // Still alive at the end: on a short trace a quarter of it is enough (stuck_after).
  return ctx.m.trace_end - t > stuck_after(ctx);
}

const model::Goroutine* candidate(RuleContext& ctx, trace::GoID id) {
  const model::Goroutine* g = ctx.m.find(id);
  if (g == nullptr || !reportable(ctx, *g) || ctx.claimed.count(id)) return nullptr;
  return g;
}

ContextActivity::ContextActivity(const model::ContextTree& tree) {
  for (size_t i = 0; i < tree.contexts.size(); ++i) {
    const model::Context& c = tree.contexts[i];
    int32_t idx = static_cast<int32_t>(i);
    if (c.known && c.cancelable()) by_goroutine[c.created_by].push_back(Step{c.created_at, idx, true});
    for (const model::ContextUse& w : c.watches) by_goroutine[w.g].push_back(Step{w.time, idx, false});
  }
  for (auto& [g, steps] : by_goroutine)
    std::stable_sort(steps.begin(), steps.end(), [](const Step& a, const Step& b) { return a.time < b.time; });
}

bool ContextActivity::moved_on(trace::GoID g, int64_t t, const model::ContextTree& tree,
                               const model::Context& except) const {
  auto it = by_goroutine.find(g);
  if (it == by_goroutine.end()) return false;
  for (const Step& s : it->second)
    if (s.time > t && &tree.contexts[s.context] != &except) return true;
  return false;
}

const model::Context* ContextActivity::ambient(trace::GoID g, int64_t t, const model::ContextTree& tree) const {
  auto it = by_goroutine.find(g);
  if (it == by_goroutine.end()) return nullptr;
  const Step* last = nullptr;
  for (const Step& s : it->second)
    if (s.time <= t) last = &s;
  if (last == nullptr) return nullptr;
  const model::Context& c = tree.contexts[last->context];
  if (!c.cancelable() || (c.done && c.done->time <= t)) return nullptr;
  return &c;
}

const model::Context* ContextActivity::inherited_ambient(const model::Model& m, trace::GoID g, int64_t t,
                                                        const model::ContextTree& tree, trace::GoID& from) const {
  for (int depth = 0; depth < 64; ++depth) {
    from = g;
    auto it = by_goroutine.find(g);
    if (it != by_goroutine.end() && !it->second.empty() && it->second.front().time <= t) return ambient(g, t, tree);
    const model::Goroutine* started = m.find(g);
    if (started == nullptr || started->creator == trace::kNoGoroutine || started->created_at < 0) return nullptr;
    g = started->creator;
    t = started->created_at;
  }
  return nullptr;
}

bool descends_from(const model::ContextTree& tree, const model::Context& c, const model::Context& ancestor) {
  const model::Context* at = &c;
  for (int guard = 0; at != nullptr && guard < 10000; ++guard) {
    if (at == &ancestor) return true;
    at = tree.parent_of(*at);
  }
  return false;
}

}  // namespace ctxtrail::diagnose
