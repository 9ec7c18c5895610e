/// Goroutines that tick forever (timer_ticking.h). The model counts, per goroutine, the wakes
/// no goroutine made (a timer channel's send, a ticker, the end of a sleep) from a channel,
/// select or sleep wait, and those that came after its creator or its test had ended; a
/// deciding wake (another goroutine, a cancel wave) after that shows it still has company.
#include "diagnose/timer_ticking.h"

#include <fmt/format.h>

#include "diagnose/describe.h"

namespace ctxtrail::diagnose {

using model::Goroutine;

std::optional<Ticking> ticking_forever(RuleContext& ctx, const Goroutine& g) {
  if (g.ended_at >= 0 || g.timer_wakes_after_owner < kMinTicksAfterOwner) return {};
  // Parked in a select (a ticker beside a stop or done channel): a janitor whose stop nobody
  // will send now. A goroutine in time.Sleep is as often a bounded loop the trace's end cut short
  // (a test handler writing 50 chunks 10ms apart) as a poller, and one ranging over a ticker
  // alone stops by its own logic as often (fasthttp's DNS cache cleaner returns once the cache
  // is empty): the trace cannot tell those apart, so it says nothing of them.
  if (g.state != trace::GoState::Waiting || wait_reason(ctx, g) != "select") return {};
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
  if (g.last_wake.time >= t.owner_end) return {};
  // Started by a library call (a net/http server's connection, database/sql's opener): its life
  // belongs to a library object, not to the goroutine that made the call.
  auto start = ctx.frames.stacks().frames(g.start_stack);
  if (!start.empty() && ctx.frames.is_stdlib(start.front())) return {};
  t.ticks = g.timer_wakes_after_owner;
  t.first_tick = g.first_timer_wake_after_owner;
  return t;
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
