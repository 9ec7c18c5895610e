/// The rule registry (id, severity, help, checker) and the diagnose pass over a Model.
#pragma once

#include <optional>
#include <span>

#include "ctxtrail/diagnose/finding.h"
#include "ctxtrail/diagnose/wave_list.h"
#include "ctxtrail/model/context_tree.h"
#include "ctxtrail/model/model.h"

namespace ctxtrail::diagnose {

/// One row of the rule table: what users see of a rule (docs/findings.md).
struct RuleInfo {
  std::string_view id;
  Severity severity;
  std::string_view summary;  // one line
  std::string_view help;     // what it means and what to do
  /// Rules whose findings win over this one's for the same goroutine: a goroutine one of them
  /// reports is not reported again by this rule (leaked-goroutine yields to every rule that
  /// names a cause). `--rule` runs these too, so that its findings are the same as in a full run.
  std::span<const std::string_view> superseded_by;
};

/// Every rule, each after the rules it is superseded by.
std::span<const RuleInfo> rules();
const RuleInfo* find_rule(std::string_view id);

/// The traced context a wave cancelled (trail events only).
struct WaveContext {
  std::string description;  // "context #3 (WithTimeout at main.go:23)"
  uint64_t id = 0;
  model::SourceLoc location;  // where it was made
};

struct PathStep {
  std::string edge;  // spawn, wake, cancel
  std::string from;  // "cancel#1 by G1" / "end of G12"
  std::string to;
  trace::GoID from_g = trace::kNoGoroutine;
  trace::GoID to_g = trace::kNoGoroutine;
  int64_t time_ns = 0;
};

/// A goroutine dump or profile joined to the trace (or read without one).
/// Goroutines of a snapshot parked alike (snapshot::group_by_stack): the way a dump of thousands
/// is read.
struct StackGroupSummary {
  uint64_t count = 0;
  std::string operation;         // "chan send", "select", "IO wait", "running", ...
  model::SourceLoc where;        // first frame of the program's code (else the leaf)
  model::SourceLoc created;      // the `go` statement; empty in profiles
  int64_t longest_wait_minutes = 0;
};

struct SnapshotSummary {
  std::string file;
  std::string kind;            // snapshot::to_string: "goroutine dump", "goroutine leak profile", ...
  uint64_t goroutines = 0;     // goroutines it lists
  uint64_t leaked = 0;         // of which marked leaked
  uint64_t leaked_in_trace = 0;  // of which found alive in the trace
  uint64_t groups = 0;           // distinct (state, stack, creation) groups
  std::vector<StackGroupSummary> largest;  // the largest groups, at most kLargestGroups
};
inline constexpr size_t kLargestGroups = 10;

struct Report {
  std::string trace;
  std::vector<Finding> findings;  // most severe first, then by time
  WaveSummaries waves;  // one a wave, worked out from the model as read
  /// The waves' distinct cancel locations, the goroutines each woke (in wave order) and the
  /// contexts trail events name: the summaries index into these.
  std::vector<model::SourceLoc> wave_sites;
  std::vector<trace::GoID> woken;
  std::vector<WaveContext> wave_contexts;
  int32_t critical_wave = 0;      // the wave whose shutdown ended last (0: none)
  std::vector<PathStep> critical_path;
  bool dag_acyclic = true;
  int64_t duration_ns = 0;
  size_t goroutines = 0;
  bool partial = false;
  /// The snapshots joined (analyze TRACE DUMP|PROFILE...); trace_given false: snapshots alone.
  std::vector<SnapshotSummary> snapshots;
  bool trace_given = true;
  /// Per-edge context propagation latencies (trail traces only).
  std::optional<model::Distribution> propagation;

  const model::SourceLoc& cancel_location(const WaveSummary& w) const { return wave_sites[w.site]; }
  std::span<const trace::GoID> woken_by(const WaveSummary& w) const {
    return std::span<const trace::GoID>(woken).subspan(w.woken_first, w.woken_count);
  }
  const WaveContext* context_of(const WaveSummary& w) const {
    return w.context < 0 ? nullptr : &wave_contexts[static_cast<size_t>(w.context)];
  }
};

/// Runs the selected rules and groups findings sharing a cause.
Report diagnose(const model::Model& m, model::FrameClassifier& frames, const Options& options);
/// The same with the trail context tree, for the context rules (null: they find nothing).
Report diagnose(const model::Model& m, model::FrameClassifier& frames, const Options& options,
                const model::ContextTree* contexts);

/// Steps of a wave's critical path (index = wave ID - 1).
std::vector<PathStep> critical_path_steps(const model::Model& m, model::FrameClassifier& frames,
                                          int32_t wave_index);

}  // namespace ctxtrail::diagnose
