/// Goroutines that tick forever (timer_ticking.h). The model counts, per goroutine, the wakes
/// no goroutine made (a timer channel's send, a ticker, the end of a sleep) from a channel,
/// select or sleep wait, and those that came after its creator or its test had ended; a
/// deciding wake (another goroutine, a cancel wave) after that shows it still has company.
#include "diagnose/timer_ticking.h"

#include <unordered_set>

#include <fmt/format.h>

#include "diagnose/describe.h"

namespace ctxtrail::diagnose {

using model::Goroutine;

namespace {

// Parked in a select at the end: a ticker beside a stop or done channel, a janitor whose stop
// nobody will send now.
bool waits_for_a_stop(RuleContext& ctx, const Goroutine& g) {
  return g.state == trace::GoState::Waiting && wait_reason(ctx, g) == "select";
}

}  // namespace

std::optional<Ticking> ticking_forever(RuleContext& ctx, const Goroutine& g) {
  const model::TimerWakes& timers = ctx.m.timers_of(g);
  if (g.ended_at >= 0 || timers.after_owner < kMinTicksAfterOwner) return {};
  Ticking t;
  if (const Goroutine* c = ctx.m.find(g.creator); c != nullptr && c->ended_at >= 0) {
    t.owner = c;
    t.owner_end = c->ended_at;
  }
  if (const Goroutine* test = ctx.m.find(g.test_root);
      test != nullptr && test->ended_at >= 0 && (t.owner == nullptr || test->ended_at <= t.owner_end)) {
    t.owner = test;
    t.owner_is_test = true;
    t.owner_end = test->ended_at;
  }
  if (t.owner == nullptr) return {};
  // Woken by another goroutine, or by a cancel, after its owner ended: something still uses it.
  if (ctx.m.wakes_of(g).last_wake.time >= t.owner_end) return {};
  // Started by a library call (a net/http server's connection, database/sql's opener): its life
  // belongs to a library object, not to the goroutine that made the call.
  auto start = ctx.frames.stacks().frames(g.start_stack);
  if (!start.empty() && ctx.frames.is_stdlib(start.front())) return {};
  t.ticks = timers.after_owner;
  t.first_tick = timers.first_after_owner;
  return t;
}

namespace {

// Ticks forever after the call that started it returned, its creator alive (the owner of a
// cache made per request on a keep-alive connection is the request's handler call).
std::optional<Ticking> ticking_after_call(RuleContext& ctx, const Goroutine& g) {
  const model::TimerWakes& timers = ctx.m.timers_of(g);
  if (g.ended_at >= 0 || g.starter_returned_at < 0 || timers.after_starter < kMinTicksAfterOwner) return {};
  const Goroutine* c = ctx.m.find(g.creator);
  if (c == nullptr || c->ended_at >= 0 || ctx.m.wakes_of(g).last_wake.time >= g.starter_returned_at) return {};
  auto start = ctx.frames.stacks().frames(g.start_stack);
  if (!start.empty() && ctx.frames.is_stdlib(start.front())) return {};
  Ticking t;
  t.owner = c;
  t.owner_is_call = true;
  t.owner_end = g.starter_returned_at;
  t.ticks = timers.after_starter;
  t.first_tick = timers.first_after_starter;
  return t;
}

}  // namespace

TickingSet::TickingSet(RuleContext& ctx) {
  // A goroutine ranging over a ticker alone, or sleeping in a loop, stops by its own logic as
  // often as not (fasthttp's DNS cache cleaner returns once the cache is empty; a test handler
  // writes 50 chunks 10ms apart and the trace ends): alone, the trace cannot tell. A crowd of
  // them from one `go` statement, each outliving its owner, is a leak by accumulation (a cache
  // with its janitor made per request).
  // One whose owner is the call that started it is said only in a crowd from that many calls:
  // a constructor's janitor (a service-wide cache made once by main) ticks forever by design.
  std::unordered_map<std::string, std::vector<std::pair<trace::GoID, Ticking>>> crowds;
  for (const Goroutine& g : ctx.m.goroutines) {
    std::optional<Ticking> t = ticking_forever(ctx, g);
    if (t && waits_for_a_stop(ctx, g)) {
      ticking_.emplace(g.id, *t);
      continue;
    }
    if (!t) t = ticking_after_call(ctx, g);
    if (!t) continue;
    const model::SourceLoc created = creation_location(ctx, g.creation_stack);
    crowds[fmt::format("{}:{}", created.file, created.line)].emplace_back(g.id, *t);
  }
  for (auto& [where, members] : crowds) {
    std::unordered_set<int64_t> calls;
    for (const auto& [id, t] : members)
      if (t.owner_is_call) calls.insert(t.owner_end);
    for (auto& [id, t] : members)
      if (members.size() >= kCrowd && (!t.owner_is_call || calls.size() >= kCrowd)) ticking_.emplace(id, t);
  }
}

const Ticking* TickingSet::find(trace::GoID g) const {
  auto it = ticking_.find(g);
  return it == ticking_.end() ? nullptr : &it->second;
}

void describe_ticking(RuleContext& ctx, Finding& f, const Goroutine& g, const Ticking& t,
                      const std::string& owner) {
  std::string now;
  if (g.state == trace::GoState::Waiting) {
    add_loc(ctx, f, role::kBlock, g.state_stack);
    set_block_stack(ctx, f, g.state_stack);
    now = "waits on " + describe_block(ctx, wait_reason(ctx, g), g.state_stack);
  } else {
    add_loc(ctx, f, role::kRunning, g.last_stack);
    now = fmt::format("is {} at {}", trace::to_string(g.state), short_location(ctx.frames.app_location(g.last_stack)));
  }
  f.message = fmt::format(
      "{} ticks forever: woke {} times on its timer since {} ended at {} (first at t={}), and nothing else "
      "woke it since; it now {}. Nothing stops it: the owner of its stop channel or ticker is gone",
      go_name(ctx, g), t.ticks, owner, format_duration(rel(ctx, t.owner_end)), format_duration(rel(ctx, t.first_tick)),
      now);
  f.time_ns = rel(ctx, t.owner_end);
}

}  // namespace ctxtrail::diagnose
