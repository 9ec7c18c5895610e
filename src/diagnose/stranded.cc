/// Stranded goroutines (stranded.h). The evidence, and what keeps correct long-lived workers
/// out:
/// - Its creator lives on, but the function with the `go` statement has returned (it is not on
///   the creator's last stack), or the creator is parked for good inside it at a lock, a send or
///   a WaitGroup (or is stranded itself). While that function still runs, or waits at a receive
///   (main.main for a signal, a collector for results from outside), it may yet wake or stop
///   what it started.
/// - Whoever last woke it has ended or is parked for good itself. A pool worker fed by a
///   goroutine that still runs is not stranded.
/// - Per kind of wait (WaitKind):
///   Lock, Send: nothing more. A correct program does not wait for a lock or a hand-off for
///   longer than the grace at a moment when nothing that ever woke it is left.
///   WaitGroup: the goroutines that call Done are, almost always, the ones it started or its
///   siblings (started by the same function): one of them is stranded, or all have ended. A
///   pool's closer (`wg.Wait(); close(out)`) waiting on idle workers is not stranded.
///   Idle (receive, select, Cond): this is what a correct worker does between jobs, a server's
///   loop waiting for its next request, a janitor waiting for Close or a long ticker, a
///   shutdown watcher waiting for its signal; the trace cannot tell those from a receive nobody
///   will ever satisfy (`<-ctx.Done()` of a context nobody cancels). So only when the goroutine
///   that started it is stranded itself (it would feed it), or when it was woken before, by a
///   goroutine now ended or parked for good, and waits now at a line it was never woken from (not a
///   loop back at its wait for work, which the next short-lived request goroutine may feed).
#include "diagnose/stranded.h"

#include <algorithm>
#include <map>
#include <optional>

#include <fmt/format.h>

#include "diagnose/describe.h"
#include "diagnose/rule_checks.h"

