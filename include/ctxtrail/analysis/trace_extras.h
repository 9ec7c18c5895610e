/// What the timeline shows that the model does not keep: heap metric samples, log messages,
/// what ran on each P, GC and stop-the-world phases, and runtime/trace tasks and regions,
/// collected from the event stream in the same pass as the model.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "ctxtrail/analysis/lane_spans.h"

#include "ctxtrail/trace/event.h"
#include "ctxtrail/trace/tables.h"

namespace ctxtrail::analysis {

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

/// A runtime/trace task (trace.NewTask ... task.End()).
struct TaskRecord {
  trace::TaskID id = 0;
  trace::TaskID parent = trace::kNoTask;
  trace::StringID name = 0;
  int64_t begin = -1;  // -1: began before the trace
  int64_t end = -1;    // -1: still open at its end
  trace::GoID g = trace::kNoGoroutine;  // the goroutine that began it (or ended it, when it began before)
};

struct TraceExtras {
  /// A log-heavy trace would otherwise hold every message: the page shows the first ones.
  static constexpr size_t kMaxLogs = 20000;
  static constexpr size_t kMaxTasks = 10000;
  /// The lanes' budgets: a few MB of report however many events the trace has (a run is about
  /// 25 bytes of report). Sub-quantum spans are merged, longer ones stay exact (LaneSpans).
  static constexpr size_t kMaxProcRuns = 100'000;
  static constexpr size_t kMaxPhases = 10'000;
  static constexpr size_t kMaxRegions = 50'000;
  /// Regions nest on their goroutine: lane = i * kRegionDepths + depth, where region_goroutines[i]
  /// is the goroutine (IDs can be as large as 2^63: no arithmetic on them); deeper ones are
  /// left out (counted in regions_dropped).
  static constexpr int64_t kRegionDepths = 8;
  /// The lanes of `phases`.
  static constexpr int64_t kGcLane = 0;
  static constexpr int64_t kStwLane = 1;

  std::vector<MetricSample> heap;
  std::vector<LogRecord> logs;  // the first kMaxLogs
  uint64_t logs_dropped = 0;
  std::vector<LaneSpan> proc_runs;  // lane: the P; what: the goroutine that ran on it
  std::vector<LaneSpan> phases;     // lane: kGcLane or kStwLane; what: the range's name (StringID)
  std::vector<LaneSpan> regions;    // lane: see kRegionDepths; what: the region's type (StringID)
  std::vector<trace::GoID> region_goroutines;
  std::vector<TaskRecord> tasks;    // the first kMaxTasks, by first event
  uint64_t tasks_dropped = 0;
  uint64_t regions_dropped = 0;
  int64_t proc_quantum = 0;    // LaneSpans::quantum() of each, once finished
  int64_t phase_quantum = 0;
  int64_t region_quantum = 0;

  TraceExtras();
  ~TraceExtras();
  TraceExtras(TraceExtras&&) noexcept;
  TraceExtras& operator=(TraceExtras&&) noexcept;

  void on_event(const trace::Event& ev, const trace::StringTable& strings);
  /// Closes the runs, phases and regions still open at the last event and fills the lanes.
  void finish();

 private:
  void on_goroutine(const trace::Event& ev);
  void on_range(const trace::Event& ev, const trace::StringTable& strings);
  void on_task(const trace::Event& ev);
  void on_region(const trace::Event& ev);
  /// The lane of goroutine g's regions at `depth`.
  int64_t region_lane(trace::GoID g, int64_t depth);

  trace::StringID heap_name_ = 0;
  /// While the trace streams: what is open, and the lanes being reduced.
  struct Open;
  std::unique_ptr<Open> open_;
};

}  // namespace ctxtrail::analysis
