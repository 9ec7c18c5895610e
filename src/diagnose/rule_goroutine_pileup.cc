/// goroutine-pileup: from goroutine dumps and profiles without a trace, many goroutines parked
/// at one operation in the program's own code, for long (Uber's LeakProf signal: a leak shows
/// as goroutines piling up at the send nobody receives or the lock nobody releases). A group on
/// a nil channel or an empty select needs no numbers: it can never proceed.
#include <fmt/format.h>

#include "ctxtrail/snapshot/groups.h"
#include "ctxtrail/snapshot/operation.h"
#include "diagnose/describe.h"
#include "diagnose/rule_checks.h"
#include "diagnose/rule_context_common.h"
#include "ctxtrail/model/snapshot_frames.h"

namespace ctxtrail::diagnose {

namespace {

constexpr int64_t kMinute = 60LL * 1'000'000'000;

std::string waited(const snapshot::StackGroup& group, const snapshot::Snapshot& s) {
  if (s.kind != snapshot::Kind::Dump) return " (a profile holds no wait times)";
  if (group.longest_wait_minutes == 0) return " (each for under a minute)";
  if (group.shortest_wait_minutes == group.longest_wait_minutes)
    return fmt::format(" for {} minutes", group.longest_wait_minutes);
  return fmt::format(" for {} to {} minutes", group.shortest_wait_minutes, group.longest_wait_minutes);
}

Finding pileup_finding(const snapshot::Snapshot& s, const snapshot::StackGroup& group, std::string_view op,
                       const snapshot::Frame& block, bool for_ever) {
  const snapshot::Goroutine& g = s.goroutines[group.first];
  Finding f;
  f.goroutines.assign(group.ids.begin(), group.ids.end());
  for (const snapshot::Frame& fr : g.frames) f.block_stack.push_back(model::source_loc(fr));
  f.locations.push_back(Location{std::string(role::kBlock), model::source_loc(block)});
  std::string created;
  if (!g.created_by.function.empty()) {
    f.locations.push_back(Location{std::string(role::kCreation), model::source_loc(g.created_by)});
    created = fmt::format(", started at {} ({})", short_location(model::source_loc(g.created_by)), g.created_by.function);
  }
  const std::string who = group.count == 1 ? std::string("1 goroutine") : fmt::format("{} goroutines", group.count);
  const std::string where = fmt::format("{} ({})", short_location(model::source_loc(block)), block.function);
  if (for_ever) {
    f.message = fmt::format("{} blocked on {} at {}{}{} in {}: an operation on a nil channel (or a select with no "
                            "cases) can never proceed",
                            who, op, where, waited(group, s), created, s.source);
  } else {
    f.severity = Severity::Warning;
    f.message = fmt::format("{} parked on {} at {}{}{} in {}: goroutines piling up at one operation of the "
                            "program's own code is how a leak shows in a dump (a send nobody receives, a lock "
                            "nobody releases); a trace of the process, or its goroutine leak profile, would say "
                            "which of them leaked and why",
                            who, op, where, waited(group, s), created, s.source);
  }
  f.group_key = fmt::format("pileup|{}|{}", s.source, group.first);
  return f;
}

}  // namespace

void check_goroutine_pileup(RuleContext& ctx, std::vector<Finding>& out) {
  // With a trace, the trace's rules know more (who woke whom, since when).
  if (!ctx.m.goroutines.empty()) return;
  for (const snapshot::Snapshot* s : ctx.m.snapshots.joined) {
    if (s->kind == snapshot::Kind::LeakProfile) continue;  // proven: leaked-goroutine's
    for (const snapshot::StackGroup& group : snapshot::group_by_stack(*s)) {
      if (group.leaked == group.count) continue;  // proven by the leak marks: leaked-goroutine's
      const snapshot::Goroutine& g = s->goroutines[group.first];
      const std::string_view op = snapshot::blocking_operation(g);
      const snapshot::Frame* block = model::first_user_frame(g);
      if (block == nullptr) continue;
      if (snapshot::blocks_for_ever(op)) {
        out.push_back(pileup_finding(*s, group, op, *block, true));
        continue;
      }
      if (!snapshot::waits_on_another_goroutine(op) || group.count < ctx.options.pileup_count) continue;
      // A worker pool of a library (net/http's connection loops, database/sql's openers) parks
      // in the library's code: only a pile in the program's own code is its bug to fix.
      if (model::is_stdlib_package(model::package_of(block->function))) continue;
      if (s->kind == snapshot::Kind::Dump && group.longest_wait_minutes * kMinute < ctx.options.pileup_wait_ns) continue;
      out.push_back(pileup_finding(*s, group, op, *block, false));
    }
  }
}

}  // namespace ctxtrail::diagnose
