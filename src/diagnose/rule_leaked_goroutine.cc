/// leaked-goroutine: the general leak, for goroutines no cancel wave reached. In a go test
/// trace: outlives the test that started it (parked, unwoken, since before the test ended, or
/// alive --grace after it, unless asleep in time.Sleep, which its own timer ends). Elsewhere: its creator ended, or it is a context.AfterFunc or
/// time.AfterFunc callback (started by a cancel call or a timer), and it stays parked, unwoken,
/// to the end of the trace for longer than --grace (see stuck_after for short traces); or, with
/// its creator alive (main.main of a long-running program), it is stranded (stranded.h): a
/// warning, as the trace cannot prove it. Its owner (creator or test) ended, it also leaks when
/// it ticks forever on its own timer (timer_ticking.h), or when the trace ends within the grace
/// but nothing alive could wake it (last_grace.h).
#include <optional>
#include <unordered_set>

#include <fmt/format.h>

#include "diagnose/describe.h"
#include "diagnose/last_grace.h"
#include "diagnose/left_per_call.h"
#include "diagnose/leak_proof.h"
#include "diagnose/rule_checks.h"
#include "diagnose/rule_context_common.h"
#include "diagnose/stranded.h"
#include "diagnose/timer_ticking.h"

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

// It ended after its test, on its test's own machinery: woken last by its own timer or I/O (a
// constructor waiting out the test's 1s timeout, a server's worker whose keep-alive connection
// hit its idle timeout) or by a goroutine of the same test (a pool's purger expiring its idle
// workers). It lingered, but nothing of a later test had to end it.
bool ended_by_own_test(RuleContext& ctx, const Goroutine& g, int64_t t_end) {
  if (g.ended_at < 0) return false;
  const model::WakeHistory& h = ctx.m.wakes_of(g);
  if (h.last_system_wake >= t_end && h.last_system_wake > h.last_wake.time) return true;
  if (h.last_wake.time < t_end) return false;
  trace::GoID waker = h.last_wake.wave != model::kNone ? ctx.m.waves[h.last_wake.wave].canceller : h.last_wake.waker;
  const Goroutine* w = ctx.m.find(waker);
  return w != nullptr && w->test_root == g.test_root && g.test_root != trace::kNoGoroutine;
}

// Shared by the package's tests rather than owned by one: started under a sync.Once (a
// process-wide worker made on first use), or woken after its test ended by another test's
// goroutine and still alive (in use, not released: one a later test's wake lets end was the
// earlier test's leak).
bool shared_by_tests(RuleContext& ctx, const Goroutine& g, int64_t t_end) {
  if (ctx.frames.has_function_prefix(g.creation_stack, "sync.(*Once).doSlow")) return true;
  const model::Wake& last = ctx.m.wakes_of(g).last_wake;
  if (g.ended_at >= 0 || last.time < t_end) return false;
  trace::GoID waker = last.wave != model::kNone ? ctx.m.waves[last.wave].canceller : last.waker;
  const Goroutine* w = ctx.m.find(waker);
  return w != nullptr && w->test_root != g.test_root;
}

// Test goroutines alive at the trace's end with a subtest alive: their function may have
// returned while they wait for parallel subtests, which may still use what it started.
std::unordered_set<trace::GoID> waiting_for_subtests(RuleContext& ctx) {
  std::unordered_set<trace::GoID> out;
  for (const Goroutine& g : ctx.m.goroutines)
    if (g.kind == model::GoKind::TestRunner && g.ended_at < 0 && g.creator != trace::kNoGoroutine)
      out.insert(g.creator);
  return out;
}

