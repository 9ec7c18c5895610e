/// The checkers of the rule table, one file each (rule_<id>.cc).
#pragma once

#include "ctxtrail/diagnose/rules.h"
#include "diagnose/rule_context.h"

namespace ctxtrail::diagnose {

void check_cancel_ignored(RuleContext& ctx, std::vector<Finding>& out);
void check_slow_cancel_exit(RuleContext& ctx, std::vector<Finding>& out);
void check_orphaned_goroutine(RuleContext& ctx, std::vector<Finding>& out);
void check_blocked_forever(RuleContext& ctx, std::vector<Finding>& out);
void check_slow_propagation(RuleContext& ctx, std::vector<Finding>& out);
void check_leaked_goroutine(RuleContext& ctx, std::vector<Finding>& out);
void check_lost_cancel(RuleContext& ctx, std::vector<Finding>& out);
void check_watcher_outlived_context(RuleContext& ctx, std::vector<Finding>& out);
void check_running_after_err(RuleContext& ctx, std::vector<Finding>& out);
void check_detached_context(RuleContext& ctx, std::vector<Finding>& out);
void check_derived_from_done(RuleContext& ctx, std::vector<Finding>& out);
void check_late_cancel(RuleContext& ctx, std::vector<Finding>& out);
void check_cancel_deadline_race(RuleContext& ctx, std::vector<Finding>& out);
void check_propagation_latency(RuleContext& ctx, std::vector<Finding>& out);
void check_goroutine_pileup(RuleContext& ctx, std::vector<Finding>& out);
void check_hung_test(RuleContext& ctx, std::vector<Finding>& out);
void check_deadlock(RuleContext& ctx, std::vector<Finding>& out);
void check_goroutine_growth(RuleContext& ctx, std::vector<Finding>& out);
void check_deadline_dropped(RuleContext& ctx, std::vector<Finding>& out);
void check_remote_cancel_ignored(RuleContext& ctx, std::vector<Finding>& out);
/// The row of a rule that only several traces together show (analysis/processes.h runs it):
/// one trace finds nothing.
void check_across_processes_only(RuleContext& ctx, std::vector<Finding>& out);

/// How long a goroutine must have stayed parked, up to the end of the trace, before a leak rule
/// calls it stuck: --grace when the user gave it; by default 500 ms, but no more than a quarter
/// of the trace (at least 1 ms), because `go test -trace` and short runs end long before 500 ms
/// and a goroutine parked for three quarters of a short trace after its creator returned is as
/// stuck as one parked for seconds.
int64_t stuck_after(const RuleContext& ctx);

/// cancel-ignored's test, shared with the wave summary.
bool ignored_cancel(RuleContext& ctx, const model::Watcher& w, const model::Goroutine& g);
}  // namespace ctxtrail::diagnose
