/// leaked-goroutine: the general leak, for goroutines no cancel wave reached. In a go test
/// trace: outlives the test that started it (parked, unwoken, since before the test ended, or
/// alive --grace after it). Elsewhere: its creator ended, or it is a context.AfterFunc callback
/// (started by a cancel call), and it stays parked, unwoken, to the end of the trace for longer
/// than --grace (see stuck_after for short traces); or, with its creator alive (main.main of a
/// long-running program), it is stranded (stranded.h): a warning, as the trace cannot prove it.
#include <fmt/format.h>

#include "diagnose/describe.h"
#include "diagnose/leak_proof.h"
#include "diagnose/rule_checks.h"
#include "diagnose/rule_context_common.h"
#include "diagnose/stranded.h"

namespace ctxtrail::diagnose {

using model::Goroutine;

namespace {

// The goroutine of the chain whose creator is the test goroutine `root`.
const Goroutine* child_of_test(RuleContext& ctx, const Goroutine& g, trace::GoID root) {
  const Goroutine* c = &g;
  for (int guard = 0; c != nullptr && guard < 64; ++guard) {
    if (c->creator == root) return c;
    c = ctx.m.find(c->creator);
  }
  return nullptr;
}

bool leaked_from_test(RuleContext& ctx, const Goroutine& g, const Goroutine& test) {
  int64_t t_end = test.ended_at;
  if (t_end < 0) return false;
  if (g.ended_at >= 0 && g.ended_at <= t_end) return false;
  bool parked_through = parked(ctx, g) && g.state_since <= t_end;
  bool outlived = g.ended_at < 0 ? ctx.m.trace_end - t_end > ctx.options.grace_ns
                                 : g.ended_at - t_end > ctx.options.grace_ns;
  return parked_through || outlived;
}

bool leaked_from_creator(RuleContext& ctx, const Goroutine& g) {
  const Goroutine* c = ctx.m.find(g.creator);
  if (c == nullptr || c->ended_at < 0 || !parked(ctx, g)) return false;
  // Started by a library call (database/sql's connection opener, net/http's servers): its life
  // belongs to a library object, not to the goroutine that made the call.
  auto start = ctx.frames.stacks().frames(g.start_stack);
  if (!start.empty() && ctx.frames.is_stdlib(start.front())) return false;
  return ctx.m.trace_end - std::max(g.state_since, c->ended_at) > stuck_after(ctx);
}

}  // namespace

void check_leaked_goroutine(RuleContext& ctx, std::vector<Finding>& out) {
  report_snapshot_leaks(ctx, out);
  const StrandedSet stranded(ctx);
  for (const Goroutine& g : ctx.m.goroutines) {
    // Proven by a leak profile: no timing heuristic needed, whatever started it.
    if (g.proven_leaked && g.kind != model::GoKind::Main && !ctx.claimed.count(g.id)) {
      out.push_back(proven_leak(ctx, g));
      continue;
    }
    if (!reportable(ctx, g) || ctx.claimed.count(g.id) || g.watch != model::kNone) continue;
    const Goroutine* test = ctx.m.find(g.test_root);
    Finding f;
    f.goroutines = {g.id};
    std::string where;
    if (g.ended_at >= 0) {
      where = fmt::format("ran until {}", format_duration(rel(ctx, g.ended_at)));
    } else {
      where = "is " + describe_state(ctx, f, g);
    }
    if (test != nullptr && test->ended_at >= 0) {
      if (!leaked_from_test(ctx, g, *test)) continue;
      const Goroutine* first = child_of_test(ctx, g, test->id);
      model::SourceLoc tf = first ? ctx.frames.test_frame(first->creation_stack) : model::SourceLoc{};
      std::string test_name = tf.empty() ? go_name(ctx, *test) : tf.function;
      size_t closure = test_name.find(".func");
      if (closure != std::string::npos)  // t.Run(name, func...) closures: name both
        test_name = fmt::format("{} (subtest closure {})", test_name.substr(0, closure), test_name);
      f.message = fmt::format("{} started by test {} outlived the test (ended at {}): it {}",
                              go_name(ctx, g), test_name, format_duration(rel(ctx, test->ended_at)), where);
      f.time_ns = rel(ctx, test->ended_at);
      if (!tf.empty()) f.locations.push_back(Location{std::string(role::kTest), tf});
      f.group_key = fmt::format("{}|{}", tf.function, short_location(tf));
    } else if (g.created_by_wave != model::kNone && ctx.frames.info(g.creation_stack).cancel) {
      // A context.AfterFunc callback: the canceller that started it owes it nothing (it may
      // well live on), so it leaks once it stays parked, unwoken, to the end of the trace.
      if (g.ended_at >= 0 || !parked(ctx, g) || ctx.m.trace_end - g.state_since <= stuck_after(ctx))
        continue;
      const model::CancelWave& w = ctx.m.waves[g.created_by_wave];
      f.message = fmt::format("{} {}; it is a callback that {} started (context.AfterFunc): it must "
                              "return on its own",
                              go_name(ctx, g), where, describe_wave(ctx, w));
      f.time_ns = rel(ctx, g.state_since);
      f.waves = {w.id};
      add_wave_locs(ctx, f, w);
    } else if (g.ended_at < 0 && leaked_from_creator(ctx, g)) {
      const Goroutine& c = *ctx.m.find(g.creator);
      f.message = fmt::format("{} {}; its creator {} ended at {}", go_name(ctx, g), where,
                              go_name(ctx, c), format_duration(rel(ctx, c.ended_at)));
      f.time_ns = rel(ctx, std::max(g.state_since, c.ended_at));
    } else if (const Stranding* s = g.ended_at < 0 ? stranded.find(g.id) : nullptr) {
      // Its creator lives on (main.main of a server): a warning, see stranded.h.
      describe_stranding(ctx, f, g, *s, where);
    } else {
      continue;
    }
    add_goroutine_locs(ctx, f, g);
    f.group_key += fmt::format("|{}|{}", short_location(creation_location(ctx, g.creation_stack)),
                               short_location(ctx.frames.top_user_location(g.state_stack)));
    out.push_back(std::move(f));
  }
}

}  // namespace ctxtrail::diagnose