// When g's test ended: its goroutine's end; or, while that goroutine is alive at the trace's
// end (and no subtest of it is), when the test function returned, if it started g's chain
// itself (the model's starter_returned_at: it parked without the function on its stack, in
// its cleanup). trailtest's check runs in the test's cleanup and writes the trace there.
// -1 if not yet.
int64_t test_end(RuleContext& ctx, const Goroutine& g, const Goroutine& test,
                 const std::unordered_set<trace::GoID>& waiting) {
  if (test.ended_at >= 0) return test.ended_at;
  if (waiting.count(test.id)) return -1;
  const Goroutine* first = child_of_test(ctx, g, test.id);
  if (first == nullptr || first->starter_returned_at < 0) return -1;
  const int32_t at = ctx.frames.creation_frame(first->creation_stack);
  const model::SourceLoc tf = ctx.frames.test_frame(first->creation_stack);
  if (at < 0 || tf.empty()) return -1;
  const auto& frame = ctx.frames.stacks().frames(first->creation_stack)[static_cast<size_t>(at)];
  return ctx.frames.str(frame.func) == tf.function ? first->starter_returned_at : -1;
}

// In time.Sleep at the trace's end.
bool asleep(RuleContext& ctx, const Goroutine& g) {
  return g.ended_at < 0 && g.state == trace::GoState::Waiting && wait_reason(ctx, g) == "sleep";
}

// Parked, unwoken, since before its test ended (at t_end), or alive --grace after it (not
// asleep), or
// parked after it with nothing alive that could wake it; not one its own test ended later,
// nor one the tests share, nor one made after the test (by a goroutine the test left
// behind: that one's leak).
bool leaked_from_test(RuleContext& ctx, const Goroutine& g, int64_t t_end, const LastGrace& last_grace) {
  if (t_end < 0) return false;
  if (g.ended_at >= 0 && g.ended_at <= t_end) return false;
  if (g.created_at > t_end || shared_by_tests(ctx, g, t_end)) return false;
  if (ended_by_own_test(ctx, g, t_end)) return false;
  // The trace stopped soon after the test (its last test): parked then proves nothing while
  // something alive may still wake it (a call goroutine writing its reply, then wg.Done()).
  if (g.ended_at < 0 && ctx.m.trace_end - t_end <= stuck_after(ctx)) return last_grace.nothing_alive_can_wake(g);
  bool parked_through = parked(ctx, g) && g.state_since <= t_end;
  // Asleep at the end (time.Sleep), its own timer wakes it, as it would have ended one that
  // slept through the test and ended in the trace (ended_by_own_test): a delayed cancel or
  // flush, not a leak; one that sleeps in a loop for ever is the ticking kind.
  bool outlived = g.ended_at < 0 ? ctx.m.trace_end - t_end > ctx.options.grace_ns && !asleep(ctx, g)
                                 : g.ended_at - t_end > ctx.options.grace_ns;
  return parked_through || outlived || (g.ended_at < 0 && last_grace.nothing_alive_can_wake(g));
}

// Started by a library call (database/sql's connection opener, net/http's servers): its life
// belongs to a library object, not to the goroutine that made the call.
bool started_by_library(RuleContext& ctx, const Goroutine& g) {
  auto start = ctx.frames.stacks().frames(g.start_stack);
  return !start.empty() && ctx.frames.is_stdlib(start.front());
}

enum class CreatorLeak { No, Stuck, InLastGrace };

CreatorLeak leaked_from_creator(RuleContext& ctx, const Goroutine& g, const LastGrace& last_grace) {
  const Goroutine* c = ctx.m.find(g.creator);
  if (c == nullptr || c->ended_at < 0 || !parked(ctx, g) || started_by_library(ctx, g)) return CreatorLeak::No;
  if (ctx.m.trace_end - std::max(g.state_since, c->ended_at) > stuck_after(ctx)) return CreatorLeak::Stuck;
  return last_grace.nothing_alive_can_wake(g) ? CreatorLeak::InLastGrace : CreatorLeak::No;
}

// A time.AfterFunc callback: the runtime's timer started it (no goroutine did, during the trace).
bool timer_callback(RuleContext& ctx, const Goroutine& g) {
  return g.creator == trace::kNoGoroutine && g.created_at >= 0 && !started_by_library(ctx, g);
}

