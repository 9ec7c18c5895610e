/// The rule table and the diagnose pass: run every rule, keep the selected ones, group
/// findings that share a cause, summarise waves and the shutdown critical path.
#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include <fmt/format.h>

#include "ctxtrail/model/naming.h"
#include "diagnose/describe.h"
#include "diagnose/rule_checks.h"
#include "diagnose/facts.h"
#include "diagnose/leak_proof.h"
#include "diagnose/rule_context_common.h"
#include "diagnose/timer_ticking.h"
#include "diagnose/wave_summaries.h"

namespace ctxtrail::diagnose {

namespace {

// The superseded-by column: when several rules would report one goroutine, the finding that
// names its cause most exactly wins. The context rules (trail traces) know the exact context;
// the cancel rules the wave that reached it; leaked-goroutine names no cause and yields to all.
// A hung test or a deadlock comes first: it tells the whole story of the goroutines it names
// (who waits on whom, and which line never proceeds).
// The rules that claim goroutines, most exact cause first; each of them, and the general leak
// rule after them, is superseded by those before it in this list.
constexpr std::string_view kByCause[] = {
    "hung-test",      "deadlock",         "watcher-outlived-context", "running-after-err",
    "detached-context", "cancel-ignored", "slow-cancel-exit",         "orphaned-goroutine",
    "blocked-forever"};
/// The first n rules of kByCause.
constexpr std::span<const std::string_view> after(size_t n) { return {kByCause, n}; }
/// A server that waits on after its caller cancelled because it sent its own request without
/// the caller's context is deadline-dropped's finding: the fix is that line, not the wait.
constexpr std::string_view kDroppedFirst[] = {"deadline-dropped"};

struct Rule {
  RuleInfo info;
  RuleFn run;
};

// The rule table: one row per rule. A rule's row comes after the rows of the rules it is
// superseded by (they must have run for it to know what they reported).
constexpr std::array<Rule, 21> kRules = {{
    {{"hung-test", Severity::Error, "A test never returned (go test -timeout)",
     "A test was still running when go test's -timeout alarm stopped the trace and printed every "
     "goroutine: the test's goroutine, the goroutines it started that are still waiting, and the "
     "lines that can never proceed because nothing alive can release them. Give the trace and the "
     "go test output together (ctxtrail analyze t.trace gotest.out) for exact stacks and times.",
     after(0)},
     check_hung_test},
    {{"deadlock", Severity::Error, "Every goroutine waits on another: the program is deadlocked",
     "The Go runtime reported \"all goroutines are asleep - deadlock!\" (in a dump given), or, under "
     "a trace, which keeps a deadlocked program alive: at the trace's end every goroutine of the "
     "program is parked on a channel, select, lock or WaitGroup, none sleeps or waits for I/O, and "
     "none moved for --grace. The finding lists where each waits: one of them must be released "
     "by code that never runs.",
     after(1)},
     check_deadlock},
    {{"lost-cancel", Severity::Error, "A cancel func was never called",
     "The context's cancel func was never called, and the context was still live (not ended by its "
     "deadline or its parent) when the goroutine that made it ended: a canceler set to nil or "
     "overwritten, or a forgotten defer cancel(). Its timer and its place in the parent's children "
     "stay until the parent is done. Call cancel on every path (defer cancel() right after the "
     "constructor).",
     after(0)},
     check_lost_cancel},
    {{"watcher-outlived-context", Severity::Error, "A goroutine outlived the context it watched",
     "A goroutine that called Done() on a context (or that was started under a context but "
     "watched one of its ancestors instead, e.g. a closure capturing the outer ctx) was still "
     "alive --grace after that context was done. Return when ctx.Done() fires, select on it in "
     "every blocking operation, and pass the derived context to the goroutines you start.",
     after(2)},
     check_watcher_outlived_context},
    {{"running-after-err", Severity::Warning, "A goroutine kept running after ctx.Err() != nil",
     "The goroutine saw Err() return an error and was still running --grace later. Return (or "
     "stop the loop) when ctx.Err() is non-nil, or bound the cleanup it does.",
     after(3)},
     check_running_after_err},
    {{"detached-context", Severity::Warning,
     "A detached context outlived the cancelable work that made it",
     "A new root (Background/TODO) or WithoutCancel context was made inside a goroutine working "
     "under a cancelable context, and a goroutine watching it (or a context derived from it) "
     "was still alive --grace after the cancelable one was done. Derive from the request "
     "context, or give the detached work its own bounded lifetime and wait for it.",
     after(4)},
     check_detached_context},
    {{"derived-from-done", Severity::Warning, "A context was derived from an already done parent",
     "The parent was already done when the context was made (e.g. WithTimeout on a cancelled "
     "request context), so the new context is done at once, yet work went on under it. Check "
     "parent.Err() before starting new work.",
     after(0)},
     check_derived_from_done},
    {{"late-cancel", Severity::Warning, "A cancel func was called long after the work ended",
     "The cancel func was called more than --slow after every goroutine that watched the context "
     "had ended (a defer cancel() far from the work): the context and its timer lived on. Call "
     "cancel as soon as the work under the context is done.",
     after(0)},
     check_late_cancel},
    {{"cancel-deadline-race", Severity::Warning, "A deadline and a cancellation raced",
     "The context's deadline fired within --race-window of its parent's cancellation or of its own "
     "cancel call, so which one wins (Err(), context.Cause) depends on scheduling. Do not rely on "
     "the cause, or make the timeout clearly longer or shorter than the work.",
     after(0)},
     check_cancel_deadline_race},
    {{"propagation-latency", Severity::Warning, "A child context was done long after its parent",
     "The child was done more than --slow-propagation after its traced parent: a plain context in "
     "between (a custom Context type, a relay goroutine) forwards the cancellation late. Derive "
     "from the traced context directly.",
     after(0)},
     check_propagation_latency},
    {{"deadline-dropped", Severity::Error, "A request left without the deadline its caller had",
     "A request to another process (trailhttp, trailgrpc, trailk8s) was sent with no deadline, or a later "
     "one, than the context the work ran under: a fresh Background/TODO or a WithoutCancel between the "
     "request's context and the caller's. The callee works on after the caller gave up. Send the request "
     "with the caller's context (or one derived from it).",
     after(0)},
     check_deadline_dropped},
    {{"remote-cancel-ignored", Severity::Error, "A server worked on after its caller cancelled",
     "The server learnt that the caller of a request cancelled (trail's remotecancel: the connection "
     "closed, the stream reset, the cancel annotation) and the goroutine serving it went on working for "
     "more than --grace (default for this rule: --slow). Select on the request context's Done() in every "
     "step of the work, or check ctx.Err() between steps.",
     kDroppedFirst},
     check_remote_cancel_ignored},
    {{"slow-remote-propagation", Severity::Warning, "A cancel took long to reach another process",
     "Given the traces of several processes: from the caller's cancel to the callee's context being done "
     "took more than --slow-propagation, on the shared clock less its uncertainty. The hop's latency is "
     "split into client side (cancel to the transport's abort), network (abort to the server's "
     "remotecancel) and server side. A slow client side is a transport that notices late; a slow server "
     "side a watch or poll of the carrier (Kubernetes annotations) that runs seldom.",
     after(0)},
     check_across_processes_only},
    {{"cancel-ignored", Severity::Error,
     "A goroutine woken by a context cancellation did not return",
     "The goroutine was blocked on ctx.Done() when the context was cancelled, was woken, but was "
     "still alive --grace later with the function that waited on Done() still on its stack: it "
     "blocked again somewhere else or kept working. Return (or break out of the loop) when "
     "ctx.Done() fires, and make every later blocking operation select on ctx.Done() too.",
     after(5)},
     check_cancel_ignored},
    {{"slow-cancel-exit", Severity::Warning,
     "A goroutine returned slowly after its context was cancelled",
     "The goroutine reacted to the cancellation and ended, but only after more than --slow. Look "
     "at what it does between ctx.Done() firing and returning (cleanup, flushes, blocking sends) "
     "and bound it or make it cancellable.",
     after(6)},
     check_slow_cancel_exit},
    {{"orphaned-goroutine", Severity::Error,
     "A goroutine outlived the cancelled goroutine that started it",
     "Its creator (or an ancestor) returned because its context was cancelled, but this goroutine "
     "never received that cancellation and is still alive --grace later. Pass the context to the "
     "goroutine and have it return on ctx.Done(), or wait for it (sync.WaitGroup, errgroup) "
     "before the creator returns.",
     after(7)},
     check_orphaned_goroutine},
    {{"blocked-forever", Severity::Error,
     "A goroutine stays blocked after the goroutines it talks to were cancelled",
     "The goroutine was blocked on a channel, select, mutex or condition before a cancel wave "
     "ended its siblings, and nothing woke it before the end of the trace: whoever should have "
     "received, sent or signalled returned on the cancellation; or nobody ever received what it "
     "sends, the call that started it returned (a select that gave up on a timer) and its creator "
     "went on to cancel. Select on ctx.Done() next to the blocking operation, or give a channel "
     "that carries one result a buffer of one.",
     after(8)},
     check_blocked_forever},
    {{"slow-propagation", Severity::Warning, "A cancellation took long to reach its watchers",
     "From the cancel call to the last goroutine it woke (through AfterFunc callbacks, goroutines "
     "that cancel their own contexts when theirs is cancelled, or custom Context types) took "
     "more than --slow-propagation. Derive contexts from the cancelled one directly instead of "
     "relaying the cancellation by hand.",
     after(0)},
     check_slow_propagation},
    {{"leaked-goroutine", Severity::Error, "A goroutine leaked",
     "No cancellation reached this goroutine and it outlived the code that started it: in a go "
     "test trace the test that started it (parked without being woken since before the test "
     "ended, or alive --grace after it); elsewhere its creator ended (or, for a context.AfterFunc "
     "callback, it was started by a cancel call) and it stays parked, never woken, to the end of "
     "the trace. Typical causes: a send nobody receives, a receive nobody "
     "sends to or closes, a context whose cancel is never called.",
     after(9)},
     check_leaked_goroutine},
    {{"goroutine-pileup", Severity::Error, "Many goroutines are parked at one operation (from a dump)",
     "Without a trace: a goroutine dump or profile holds at least --pileup-count goroutines parked "
     "at the same channel operation, select, lock or WaitGroup in the program's own code, the "
     "longest for at least --pileup-wait (a warning: the signal Uber's LeakProf found production "
     "leaks with); or any goroutine on a nil channel or an empty select, which can never proceed "
     "(an error). Give the trace or the goroutine leak profile of the same process to know "
     "which of them leaked and why.",
     after(0)},
     check_goroutine_pileup},
    {{"goroutine-growth", Severity::Warning, "A stack kept gaining goroutines across snapshots",
     "Several goroutine dumps or profiles of one process, given in the order they were taken "
     "(ctxtrail diff A B, or analyze with them): a stack gained at least --growth-count goroutines "
     "between each two. Unless the load grew as much, that is a leak in progress: give the "
     "goroutine leak profile or a trace of the process to see which ones can never proceed.",
     after(0)},
     check_goroutine_growth},
}};

bool selected(const Options& o, std::string_view id) {
  return o.rules.empty() || std::find(o.rules.begin(), o.rules.end(), id) != o.rules.end();
}

// A finding of any rule that names a goroutine a leak profile proves leaked says so, and is an
// error: the proof settles what the rule could only infer from timing.
void mark_proven(const model::Model& m, Finding& f) {
  if (f.proven) return;
  for (trace::GoID id : f.goroutines)
    if (const model::Goroutine* g = m.find(id); g != nullptr && g->proven_leaked) f.proven = true;
  if (f.proven) f.message += fmt::format("; {}", kProofSentence);
}

// Rules that report single goroutines parked or ended for a cause: one of their findings is one
// cause when it has one creation line and one blocking line (many requests' handlers leaking at
// the same send are one bug, whichever wave or test showed each).
bool per_goroutine_rule(std::string_view rule) {
  for (std::string_view r : kByCause)
    if (r == rule) return r != "hung-test" && r != "deadlock";
  return rule == "leaked-goroutine";
}

// The leak rules name one kind of bug (goroutines that never end) with more or less evidence:
// one (creation, block) pair is reported once, under the most specific of them that saw it.
bool leak_rule(std::string_view rule) {
  return rule == "cancel-ignored" || rule == "orphaned-goroutine" || rule == "blocked-forever" ||
         rule == "leaked-goroutine";
}

// The grouping key of a finding: its rule (or the leak family) and its cause.
std::pair<std::string, std::string> group_key_of(const Finding& f) {
  const model::SourceLoc* created = nullptr;
  const model::SourceLoc* blocked = nullptr;
  for (const Location& l : f.locations) {
    if (created == nullptr && l.role == role::kCreation) created = &l.where;
    if (blocked == nullptr && l.role == role::kBlock) blocked = &l.where;
  }
  if (!per_goroutine_rule(f.rule) || created == nullptr || blocked == nullptr ||
      f.group_key.find(kTickingGroup) != std::string::npos)
    return {f.rule, f.group_key};
  // Several tests leaving one goroutine behind are one cause too; the message names them all.
  std::string cause = fmt::format("{}:{}|{}:{}", created->file, created->line, blocked->file, blocked->line);
  return {leak_rule(f.rule) ? std::string("leak") : f.rule, std::move(cause)};
}

// What a grouped finding counts: the context rules report one finding per context.
std::string_view grouped_noun(std::string_view rule) {
  for (std::string_view r : {"lost-cancel", "detached-context", "derived-from-done", "late-cancel",
                             "cancel-deadline-race", "propagation-latency"})
    if (r == rule) return "contexts";
  if (rule == "deadline-dropped" || rule == "remote-cancel-ignored") return "requests";
  return "goroutines";
}

// Findings arrive in rule-table order, so the first of a group is the most specific rule's.
std::vector<Finding> group(std::vector<Finding> raw) {
  std::vector<Finding> out;
  std::map<std::pair<std::string, std::string>, size_t> at;
  for (Finding& f : raw) {
    auto key = group_key_of(f);
    auto it = at.find(key);
    if (it == at.end()) {
      at.emplace(std::move(key), out.size());
      out.push_back(std::move(f));
      continue;
    }
    Finding& g = out[it->second];
    g.count += f.count;
    g.proven = g.proven || f.proven;
    g.severity = std::max(g.severity, f.severity);
    g.goroutines.insert(g.goroutines.end(), f.goroutines.begin(), f.goroutines.end());
    g.time_ns = std::min(g.time_ns, f.time_ns);
    for (Location& l : f.locations) {
      bool dup = false;
      for (const Location& h : g.locations)
        dup = dup || (h.role == l.role && h.where.file == l.where.file && h.where.line == l.where.line);
      if (!dup) g.locations.push_back(std::move(l));
    }
    for (int32_t w : f.waves)
      if (std::find(g.waves.begin(), g.waves.end(), w) == g.waves.end()) g.waves.push_back(w);
  }
  for (Finding& f : out) {
    std::sort(f.goroutines.begin(), f.goroutines.end());
    f.goroutines.erase(std::unique(f.goroutines.begin(), f.goroutines.end()), f.goroutines.end());
    if (f.count > 1) {
      f.message = fmt::format("{} {} with the same cause, e.g. {}", f.count, grouped_noun(f.rule), f.message);
      std::vector<std::string_view> tests;
      for (const Location& l : f.locations)
        if (l.role == role::kTest && std::find(tests.begin(), tests.end(), l.where.function) == tests.end())
          tests.push_back(l.where.function);
      constexpr size_t kTestsNamed = 10;
      if (tests.size() > kTestsNamed)
        f.message += fmt::format(" (left by {} tests: {}, … and {} more)", tests.size(),
                                 fmt::join(tests.begin(), tests.begin() + kTestsNamed, ", "), tests.size() - kTestsNamed);
      else if (tests.size() > 1)
        f.message += fmt::format(" (left by {} tests: {})", tests.size(), fmt::join(tests, ", "));
    }
  }
  return out;
}

}  // namespace

int64_t stuck_after(const RuleContext& ctx) {
  if (ctx.options.grace_given) return ctx.options.grace_ns;
  const int64_t quarter = std::max<int64_t>(1'000'000, (ctx.m.trace_end - ctx.m.trace_begin) / 4);
  return std::min(ctx.options.grace_ns, quarter);
}

std::span<const RuleInfo> rules() {
  static const std::array<RuleInfo, kRules.size()> infos = [] {
    std::array<RuleInfo, kRules.size()> out;
    for (size_t i = 0; i < kRules.size(); ++i) out[i] = kRules[i].info;
    return out;
  }();
  return infos;
}

const RuleInfo* find_rule(std::string_view id) {
  for (const RuleInfo& r : rules())
    if (r.id == id) return &r;
  return nullptr;
}

std::vector<PathStep> critical_path_steps(const model::Model& m, model::FrameClassifier& frames,
                                          int32_t wave_index) {
  std::vector<PathStep> steps;
  const model::TerminationDag& d = m.dag;
  if (wave_index < 0 || static_cast<size_t>(wave_index) >= d.critical_path.size()) return steps;
  Options none;
  RuleContext ctx{m, frames, none, nullptr, nullptr, {}};
  auto name = [&](const model::DagNode& n) {
    const model::Goroutine* g = m.find(n.g);
    std::string who = g ? go_name(ctx, *g) : fmt::format("G{}", n.g);
    if (n.kind == model::DagNode::Cancel) return fmt::format("cancel #{} by {}", n.wave + 1, who);
    return fmt::format("end of {}", who);
  };
  for (int32_t e : d.critical_path[wave_index]) {
    const model::DagEdge& edge = d.edges[e];
    const model::DagNode from = d.node(m, edge.from);
    const model::DagNode to = d.node(m, edge.to);
    steps.push_back(PathStep{std::string(model::to_string(edge.kind)), name(from), name(to), from.g,
                             to.g, edge.time - m.trace_begin});
  }
  return steps;
}

Report diagnose(const model::Model& m, model::FrameClassifier& frames, const Options& options) {
  return diagnose(m, frames, options, nullptr);
}

Report diagnose(const model::Model& m, model::FrameClassifier& frames, const Options& options,
                const model::ContextTree* contexts) {
  Report r;
  RuleContext ctx{m, frames, options, contexts, nullptr, {}};
  Facts facts = compute_facts(ctx);
  ctx.facts = &facts;
  // The rules to run: the selected ones and, for each, the rules it is superseded by; for a leak
  // rule, all of them (grouping merges their findings of one cause into the most specific one's).
  std::set<std::string_view> needed;
  for (const Rule& rule : kRules)
    if (leak_rule(rule.info.id) && selected(options, rule.info.id))
      for (const Rule& other : kRules)
        if (leak_rule(other.info.id)) needed.insert(other.info.id);
  for (auto it = kRules.rbegin(); it != kRules.rend(); ++it)
    if (selected(options, it->info.id) || needed.contains(it->info.id)) {
      needed.insert(it->info.id);
      needed.insert(it->info.superseded_by.begin(), it->info.superseded_by.end());
    }
  std::unordered_map<std::string_view, std::unordered_set<trace::GoID>> reported;
  std::vector<Finding> raw;
  for (const Rule& rule : kRules) {
    if (!needed.contains(rule.info.id)) continue;
    RuleContext rc{m, frames, options, contexts, &facts, {}};
    for (std::string_view by : rule.info.superseded_by)
      if (auto it = reported.find(by); it != reported.end()) rc.claimed.insert(it->second.begin(), it->second.end());
    std::vector<Finding> got;
    rule.run(rc, got);
    // What a rule reported is read from its findings, not from its scratch set.
    auto& mine = reported[rule.info.id];
    for (const Finding& f : got) mine.insert(f.goroutines.begin(), f.goroutines.end());
    // The findings of rules run only because a selected one yields to them are grouped too (a
    // leak finding merged into theirs is not shown under --rule either), then dropped.
    for (Finding& f : got) {
      f.rule = std::string(rule.info.id);
      mark_proven(m, f);
      // A rule may lower its own severity for a finding the trace cannot prove (Finding's
      // default is Error, so a rule that says nothing gets its row's).
      f.severity = f.proven ? Severity::Error : std::min(f.severity, rule.info.severity);
      raw.push_back(std::move(f));
    }
  }
  r.findings = group(std::move(raw));
  std::erase_if(r.findings, [&](const Finding& f) { return !selected(options, f.rule); });
  std::stable_sort(r.findings.begin(), r.findings.end(), [](const Finding& a, const Finding& b) {
    if (a.severity != b.severity) return a.severity > b.severity;
    if (a.rule != b.rule) return a.rule < b.rule;
    return a.time_ns < b.time_ns;
  });

  // The summaries need only the waves' contexts: the rules' other facts (a million watchers'
  // worth) are freed first, so that both are not held at once.
  Facts wave_facts;
  wave_facts.wave_contexts = std::move(facts.wave_contexts);
  facts = Facts{};
  ctx.facts = &wave_facts;
  summarise_waves(m, ctx, r);
  r.critical_wave = model::critical_wave(m) + 1;
  if (r.critical_wave > 0) r.critical_path = critical_path_steps(m, frames, r.critical_wave - 1);
  if (contexts != nullptr && !contexts->empty()) r.propagation = contexts->propagation_latencies();
  r.dag_acyclic = m.dag.acyclic;
  r.duration_ns = m.trace_end - m.trace_begin;
  r.goroutines = m.goroutines.size();
  return r;
}

}  // namespace ctxtrail::diagnose
