/// (rule_hung_tests.cc, not rule_hung_test.cc: a name ending in _test.cc is a unit test here.)
/// hung-test: a `go test` run that timed out. The testing package's alarm stops the trace and
/// then prints every goroutine; a test goroutine still alive then is a test that never returned.
/// From it, the rule follows the goroutines it started that are still parked down to the ones
/// that wait on nothing alive: the lines that can never proceed. With the dump (`go test`
/// output) the stacks are exact and the timeout is named; the trace adds since when each waits;
/// either alone is enough.
#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include <fmt/format.h>

#include "diagnose/describe.h"
#include "diagnose/parties.h"
#include "diagnose/rule_checks.h"

namespace ctxtrail::diagnose {

namespace {

constexpr int kMaxDepth = 8;  // a chain of `go` statements deeper than this is no test's design

bool is_lock(std::string_view op) { return op.substr(0, 5) == "sync." && op.find("Lock") != std::string_view::npos; }

// The running-tests line that names this test goroutine best ("TestParent/sub" for a subtest
// closure "TestParent.func1"), or the function's own name.
std::string display_name(const Party& t, const std::vector<std::string>& running) {
  const std::string top = t.test.substr(0, t.test.find('.'));
  std::string best;
  for (const std::string& r : running) {
    const std::string name = r.substr(0, r.find(' '));
    if (name == top || name.rfind(top + "/", 0) == 0)
      if (name.size() > best.size()) best = name;
  }
  if (best.empty()) {
    if (t.test.find(".func") == std::string::npos) return t.test;
    return fmt::format("{} (subtest closure {})", top, t.test);
  }
  // A parent test and its hung subtest are both running: the subtest's goroutine gets the
  // subtest's name only when it runs a closure.
  if (t.test.find(".func") == std::string::npos) return top;
  return best;
}

struct Chain {
  std::vector<const Party*> waited_on;  // the test's parked descendants, breadth first
  std::vector<const Party*> stuck;      // of them, those with no parked descendant of their own
};

Chain follow(const Party& test, const std::unordered_map<int64_t, std::vector<const Party*>>& children) {
  Chain c;
  std::vector<std::pair<const Party*, int>> queue = {{&test, 0}};
  std::set<int64_t> seen = {test.id};
  for (size_t i = 0; i < queue.size(); ++i) {
    auto [p, depth] = queue[i];
    bool has_child = false;
    if (auto it = children.find(p->id); it != children.end() && depth < kMaxDepth)
      for (const Party* k : it->second) {
        if (!seen.insert(k->id).second) continue;
        has_child = true;
        c.waited_on.push_back(k);
        queue.emplace_back(k, depth + 1);
      }
    if (!has_child && p != &test) c.stuck.push_back(p);
  }
  return c;
}

Finding hung(const Party& t, const Chain& chain, const std::string& name,
             const std::string& timeout) {
  Finding f;
  f.goroutines = {static_cast<trace::GoID>(t.id)};
  if (!t.test_loc.empty()) f.locations.push_back(Location{std::string(role::kTest), t.test_loc});
  std::string msg = fmt::format("test {} never returned ({}): its goroutine G{} is {}{}", name, timeout, t.id,
                                where(t), since(t));
  std::vector<const Party*> stuck = chain.stuck;
  if (chain.waited_on.empty()) {
    msg += "; it started no goroutine that is still waiting, so nothing of its own can release it: that line never "
           "proceeds";
    if (!t.block.empty()) f.locations.push_back(Location{std::string(role::kBlock), t.block});
  } else {
    // Every goroutine of the chain is stuck for good; the test's own line first.
    if (!t.block.empty()) f.locations.push_back(Location{std::string(role::kBlock), t.block});
    std::vector<const Party*> direct;
    for (const Party* p : chain.waited_on)
      if (p->creator == t.id) direct.push_back(p);
    msg += fmt::format("; it waits on {}", describe_parties(direct));
    std::vector<const Party*> deeper;
    for (const Party* p : stuck)
      if (p->creator != t.id) deeper.push_back(p);
    if (!deeper.empty()) msg += fmt::format("; down the goroutines they started, {}", describe_parties(deeper));
    msg += stuck.size() == 1 ? "; that one waits on no goroutine still alive: its line never proceeds"
                             : "; those wait on no goroutine still alive: their lines never proceed";
    // Goroutines that each wait for a lock while nothing else runs: the locks are held by one
    // another (or by a goroutine that returned without unlocking).
    size_t locks = 0;
    for (const Party* p : stuck) locks += is_lock(p->op) ? 1 : 0;
    if (locks >= 2)
      msg += fmt::format("; {} of them wait for locks with nothing else running: a lock cycle, each holding a lock "
                         "another wants (or a lock whose holder returned)", locks);
    std::set<std::string> added = {short_location(t.block)};
    for (const Party* p : chain.waited_on) {
      f.goroutines.push_back(static_cast<trace::GoID>(p->id));
      if (!p->block.empty() && added.insert(short_location(p->block)).second)
        f.locations.push_back(Location{std::string(role::kBlock), p->block});
      if (!p->created.empty() && added.insert("c" + short_location(p->created)).second)
        f.locations.push_back(Location{std::string(role::kCreation), p->created});
    }
  }
  f.message = std::move(msg);
  f.time_ns = std::max<int64_t>(0, t.since_ns);
  f.group_key = fmt::format("hung|{}", t.id);
  return f;
}

}  // namespace

void check_hung_test(RuleContext& ctx, std::vector<Finding>& out) {
  const snapshot::Snapshot* dump = timeout_dump(ctx.m);
  std::vector<Party> parties;
  std::string timeout;
  std::vector<std::string> running;
  if (dump != nullptr) {
    parties = parties_from_dump(ctx, *dump);
    timeout = dump->context.panic;
    running = dump->context.running_tests;
  } else {
    // No `go test` output: the trace itself must show the alarm. Its goroutine (started by the
    // timer with testing.(*M).startAlarm.func1) runs at the very end: it stops the trace before
    // it panics. A trace a test stops itself (runtime/trace in the test, trailtest's flight
    // recorder in a cleanup) has no alarm, and other tests parked at that moment are not hung.
    if (!ctx.m.test_trace) return;
    bool alarm = false;
    for (const model::Goroutine& g : ctx.m.goroutines)
      alarm = alarm || (g.ended_at < 0 && start_function(ctx, g) == "testing.(*M).startAlarm.func1");
    if (!alarm) return;
    parties = parties_from_trace(ctx);
    timeout = "the go test -timeout alarm stopped the trace with the test still running";
  }
  std::unordered_map<int64_t, std::vector<const Party*>> children;
  for (const Party& p : parties)
    if (p.user && p.parked && p.test.empty()) children[p.creator].push_back(&p);
  for (const Party& t : parties) {
    if (t.test.empty() || t.in_testing) continue;  // not a test, or a parent waiting in t.Run
    if (dump == nullptr && !t.parked) continue;    // still running at the end: not hung, slow
    out.push_back(hung(t, follow(t, children), display_name(t, running), timeout));
  }
}

}  // namespace ctxtrail::diagnose
