/// Parties: one shape for a goroutine of a dump and of a trace's end.
#include "diagnose/parties.h"

#include <map>

#include <fmt/format.h>

#include "ctxtrail/snapshot/operation.h"
#include "diagnose/describe.h"
#include "ctxtrail/model/snapshot_frames.h"

namespace ctxtrail::diagnose {
namespace {

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

// "example.com/pkg.TestX.func1" -> "TestX.func1": what `go test -run` and the timeout list say.
std::string test_name(std::string_view function) {
  const size_t slash = function.rfind('/');
  const size_t dot = function.find('.', slash == std::string_view::npos ? 0 : slash);
  return std::string(dot == std::string_view::npos ? function : function.substr(dot + 1));
}

// The trace says only "sync" for every lock, WaitGroup and semaphore: the stack says which,
// in the words a dump uses ("sync.WaitGroup.Wait").
std::string sync_operation(RuleContext& ctx, trace::StackID stack) {
  snapshot::Goroutine g;
  // The names view the trace's string table, which outlives this call.
  for (const trace::Frame& f : ctx.frames.stacks().frames(stack)) g.frames.push_back(snapshot::Frame{ctx.frames.str(f.func), {}, 0});
  return std::string(snapshot::blocking_operation(g));
}

}  // namespace

const snapshot::Snapshot* timeout_dump(const model::Model& m) {
  for (const snapshot::Snapshot* s : m.snapshots.joined)
    if (s->kind == snapshot::Kind::Dump && starts_with(s->context.panic, "test timed out")) return s;
  return nullptr;
}

std::vector<Party> parties_from_dump(RuleContext& ctx, const snapshot::Snapshot& dump) {
  std::vector<Party> out;
  for (const snapshot::Goroutine& g : dump.goroutines) {
    Party p;
    p.id = g.id;
    p.creator = g.creator_id;
    p.op = std::string(snapshot::blocking_operation(g));
    p.parked = snapshot::waits_on_another_goroutine(p.op);
    if (const snapshot::Frame* b = model::first_user_frame(g)) p.block = model::source_loc(*b);
    p.created = model::source_loc(g.created_by);
    for (size_t i = 1; i < g.frames.size(); ++i)
      if (g.frames[i].function == "testing.tRunner") {
        p.test_loc = model::source_loc(g.frames[i - 1]);
        p.test = test_name(g.frames[i - 1].function);
      }
    if (!g.frames.empty()) p.function = g.frames.back().function;
    for (const snapshot::Frame& f : g.frames) {
      if (starts_with(f.function, "runtime.") || starts_with(f.function, "internal/") || starts_with(f.function, "sync.")) continue;
      p.in_testing = starts_with(f.function, "testing.");
      break;
    }
    // Started by the runtime, the testing package or a timer (the timeout alarm itself), with
    // none of the program's code on its stack: not a party to the program's waits.
    p.user = model::first_user_frame(g) != nullptr || !p.test.empty();
    if (g.id >= 0) p.traced = ctx.m.find(static_cast<trace::GoID>(g.id));
    if (p.traced != nullptr && p.traced->ended_at < 0 && p.traced->state == model::GoState::Waiting)
      p.since_ns = rel(ctx, p.traced->state_since);
    out.push_back(std::move(p));
  }
  return out;
}

std::vector<Party> parties_from_trace(RuleContext& ctx) {
  std::vector<Party> out;
  for (const model::Goroutine& g : ctx.m.goroutines) {
    if (g.ended_at >= 0) continue;
    Party p;
    p.id = g.id;
    p.creator = g.creator;
    p.traced = &g;
    const bool waiting = g.state == model::GoState::Waiting;
    p.op = waiting ? wait_reason(ctx, g) : std::string(trace::to_string(g.state));
    if (p.op == "sync")
      if (std::string op = sync_operation(ctx, g.state_stack); !op.empty()) p.op = op;
    p.parked = waiting && (model::is_parking_reason(p.op) || snapshot::waits_on_another_goroutine(p.op));
    const trace::StackID at = waiting ? g.state_stack : g.last_stack;
    p.block = ctx.frames.top_user_location(at);
    p.function = start_function(ctx, g);
    p.created = creation_location(ctx, g.creation_stack);
    if (g.kind == model::GoKind::TestRunner) {
      p.test_loc = ctx.frames.test_frame(at != 0 ? at : g.last_stack);
      p.test = test_name(p.test_loc.function);
    }
    for (const trace::Frame& f : ctx.frames.stacks().frames(at)) {
      const std::string_view fn = ctx.frames.str(f.func);
      if (starts_with(fn, "runtime.") || starts_with(fn, "internal/") || starts_with(fn, "sync.")) continue;
      p.in_testing = starts_with(fn, "testing.");
      break;
    }
    p.user = g.kind == model::GoKind::User || g.kind == model::GoKind::Main || g.kind == model::GoKind::TestRunner;
    if (waiting) p.since_ns = rel(ctx, g.state_since);
    out.push_back(std::move(p));
  }
  return out;
}

std::string where(const Party& p) {
  std::string s = fmt::format("blocked on {}", p.op.empty() ? "an unknown wait" : p.op);
  if (!p.parked && !p.op.empty()) s = p.op;
  if (!p.block.empty()) s += fmt::format(" at {} ({})", short_location(p.block), p.block.function);
  return s;
}

std::string since(const Party& p) {
  if (p.since_ns < 0) return std::string();
  return fmt::format(" since {}", format_duration(p.since_ns));
}

// "G12 (main.worker, started at a.go:23), blocked on chan receive at a.go:16 (main.worker)";
// many goroutines at one line are counted, not listed.
std::string describe_parties(const std::vector<const Party*>& parties) {
  std::map<std::pair<std::string, std::string>, std::vector<const Party*>> by_line;
  std::vector<std::pair<std::string, std::string>> order;
  for (const Party* p : parties) {
    auto key = std::make_pair(p->op, short_location(p->block));
    if (!by_line.count(key)) order.push_back(key);
    by_line[key].push_back(p);
  }
  std::vector<std::string> parts;
  for (const auto& key : order) {
    const auto& ps = by_line[key];
    const Party& first = *ps.front();
    std::string started = first.created.empty() ? std::string()
                                                : fmt::format(", started at {}", short_location(first.created));
    if (ps.size() == 1) {
      parts.push_back(fmt::format("G{} ({}{}), {}{}", first.id, first.function, started, where(first), since(first)));
    } else {
      parts.push_back(fmt::format("{} goroutines ({}{}; G{} first), {}", ps.size(), first.function, started,
                                  first.id, where(first)));
    }
  }
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) out += (i == 0 ? "" : i + 1 == parts.size() ? " and " : ", ") + parts[i];
  return out;
}

}  // namespace ctxtrail::diagnose
