/// What the HTML report and the exporters draw: the model with every goroutine's state
/// intervals, what the model does not keep (heap metric samples, log messages), and the
/// findings to show. Built in one pass over the events.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <unordered_set>
#include <string>
#include <vector>

#include "ctxtrail/model/context_tree.h"
#include "ctxtrail/model/frames.h"
#include "ctxtrail/model/model.h"
#include "ctxtrail/status.h"
#include "ctxtrail/trace/event.h"

namespace ctxtrail::trace {
class Reader;
}

namespace ctxtrail::render {

/// The runtime metric the report plots as "heap".
inline constexpr std::string_view kHeapMetric = "/memory/classes/heap/objects:bytes";

struct MetricSample {
  int64_t time = 0;
  uint64_t value = 0;
};

struct LogRecord {
  int64_t time = 0;
  trace::GoID g = trace::kNoGoroutine;
  trace::StringID category = 0;
  trace::StringID message = 0;
};

/// Side data collected from the event stream next to the model.
struct TraceExtras {
  static constexpr size_t kMaxLogs = 20000;
  std::vector<MetricSample> heap;
  std::vector<LogRecord> logs;  // the first kMaxLogs
  uint64_t logs_dropped = 0;

  void on_event(const trace::Event& ev, const trace::StringTable& strings);

 private:
  trace::StringID heap_name_ = 0;
};

/// A finding as the report shows it (docs/findings.md fields; strings owned).
struct ReportLocation {
  std::string role;
  model::SourceLoc where;
};
struct ReportFinding {
  std::string rule;
  std::string severity;  // "error", "warning", "info"
  std::string message;
  std::vector<trace::GoID> goroutines;
  int64_t count = 1;
  int64_t time_ns = 0;  // since the trace's first event
  std::vector<ReportLocation> locations;
  std::vector<int32_t> waves;
};

/// How many state intervals the report and the exports keep (render/interval_budget.h).
struct IntervalBudget {
  /// The default: 2M intervals are about 60 MB of report (30 bytes each) and 100 MB in memory.
  static constexpr size_t kDefaultMax = 2'000'000;
  size_t max_intervals = kDefaultMax;  // 0: no limit
  /// Goroutines that keep every interval (findings, cancel waves, the critical path).
  std::unordered_set<model::GoID> exact;
};

/// What the reduction did, for the page's note, the docs and stderr.
struct IntervalDetail {
  int64_t quantum = 0;        // 0: nothing was merged
  uint64_t recorded = 0;      // intervals the model produced
  uint64_t kept = 0;          // intervals written
  size_t exact_goroutines = 0;
  size_t max_intervals = 0;
  std::unordered_set<model::GoID> banded;  // goroutines with merged bands
  bool reduced() const { return kept < recorded; }
};

struct StatePlot;  // render/state_plot.h

/// Everything a renderer reads. Not owning.
struct RenderInput {
  const model::Model& model;
  model::FrameClassifier& frames;
  const TraceExtras& extras;
  const std::vector<ReportFinding>& findings;
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

/// The model (every goroutine's intervals, within the budget) and the extras of one trace.
struct RenderModel {
  model::Model model;
  IntervalDetail detail;
  std::shared_ptr<const StatePlot> plot;  // set when RenderModelOptions::span was
  TraceExtras extras;
  model::ContextTree contexts;  // from the ctxtrail log events; empty when there are none
  std::optional<Error> tail_error;  // a malformed tail, when read with `partial`
};

struct RenderModelOptions {
  IntervalBudget budget;
  /// The trace's first and last event times, when a first pass knows them: the state plot is
  /// then drawn from every interval, before the budget merges them.
  std::optional<std::pair<int64_t, int64_t>> span;
};

/// Reads the whole trace; with `partial` a malformed tail ends the read (kept in tail_error).
Result<RenderModel> build_render_model(trace::Reader& reader, model::FrameClassifier& frames,
                                       bool partial, RenderModelOptions options = {});

/// The goroutines a reduced report still shows exactly: those named by findings, the
/// cancellers and watchers of cancel waves, and the goroutines on critical paths.
std::unordered_set<model::GoID> exact_goroutines(const model::Model& m,
                                                 const std::vector<ReportFinding>& findings);

/// The start function of a goroutine ("?" when unknown), used to group rows and tracks.
std::string start_function(const model::Goroutine& g, model::FrameClassifier& frames);

/// The wave whose shutdown ended last (index into model.waves), or -1: the critical path.
int32_t critical_wave(const model::Model& m);

}  // namespace ctxtrail::render