// "test pkg.TestX" (and its location), for a goroutine descending from test goroutine `test`.
std::string name_test(RuleContext& ctx, Finding& f, const Goroutine& g, const Goroutine& test) {
  const Goroutine* first = child_of_test(ctx, g, test.id);
  model::SourceLoc tf = first ? ctx.frames.test_frame(first->creation_stack) : model::SourceLoc{};
  std::string test_name = tf.empty() ? go_name(ctx, test) : tf.function;
  size_t closure = test_name.find(".func");
  if (closure != std::string::npos)  // t.Run(name, func...) closures: name both
    test_name = fmt::format("{} (subtest closure {})", test_name.substr(0, closure), test_name);
  if (!tf.empty()) f.locations.push_back(Location{std::string(role::kTest), tf});
  f.group_key = fmt::format("{}|{}", tf.function, short_location(tf));
  return "test " + test_name;
}

// The goroutines found leaked before the stranded ones: seeds of StrandedSet, whose goroutines
// are stranded by the same evidence as a stranded goroutine's.
std::unordered_set<trace::GoID> leaked_seeds(RuleContext& ctx, const LastGrace& last_grace,
                                             const std::unordered_set<trace::GoID>& waiting) {
  std::unordered_set<trace::GoID> out;
  for (const Goroutine& g : ctx.m.goroutines) {
    if (g.ended_at >= 0 || !parked(ctx, g)) continue;
    const Goroutine* test = ctx.m.find(g.test_root);
    if (g.proven_leaked || ctx.claimed.count(g.id) ||
        (test != nullptr && leaked_from_test(ctx, g, test_end(ctx, g, *test, waiting), last_grace)) ||
        leaked_from_creator(ctx, g, last_grace) != CreatorLeak::No)
      out.insert(g.id);
  }
  return out;
}

}  // namespace

