/// deadlock: every goroutine of the program waits on another and nothing can wake them. Go's
/// runtime stops such a program with "fatal error: all goroutines are asleep - deadlock!" (read
/// from the dump it prints), but not while runtime/trace is on: the tracer's own goroutines keep
/// it alive, so under a trace the program just stops moving. A trace is called deadlocked when,
/// at its end, every goroutine of the program's (not the runtime's, the testing package's or the
/// tracer's) is parked on a channel, select, lock or WaitGroup, none sleeps or waits for I/O or a
/// syscall (a timer or the network could still wake it), none has moved for --grace, and the
/// trace was stopped by a goroutine outside them (a watchdog timer's, a signal handler's).
#include <algorithm>

#include <fmt/format.h>

#include "diagnose/describe.h"
#include "diagnose/parties.h"
#include "diagnose/rule_checks.h"

namespace ctxtrail::diagnose {

namespace {


constexpr std::string_view kGoDeadlock = "all goroutines are asleep - deadlock!";

// The goroutine that stopped the trace (a signal handler calling trace.Stop, the pprof
// handler serving /debug/pprof/trace) ran at the end for that reason alone.
bool stops_the_trace(RuleContext& ctx, const model::Goroutine& g) {
  return ctx.frames.has_function_prefix(g.last_stack, "runtime/trace.Stop") ||
         ctx.frames.has_function_prefix(g.last_stack, "runtime/trace.(*FlightRecorder)") ||
         ctx.frames.has_function_prefix(g.last_stack, "net/http/pprof.Trace");
}

// Something outside the program's goroutines can still wake it: a signal (os/signal's loop:
// a daemon idle until SIGTERM is waiting, not deadlocked), the network, a system call. The
// runtime's own goroutines otherwise wait on nothing the program does.
bool can_be_woken_from_outside(RuleContext& ctx, const model::Goroutine& g) {
  if (g.state == model::GoState::Syscall) return !stops_the_trace(ctx, g);
  if (g.state != model::GoState::Waiting) return false;
  if (ctx.frames.has_function_prefix(g.state_stack, "os/signal.") ||
      ctx.frames.has_function_prefix(g.state_stack, "runtime.signal_recv"))
    return true;
  const std::string reason = wait_reason(ctx, g);
  return reason == "network" || reason == "IO wait";
}

Finding deadlock_finding(const std::vector<const Party*>& stuck, const std::string& how, int64_t time_ns) {
  Finding f;
  f.message = fmt::format("{}: {}", how, describe_parties(stuck));
  for (const Party* p : stuck) {
    f.goroutines.push_back(static_cast<trace::GoID>(p->id));
    if (!p->block.empty() &&
        std::none_of(f.locations.begin(), f.locations.end(), [&](const Location& l) { return l.where.file == p->block.file && l.where.line == p->block.line; }))
      f.locations.push_back(Location{std::string(role::kBlock), p->block});
  }
  f.time_ns = time_ns;
  f.group_key = "deadlock";
  return f;
}

void from_dumps(RuleContext& ctx, std::vector<Finding>& out) {
  for (const snapshot::Snapshot* s : ctx.m.snapshots.joined) {
    if (s->kind != snapshot::Kind::Dump || s->context.panic.find(kGoDeadlock) == std::string::npos) continue;
    std::vector<Party> parties = parties_from_dump(ctx, *s);
    std::vector<const Party*> stuck;
    for (const Party& p : parties)
      if (p.user) stuck.push_back(&p);
    if (stuck.empty()) continue;
    out.push_back(deadlock_finding(
        stuck, fmt::format("the Go runtime stopped the program: {} (in {}); every goroutine waits on another",
                           kGoDeadlock, s->source), 0));
    return;
  }
}

}  // namespace

void check_deadlock(RuleContext& ctx, std::vector<Finding>& out) {
  from_dumps(ctx, out);
  if (!out.empty() || ctx.m.goroutines.empty()) return;
  // A go test run stopped by its timeout is hung-test's: the alarm and the test's own goroutines
  // say more than "everything waits".
  if (timeout_dump(ctx.m) != nullptr) return;
  std::vector<Party> parties = parties_from_trace(ctx);
  std::vector<const Party*> stuck;
  int64_t last_move = ctx.m.trace_begin;
  // Who stopped the trace: a deadlocked program cannot stop it itself, so a trace of one ends
  // by a watchdog timer's or a signal handler's goroutine calling trace.Stop. Without one in
  // sight, a goroutine parked at a receive or select may just be waiting for a timer the trace
  // cannot show (time.After), and nothing is said.
  // The stopper must be new: started while everything else stood still (a timer's callback).
  // A goroutine of the program that slept through the quiet time and then stopped the trace
  // (main's `time.Sleep(d); stop()`) was a timer pending all along.
  std::vector<const model::Goroutine*> stoppers;
  for (const Party& p : parties) {
    if (stops_the_trace(ctx, *p.traced)) {
      stoppers.push_back(p.traced);
      continue;
    }
    if (can_be_woken_from_outside(ctx, *p.traced)) return;
    if (!p.user) continue;
    if (p.traced->kind == model::GoKind::TestRunner) return;  // a test still running: hung-test's
    if (!p.parked) return;  // running, runnable, sleeping, in I/O or a syscall: it can still move
    stuck.push_back(&p);
    last_move = std::max(last_move, p.traced->state_since);
  }
  const bool stopped_from_outside = std::any_of(stoppers.begin(), stoppers.end(),
                                                [&](const model::Goroutine* g) { return g->created_at > last_move; });
  if (!stopped_from_outside || stuck.empty() || ctx.m.trace_end - last_move < stuck_after(ctx)) return;
  out.push_back(deadlock_finding(
      stuck,
      fmt::format("every goroutine of the program has waited on another for the last {} of the trace, with none "
                  "asleep on a timer or waiting for I/O: a deadlock (the Go runtime would stop the program with "
                  "\"{}\", but the tracer keeps it alive)",
                  format_duration(ctx.m.trace_end - last_move), kGoDeadlock),
      rel(ctx, last_move)));
}

}  // namespace ctxtrail::diagnose
