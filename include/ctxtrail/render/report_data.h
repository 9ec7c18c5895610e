/// What the HTML report and the exporters draw: the model with every goroutine's state
/// intervals, what the model does not keep (heap metric samples, log messages), and the
/// findings to show. Built in one pass over the events.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <unordered_map>
#include <unordered_set>
#include <string>
#include <vector>

#include "ctxtrail/analysis/analysis.h"
#include "ctxtrail/diagnose/finding.h"
#include "ctxtrail/model/context_tree.h"
#include "ctxtrail/model/frames.h"
#include "ctxtrail/model/model.h"
#include "ctxtrail/status.h"
#include "ctxtrail/trace/event.h"

namespace ctxtrail::render {

using analysis::LogRecord;
using analysis::MetricSample;
using analysis::TraceExtras;

/// The goroutines a reduced timeline still shows what matters of exactly, each with the times a
/// cancel woke it (Watcher::woken_at, ascending): the waits those ended stay exact.
using ExactGoroutines = std::unordered_map<model::GoID, std::vector<int64_t>>;

/// How many state intervals the report and the exports keep (render/interval_budget.h).
struct IntervalBudget {
  /// The default: 2M intervals are about 35 MB of report (17 bytes each) and 150 MB in memory.
  static constexpr size_t kDefaultMax = 2'000'000;
  size_t max_intervals = kDefaultMax;  // 0: no limit
  /// Goroutines of findings, cancel waves and critical paths: past the budget their short
  /// intervals are merged like everyone's, but their first and last intervals, long waits and
  /// the waits a cancel ended stay exact.
  ExactGoroutines exact;
};

/// What the reduction did, for the page's note, the docs and stderr.
struct IntervalDetail {
  int64_t quantum = 0;        // 0: nothing was merged
  uint64_t recorded = 0;      // intervals the model produced
  uint64_t kept = 0;          // intervals written
  size_t exact_goroutines = 0;
  size_t exact_banded = 0;    // of those, the ones with merged bands
  int64_t long_wait = 0;      // their waits at least this long stay exact
  size_t max_intervals = 0;
  std::unordered_set<model::GoID> banded;  // goroutines with merged bands
  bool reduced() const { return kept < recorded; }
};

/// One line for stderr saying what the budget merged, "" when it merged nothing:
/// "90,652,178 state intervals merged into 1,712,004 to stay within the budget of 2,000,000:
/// runs shorter than 256µs are bands showing their most telling state (18 goroutines of
/// findings, cancel waves or critical paths included: their first and last intervals, waits of
/// 1ms or more and the waits a cancel ended stay exact)".
std::string describe_reduction(const IntervalDetail& detail);

struct StatePlot;  // render/state_plot.h

/// Everything a renderer reads. Not owning.
struct RenderInput {
  const model::Model& model;
  model::FrameClassifier& frames;
  const TraceExtras& extras;
  const std::vector<diagnose::Finding>& findings;
  std::string trace_name;
  /// The trail context tree for the Contexts tab; null or empty: the trace has none.
  const model::ContextTree* contexts = nullptr;
  /// A context edge slower than this is drawn slow: the propagation-latency rule's threshold.
  int64_t slow_propagation_ns = 10'000'000;
  /// The state plot drawn from the intervals before reduction; null: from model.intervals.
  const StatePlot* plot = nullptr;
  /// Whether and how the intervals were reduced; null: not.
  const IntervalDetail* detail = nullptr;
};

/// Everything a renderer reads, from an analysis (findings, contexts, extras) and, for the
/// timeline, its collector's plot and reduction (null: none).
RenderInput render_input(const analysis::Analysis& a, const std::vector<diagnose::Finding>& findings,
                         std::string trace_name, const StatePlot* plot = nullptr,
                         const IntervalDetail* detail = nullptr);

/// Collects the state intervals a timeline draws while the analysis pass streams them: at
/// most about the budget's intervals, what matters of the exact goroutines, and the state plot
/// of all of them before the budget merged any.
class TimelineCollector {
 public:
  /// `span`: the trace's first and last event times when a first pass knows them (the plot
  /// is then drawn from the stream); without it the plot is drawn from the kept intervals.
  TimelineCollector(IntervalBudget budget, std::optional<std::pair<int64_t, int64_t>> span);
  ~TimelineCollector();
  /// Model options that stream every interval into this collector.
  model::ModelOptions model_options();
  /// Moves the kept intervals into `m` once the pass is over.
  void finish(model::Model& m);
  const IntervalDetail& detail() const { return detail_; }
  const StatePlot* plot() const { return plot_.get(); }

 private:
  std::unique_ptr<class IntervalReducer> reducer_;
  std::unique_ptr<StatePlot> plot_;
  IntervalDetail detail_;
};

/// The goroutines a reduced report still shows what matters of exactly: those named by
/// findings, the cancellers and watchers of cancel waves, and the goroutines on critical paths.
ExactGoroutines exact_goroutines(const model::Model& m, const std::vector<diagnose::Finding>& findings);

}  // namespace ctxtrail::render