void check_leaked_goroutine(RuleContext& ctx, std::vector<Finding>& out) {
  report_snapshot_leaks(ctx, out);
  LastGrace last_grace(ctx);
  const TickingSet ticking(ctx);
  const LeftPerCall per_call(ctx);
  const auto waiting = waiting_for_subtests(ctx);
  const StrandedSet stranded(ctx, leaked_seeds(ctx, last_grace, waiting));
  for (const Goroutine& g : ctx.m.goroutines) {
    // Proven by a leak profile: no timing heuristic needed, whatever started it.
    if (g.proven_leaked && g.kind != model::GoKind::Main && !ctx.claimed.count(g.id)) {
      out.push_back(proven_leak(ctx, g));
      continue;
    }
    if (!reportable(ctx, g) || ctx.claimed.count(g.id) || g.watch != model::kNone) continue;
    const Goroutine* test = ctx.m.find(g.test_root);
    const int64_t t_end = test != nullptr ? test_end(ctx, g, *test, waiting) : -1;
    const bool test_ended = t_end >= 0;
    Finding f;
    f.goroutines = {g.id};
    if (const Ticking* t = ticking.find(g.id)) {
      std::string owner =
          t->owner_is_test   ? name_test(ctx, f, g, *t->owner)
          : t->owner_is_call ? fmt::format("the call of {} that started it (in {}, which lives on)",
                                           creation_location(ctx, g.creation_stack).function, go_name(ctx, *t->owner))
                             : fmt::format("its creator {}", go_name(ctx, *t->owner));
      describe_ticking(ctx, f, g, *t, owner);
      add_goroutine_locs(ctx, f, g);
      // By start function: at the trace's end one waits on its ticker, another runs its sweep.
      f.group_key = fmt::format("{}{}|{}", kTickingGroup, short_location(creation_location(ctx, g.creation_stack)),
                                 start_function(ctx, g));
      out.push_back(std::move(f));
      continue;
    }
    // What it did, worded only for a goroutine that becomes a finding (a million that ended
    // well are checked here); first, as describing its state adds the finding's locations.
    auto where_of = [&]() -> std::string {
      if (g.ended_at >= 0) return fmt::format("ran until {}", format_duration(rel(ctx, g.ended_at)));
      return "is " + describe_state(ctx, f, g);
    };
    CreatorLeak from_creator = CreatorLeak::No;
    if (test_ended) {
      if (!leaked_from_test(ctx, g, t_end, last_grace)) continue;
      const std::string where = where_of();
      std::string test_name = name_test(ctx, f, g, *test);
      f.message = fmt::format("{} started by {} outlived the test ({} at {}): it {}", go_name(ctx, g), test_name,
                              test->ended_at >= 0 ? "ended" : "its function returned", format_duration(rel(ctx, t_end)),
                              where);
      f.time_ns = rel(ctx, t_end);
    } else if (g.created_by_wave != model::kNone && ctx.frames.info(g.creation_stack).cancel) {
      // A context.AfterFunc callback: the canceller that started it owes it nothing (it may
      // well live on), so it leaks once it stays parked, unwoken, to the end of the trace.
      if (g.ended_at >= 0 || !parked(ctx, g) || ctx.m.trace_end - g.state_since <= stuck_after(ctx))
        continue;
      const std::string where = where_of();
      const model::CancelWave& w = ctx.m.waves[g.created_by_wave];
      f.message = fmt::format("{} {}; it is a callback that {} started (context.AfterFunc): it must "
                              "return on its own",
                              go_name(ctx, g), where, describe_wave(ctx, w));
      f.time_ns = rel(ctx, g.state_since);
      f.waves = {w.id};
      add_wave_locs(ctx, f, w);
    } else if (timer_callback(ctx, g)) {
      // A time.AfterFunc callback: no goroutine owns it, so, like context.AfterFunc's, it
      // leaks once it stays parked to the end of the trace. A warning: the trace shows neither
      // who set the timer nor who else holds what it waits on.
      if (g.ended_at >= 0 || !parked(ctx, g) || ctx.m.trace_end - g.state_since <= stuck_after(ctx))
        continue;
      const std::string where = where_of();
      f.message = fmt::format("{} {}; it is a callback that a timer started (time.AfterFunc, at {}): it must "
                              "return on its own (a leak as far as the trace shows; a goroutine leak profile "
                              "of the process would prove it)",
                              go_name(ctx, g), where, format_duration(rel(ctx, g.created_at)));
      f.time_ns = rel(ctx, g.state_since);
      f.severity = Severity::Warning;
    } else if (g.ended_at < 0 && (from_creator = leaked_from_creator(ctx, g, last_grace)) != CreatorLeak::No) {
      const Goroutine& c = *ctx.m.find(g.creator);
      const std::string where = where_of();
      f.message = fmt::format("{} {}; its creator {} ended at {}", go_name(ctx, g), where, go_name(ctx, c),
                              format_duration(rel(ctx, c.ended_at)));
      if (from_creator == CreatorLeak::InLastGrace)
        f.message += "; the trace ends within the grace, but nothing alive could wake it: the goroutines it "
                     "started, its siblings and whoever woke it have ended or are parked for good";
      f.time_ns = rel(ctx, std::max(g.state_since, c.ended_at));
    } else if (const LeftByCall* l = per_call.find(g.id)) {
      const std::string where = where_of();
      const std::string fn = creation_location(ctx, g.creation_stack).function;
      f.message = fmt::format("{} {}; the call of {} that started it returned at {} in {}, which lives on, and "
                              "{} calls of it each left such a goroutine behind (one per request on a "
                              "keep-alive connection, say): a leak per call as far as the trace shows",
                              go_name(ctx, g), where, fn, format_duration(rel(ctx, l->returned_at)),
                              go_name(ctx, *l->creator), l->calls);
      f.time_ns = rel(ctx, l->returned_at);
      f.severity = Severity::Warning;
    } else if (const Stranding* s = g.ended_at < 0 ? stranded.find(g.id) : nullptr) {
      // Its creator lives on (main.main of a server): a warning, see stranded.h.
      describe_stranding(ctx, f, g, *s, where_of());
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
