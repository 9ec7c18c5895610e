/// The facts pass, and the facts several rules read.
#include "diagnose/facts.h"

#include <algorithm>

#include "diagnose/describe.h"
#include "diagnose/rule_checks.h"

namespace ctxtrail::diagnose {

using model::Goroutine;
using model::kNone;

namespace {

std::vector<const model::Context*> contexts_of_waves(const model::Model& m, const model::ContextTree* tree) {
  std::vector<const model::Context*> out;
  if (tree == nullptr || tree->contexts.empty()) return out;  // no trail events: none known
  out.assign(m.waves.size(), nullptr);
  const auto& all = tree->contexts;
  for (const model::Context& c : all) {
    if (!c.known || !c.done || c.done->wave == kNone) continue;
    const int32_t wave = c.done->wave;
    if (wave < 0 || static_cast<size_t>(wave) >= out.size()) continue;
    const model::Context* p = c.parent_index == kNone ? nullptr : &all[c.parent_index];
    if (p != nullptr && p->done && p->done->wave == wave) continue;  // its parent went first
    if (out[wave] == nullptr) out[wave] = &c;
  }
  return out;
}

}  // namespace

Facts compute_facts(RuleContext& ctx) {
  Facts f;
  for (const Goroutine& s : ctx.m.goroutines)
    if (ended_by_wave(ctx, s).has_value() && s.creator != trace::kNoGoroutine)
      f.sibling_waves[s.creator].push_back(s.id);
  f.wave_contexts = contexts_of_waves(ctx.m, ctx.contexts);
  if (ctx.contexts != nullptr) f.activity.emplace(*ctx.contexts);
  // Every watcher's goroutine has a record: its ID is in the index.
  const model::Model& m = ctx.m;
  f.watchers_first.assign(m.goroutines.size() + 1, 0);
  for (const model::Watcher& w : m.watchers)
    if (const uint32_t r = m.index.find(w.g); r != trace::IdIndex::kNone) ++f.watchers_first[r + 1];
  for (size_t r = 1; r < f.watchers_first.size(); ++r) f.watchers_first[r] += f.watchers_first[r - 1];
  f.watchers_grouped.resize(f.watchers_first.back());
  std::vector<uint32_t> next(f.watchers_first.begin(), f.watchers_first.end() - 1);
  for (size_t i = 0; i < m.watchers.size(); ++i)
    if (const uint32_t r = m.index.find(m.watchers[i].g); r != trace::IdIndex::kNone)
      f.watchers_grouped[next[r]++] = static_cast<int32_t>(i);
  return f;
}

std::vector<int32_t> watchers_of(const RuleContext& ctx, trace::GoID g) {
  const uint32_t r = ctx.m.index.find(g);
  if (r == trace::IdIndex::kNone) return {};
  const Facts& f = *ctx.facts;
  return {f.watchers_grouped.begin() + f.watchers_first[r], f.watchers_grouped.begin() + f.watchers_first[r + 1]};
}


namespace {

// Siblings started by different calls of their creator's function: both calls seen to return,
// at different parks of the creator.
bool of_another_call(const Goroutine& s, const Goroutine& g) {
  return s.starter_returned_at >= 0 && g.starter_returned_at >= 0 && s.starter_returned_at != g.starter_returned_at;
}

// A send nobody ever took, started by a call that has returned: `go func() { out <- v }()`
// followed by a select that gave up on a timer, or a channel handed to a caller that never
// received. No goroutine ever woke it (no one took a value, handed it one or cancelled it), and
// its creator, after the call returned and while it sat there, cancelled a wave (a request's
// deferred cancel): the creator moved on. A sibling the wave woke says nothing here: it may
// never have seen the channel.
Counterpart call_left_it(RuleContext& ctx, const Goroutine& g, bool first_send_there) {
  if (!first_send_there || g.starter_returned_at < 0) return {};
  const model::WakeHistory& wakes = ctx.m.wakes_of(g);
  if (wakes.last_wake.time >= 0 || wakes.wait_waker != trace::kNoGoroutine) return {};
  if (!ctx.frames.info(g.state_stack).has_user) return {};
  const Goroutine* c = ctx.m.find(g.creator);
  if (c == nullptr) return {};
  // A sibling of the same call that the wave woke from a select may have been its receiver
  // (a consumer that returned on the cancel): the sibling rule below says so. One woken from a
  // plain receive waited on its Done() alone.
  if (auto it = ctx.facts->sibling_waves.find(g.creator); it != ctx.facts->sibling_waves.end())
    for (trace::GoID sid : it->second) {
      const Goroutine* s = ctx.m.find(sid);
      const std::optional<model::Watcher> w = ended_by_wave(ctx, *s);
      if (of_another_call(*s, g)) continue;
      if (recorded_wait_reason(ctx, w->wait_reason, w->wait_stack) != "chan receive") return {};
    }
  const int64_t from = std::max(g.starter_returned_at, g.state_since);
  int32_t first = kNone;
  for (int32_t w = c->last_wave_made; w != kNone && ctx.m.waves[w].time >= from; w = ctx.m.waves[w].prev_by_canceller)
    first = w;
  if (first == kNone || ctx.m.trace_end - ctx.m.waves[first].time <= stuck_after(ctx)) return {};
  return {first, c, true};
}

}  // namespace

Counterpart blocked_counterpart(RuleContext& ctx, const Goroutine& g) {
  if (!parked(ctx, g) || g.watch != kNone) return {};
  const auto& waves = ctx.m.waves;
  auto late_enough = [&](const model::CancelWave& w) {
    return w.time >= g.state_since && ctx.m.trace_end - w.time > stuck_after(ctx);
  };
  // The goroutine that last woke it (its partner on the channel) returned after a cancel wave:
  // because the wave woke it, or within --grace of it.
  const Goroutine* peer = ctx.m.find(ctx.m.wakes_of(g).wait_waker);
  if (peer != nullptr && peer->id != g.id && peer->ended_at >= g.state_since) {
    if (const std::optional<model::Watcher> w = ended_by_wave(ctx, *peer))
      if (late_enough(waves[w->wave])) return {w->wave, peer};
    for (int32_t i = static_cast<int32_t>(waves.size()) - 1; i >= 0; --i) {
      const model::CancelWave& w = waves[i];
      if (w.time > peer->ended_at) continue;
      if (peer->ended_at - w.time <= ctx.options.grace_ns && late_enough(w)) return {i, peer};
      break;
    }
  }
  // Its creator returned on a cancel wave that came after it parked.
  if (const Goroutine* c = ctx.m.find(g.creator))
    if (const std::optional<model::Watcher> w = ended_by_wave(ctx, *c))
      if (late_enough(waves[w->wave])) return {w->wave, c};
  const auto& sibling_waves = ctx.facts->sibling_waves;
  // A goroutine it started returned on such a wave, and it waits on a channel where it was
  // never handed work (`go fetch(ctx, out); v := <-out`, a fetch that gives up without sending).
  const auto& sites = ctx.m.wakes_of(g).sites_woken_from;
  std::string reason = wait_reason(ctx, g);
  bool new_chan_wait = (reason == "chan receive" || reason == "chan send" || reason == "select") &&
                       std::find(sites.begin(), sites.end(), g.state_stack) == sites.end();
  // While another goroutine it started still lives, that one may yet answer (the slower replica).
  auto child_alive = [&] {
    for (const Goroutine& c : ctx.m.goroutines)
      if (c.creator == g.id && c.ended_at < 0) return true;
    return false;
  };
  if (new_chan_wait && reason != "chan send")
    if (auto it = sibling_waves.find(g.id); it != sibling_waves.end())
      for (trace::GoID cid : it->second) {
        const Goroutine* child = ctx.m.find(cid);
        const std::optional<model::Watcher> w = ended_by_wave(ctx, *child);
        if (child->created_at <= g.state_since && late_enough(waves[w->wave]))
          return child_alive() ? Counterpart{} : Counterpart{w->wave, child};
      }
  if (g.creator == trace::kNoGoroutine) return {};
  if (Counterpart left = call_left_it(ctx, g, reason == "chan send" && new_chan_wait); left.wave != kNone)
    return left;
  // Otherwise, when nothing that could still wake it ever did (no waker, or one that has
  // returned, e.g. a sibling that once handed it a mutex): a sibling that a cancel wave woke
  // and ended.
  if (peer != nullptr && peer->id != g.id && peer->ended_at < 0) return {};
  // A library goroutine parked in library code (os/signal.NotifyContext's watcher, waiting for
  // its stop func) talks to no sibling of the user's.
  if (!ctx.frames.info(g.state_stack).has_user) return {};
  // While the function that started it still runs in its creator (main.main waiting on its
  // workers, with a goroutine it started waiting for a signal), that function may still wake or
  // stop it: siblings cancelled while it waited are no evidence yet.
  bool starter_runs = false;
  if (const Goroutine* c = ctx.m.find(g.creator); c != nullptr && c->ended_at < 0) {
    const model::SourceLoc site = creation_location(ctx, g.creation_stack);
    for (const auto& f : ctx.frames.stacks().frames(c->last_stack))
      if (!site.empty() && ctx.frames.str(f.func) == site.function) starter_runs = true;
  }
  auto it = sibling_waves.find(g.creator);
  if (it == sibling_waves.end()) return {};
  for (trace::GoID sid : it->second) {
    const Goroutine* s = ctx.m.find(sid);
    // Not a sibling of another call: a connection's goroutine runs one handler call per request
    // and waits for the next request in between, so the calls that started the two returned at
    // different parks of it; another request's goroutines and waves are nothing to this one.
    // (Helpers that set up a pipeline and return, with no park of the creator in between, count
    // as one call; so does a call still running, main.main's.)
    if (of_another_call(*s, g)) continue;
    const std::optional<model::Watcher> w = ended_by_wave(ctx, *s);
    if (!starter_runs && late_enough(waves[w->wave])) return {w->wave, s};
    // It parked only after that wave, at a send where it was never handed work: a fan-in
    // forwarder or a publisher sending to a consumer that returned on the cancel. Not at a
    // receive: that is an idle server that first waits for its next request only now (after a
    // warm-up), whoever started it. Only a wave it lived to see: one before its start belongs to
    // an earlier request or stage (a connection's goroutine serving request after request).
    if (new_chan_wait && reason == "chan send" && waves[w->wave].time < g.state_since &&
        ctx.m.trace_end - g.state_since > stuck_after(ctx) && g.created_at <= waves[w->wave].time)
      return {w->wave, s};
  }
  return {};
}

}  // namespace ctxtrail::diagnose