namespace ctxtrail::diagnose {

using model::Goroutine;

namespace {

bool on_stack(RuleContext& ctx, trace::StackID stack, std::string_view function) {
  for (const auto& f : ctx.frames.stacks().frames(stack))
    if (ctx.frames.str(f.func) == function) return true;
  return false;
}

// Parked on a channel, select, mutex, condition or WaitGroup, to the end of the trace, for
// longer than stuck_after().
bool parked_for_good(RuleContext& ctx, const Goroutine& g) {
  return parked(ctx, g) && ctx.m.trace_end - g.state_since > stuck_after(ctx);
}

WaitKind wait_kind(RuleContext& ctx, const Goroutine& g) {
  // Go's traces say "sync" for mutexes and WaitGroups alike: the blocking stack tells them apart.
  for (const auto& f : ctx.frames.stacks().frames(g.state_stack)) {
    std::string_view fn = ctx.frames.str(f.func);
    if (fn.starts_with("sync.(*WaitGroup).")) return WaitKind::WaitGroup;
    if (fn.starts_with("sync.(*Cond).")) return WaitKind::Idle;
    if (fn.starts_with("sync.(*Mutex).") || fn.starts_with("sync.(*RWMutex).") ||
        fn.starts_with("internal/sync.(*Mutex)."))
      return WaitKind::Lock;
  }
  std::string reason = wait_reason(ctx, g);
  if (reason == "chan send") return WaitKind::Send;
  if (reason.starts_with("sync.Mutex") || reason.starts_with("sync.RWMutex")) return WaitKind::Lock;
  if (reason.starts_with("sync.WaitGroup")) return WaitKind::WaitGroup;
  return WaitKind::Idle;
}

struct Candidate {
  const Goroutine* g = nullptr;
  WaitKind kind = WaitKind::Idle;
  const Goroutine* creator = nullptr;
  std::string starter;                 // set when it returned
  // Else its creator is parked for good in that function, at a lock, send or WaitGroup: it
  // cannot feed it. One idle at a receive may be waiting for the outside world (main.main for a
  // signal, a collector for results) and only counts once stranded itself.
  bool creator_waits_for_good = false;
  const Goroutine* waker = nullptr;    // who last woke it, if another goroutine did
  bool at_new_site = false;            // parked where it was never woken from
  // WaitGroup: the goroutines it started, and its siblings (itself among them). Shared, not
  // copied: ten thousand goroutines of one `go` statement are one list.
  const std::vector<const Goroutine*>* children = nullptr;
  const std::vector<const Goroutine*>* siblings = nullptr;
};

using Group = std::vector<const Goroutine*>;

// The candidates, and the groups they point into.
struct Candidates {
  std::unordered_map<trace::GoID, Group> children;
  std::map<std::pair<trace::GoID, std::string>, Group> by_starter;
  std::vector<Candidate> list;
};

// The candidates: every goroutine that would be stranded if what it waits for were.
void find_candidates(RuleContext& ctx, Candidates& out) {
  // The function with each goroutine's `go` statement, worked out once per creation stack (a
  // million goroutines come from a handful of `go` statements).
  std::unordered_map<trace::StackID, std::string> starter_of_stack;
  static const std::string kNoStarter;
  std::vector<const std::string*> starter_of(ctx.m.goroutines.size(), &kNoStarter);
  for (size_t i = 0; i < ctx.m.goroutines.size(); ++i) {
    const Goroutine& g = ctx.m.goroutines[i];
    // The runtime's own goroutines (the GC's mark workers, started by whatever goroutine
    // allocated when a cycle began) call no user's Done and feed no user's channel.
    if (g.creator == trace::kNoGoroutine || g.created_at < 0 || g.kind == model::GoKind::Runtime ||
        g.kind == model::GoKind::Testing || g.kind == model::GoKind::Service)
      continue;
    out.children[g.creator].push_back(&g);
    auto [it, fresh] = starter_of_stack.try_emplace(g.creation_stack);
    if (fresh) it->second = creation_location(ctx, g.creation_stack).function;
    starter_of[i] = &it->second;
    out.by_starter[{g.creator, it->second}].push_back(&g);
  }
  for (size_t i = 0; i < ctx.m.goroutines.size(); ++i) {
    const Goroutine& g = ctx.m.goroutines[i];
    if (!reportable(ctx, g) || g.watch != model::kNone || g.created_at < 0 || starter_of[i]->empty() ||
        !parked_for_good(ctx, g))
      continue;
    const Goroutine* c = ctx.m.find(g.creator);
    if (c == nullptr || c->id == g.id || c->ended_at >= 0) continue;  // an ended creator: leaked_from_creator
    // Started by a library call (database/sql's connection opener, net/http's servers): its life
    // belongs to a library object, not to the function that made the call.
    auto start = ctx.frames.stacks().frames(g.start_stack);
    if (!start.empty() && ctx.frames.is_stdlib(start.front())) continue;
    // A library goroutine parked in library code talks to no goroutine of the user's.
    if (!ctx.frames.info(g.state_stack).has_user) continue;
    Candidate cand;
    cand.g = &g;
    cand.kind = wait_kind(ctx, g);
    cand.creator = c;
    if (c->last_stack != 0 && c->last_stack_at > g.created_at && !on_stack(ctx, c->last_stack, *starter_of[i]))
      cand.starter = *starter_of[i];
    else if (!parked_for_good(ctx, *c))
      continue;  // the function that started it still runs, and may yet wake or stop it
    else
      cand.creator_waits_for_good = wait_kind(ctx, *c) != WaitKind::Idle;
    if (const Goroutine* w = ctx.m.find(ctx.m.wakes_of(g).wait_waker); w != nullptr && w->id != g.id) cand.waker = w;
    const auto& sites = ctx.m.wakes_of(g).sites_woken_from;
    cand.at_new_site = std::find(sites.begin(), sites.end(), g.state_stack) == sites.end();
    if (cand.kind == WaitKind::WaitGroup) {
      if (auto it = out.children.find(g.id); it != out.children.end()) cand.children = &it->second;
      cand.siblings = &out.by_starter[{g.creator, *starter_of[i]}];
    }
    out.list.push_back(std::move(cand));
  }
}

// What the goroutines of a group are doing, for a WaitGroup waiting on them.
struct GroupState {
  size_t size = 0;
  size_t ended = 0;
  const Goroutine* ended_one = nullptr;
  const Goroutine* stranded = nullptr;
  bool live = false;  // one still runs, or is parked only for now: it may yet call Done
};

}  // namespace

StrandedSet::StrandedSet(RuleContext& ctx, const std::unordered_set<trace::GoID>& leaked) {
  Candidates cands;
  find_candidates(ctx, cands);
  auto in = [&](const Goroutine* g) { return g != nullptr && (stranded_.count(g->id) > 0 || leaked.count(g->id) > 0); };
  // Per pass, each group summed up once (a stale answer within a pass only delays a goroutine to
  // the next pass).
  std::unordered_map<const Group*, GroupState> groups;
  auto state_of = [&](const Group* group) -> const GroupState& {
    static const GroupState kEmpty;
    if (group == nullptr) return kEmpty;
    auto [it, fresh] = groups.try_emplace(group);
    GroupState& st = it->second;
    if (!fresh) return st;
    st.size = group->size();
    for (const Goroutine* p : *group) {
      if (p->ended_at >= 0) {
        ++st.ended;
        st.ended_one = p;
      } else if (in(p)) {
        st.stranded = p;
      } else if (!parked_for_good(ctx, *p)) {
        st.live = true;
      }
    }
    return st;
  };
  // Whether cand is stranded given those found so far (monotone in them: adding to the set
  // never takes a goroutine out, so repeating until nothing changes gives the least fixed point).
  auto evidence = [&](const Candidate& c) -> std::optional<Stranding> {
    Stranding s{c.kind, c.creator, c.starter, in(c.creator), c.waker, nullptr};
    if (c.starter.empty() && !c.creator_waits_for_good && !s.creator_stranded) return {};
    // Whoever last woke it must be unable to again: ended, or parked for good itself (a cycle of
    // goroutines each waiting for another, like a dispatcher that calls back into Close and
    // waits there for itself to stop).
    if (c.waker != nullptr && c.waker->ended_at < 0 && !in(c.waker) && !parked_for_good(ctx, *c.waker)) return {};
    switch (c.kind) {
      case WaitKind::Lock:
      case WaitKind::Send: return s;
      case WaitKind::WaitGroup: {
        const GroupState& kids = state_of(c.children);
        const GroupState& sibs = state_of(c.siblings);  // itself among them: parked, not ended
        if (kids.live || sibs.live) return {};
        s.peer = kids.stranded != nullptr ? kids.stranded : sibs.stranded;
        // Parked for good but not stranded (idle workers) is no evidence; all ended is (the
        // counter never reaches zero).
        const size_t others = kids.size + (sibs.size > 0 ? sibs.size - 1 : 0);
        if (s.peer == nullptr && (others == 0 || kids.ended + sibs.ended != others)) return {};
        if (s.peer == nullptr) s.peer = kids.ended_one != nullptr ? kids.ended_one : sibs.ended_one;
        return s;
      }
      case WaitKind::Idle:
        if (s.creator_stranded || (c.waker != nullptr && c.at_new_site)) return s;
        return {};
    }
    return {};
  };
  for (bool changed = true; changed;) {
    changed = false;
    groups.clear();
    for (const Candidate& c : cands.list) {
      if (stranded_.count(c.g->id)) continue;
      if (std::optional<Stranding> s = evidence(c)) {
        stranded_.emplace(c.g->id, *s);
        changed = true;
      }
    }
  }
}

const Stranding* StrandedSet::find(trace::GoID g) const {
  auto it = stranded_.find(g);
  return it == stranded_.end() ? nullptr : &it->second;
}

void describe_stranding(RuleContext& ctx, Finding& f, const Goroutine& g, const Stranding& s,
                        const std::string& state) {
  std::string origin =
      !s.starter.empty()
          ? fmt::format("{}, the function of {} that started it, has returned", s.starter, go_name(ctx, *s.creator))
          : fmt::format("its creator {} is parked for good in the function that started it{}",
                        go_name(ctx, *s.creator), s.creator_stranded ? " (a leak itself)" : "");
  std::string why;
  switch (s.kind) {
    case WaitKind::Lock: why = "and nothing that ever woke it is left to release the lock"; break;
    case WaitKind::Send: why = "and nothing that ever woke it is left to receive"; break;
    case WaitKind::WaitGroup:
      why = s.peer != nullptr && s.peer->ended_at < 0
                ? fmt::format("and {}, one of the goroutines it waits for, is stranded too", go_name(ctx, *s.peer))
                : "and every goroutine it could be waiting for (those it started, its siblings) has ended";
      break;
    case WaitKind::Idle:
      why = s.creator_stranded
                ? "and its creator, which would feed it, is a leak too"
                : "and the goroutine that last woke it, at another line than the one it waits at now, can no "
                  "longer";
      break;
  }
  f.message = fmt::format(
      "{} {}; {}, {}: nothing left in the trace can wake it (a leak as far as the trace shows; a goroutine "
      "leak profile of the process would prove it)",
      go_name(ctx, g), state, origin, why);
  f.time_ns = rel(ctx, g.state_since);
  f.severity = Severity::Warning;
  f.group_key = "stranded";
}

}  // namespace ctxtrail::diagnose
