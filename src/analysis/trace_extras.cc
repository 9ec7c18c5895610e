/// Heap samples, logs, runs on Ps, GC and stop-the-world phases, tasks and regions from the
/// event stream.
#include "ctxtrail/analysis/trace_extras.h"

#include <algorithm>

namespace ctxtrail::analysis {
namespace {

// Go's names for the ranges (internal/trace: EvGCBegin, EvSTWBegin).
constexpr std::string_view kGcRange = "GC concurrent mark phase";
constexpr std::string_view kStwRange = "stop-the-world";

}  // namespace

struct TraceExtras::Open {
  struct Run {
    trace::ProcID p = trace::kNoProc;
    int64_t begin = 0;
  };
  struct Region {
    trace::StringID name = 0;
    int64_t begin = 0;
  };
  std::unordered_map<trace::GoID, Run> running;
  int64_t gc_begin = -1;
  int64_t stw_begin = -1;
  trace::StringID stw_name = 0;
  std::unordered_map<trace::GoID, std::vector<Region>> regions;
  std::unordered_map<trace::GoID, int64_t> region_lane;  // goroutine -> its index in region_goroutines
  std::unordered_map<trace::TaskID, size_t> task_index;
  int64_t first_time = -1;
  int64_t last_time = 0;
  LaneSpans proc_runs{kMaxProcRuns};
  LaneSpans phases{kMaxPhases};
  LaneSpans regions_kept{kMaxRegions};
};

TraceExtras::TraceExtras() : open_(std::make_unique<Open>()) {}
TraceExtras::~TraceExtras() = default;
TraceExtras::TraceExtras(TraceExtras&&) noexcept = default;
TraceExtras& TraceExtras::operator=(TraceExtras&&) noexcept = default;

void TraceExtras::on_event(const trace::Event& ev, const trace::StringTable& strings) {
  if (open_->first_time < 0) open_->first_time = ev.time;
  open_->last_time = ev.time;
  switch (ev.kind) {
    case trace::EventKind::StateTransition:
      if (ev.resource == trace::ResourceKind::Goroutine) on_goroutine(ev);
      break;
    case trace::EventKind::Metric:
      // The metric's name is interned once the generation that names it is read.
      if (heap_name_ == 0) heap_name_ = strings.find(kHeapMetric);
      if (heap_name_ != 0 && ev.name == heap_name_) heap.push_back({ev.time, ev.value});
      break;
    case trace::EventKind::Log:
      if (logs.size() < kMaxLogs) {
        logs.push_back({ev.time, ev.g, ev.name, ev.text});
      } else {
        ++logs_dropped;
      }
      break;
    case trace::EventKind::RangeBegin:
    case trace::EventKind::RangeActive:
    case trace::EventKind::RangeEnd:
      on_range(ev, strings);
      break;
    case trace::EventKind::TaskBegin:
    case trace::EventKind::TaskEnd:
      on_task(ev);
      break;
    case trace::EventKind::RegionBegin:
    case trace::EventKind::RegionEnd:
      on_region(ev);
      break;
    default:
      break;
  }
}

// A goroutine runs on the P its M holds from its transition to Running until it leaves it.
void TraceExtras::on_goroutine(const trace::Event& ev) {
  const trace::GoID g = ev.resource_id;
  const bool runs = ev.go_to() == trace::GoState::Running && ev.p != trace::kNoProc;
  auto it = open_->running.find(g);
  if (it != open_->running.end()) {
    // A generation's status event repeats "running" on the same P: the run goes on.
    if (runs && it->second.p == ev.p) return;
    open_->proc_runs.add({it->second.p, it->second.begin, ev.time, g});
    open_->running.erase(it);
  }
  if (runs) open_->running[g] = {ev.p, ev.time};
}

// GC mark phases and stop-the-world pauses, global; a RangeActive (a phase already under way
// when a generation began) opens one only if none is open.
void TraceExtras::on_range(const trace::Event& ev, const trace::StringTable& strings) {
  const std::string_view name = strings.get(ev.name);
  const bool gc = name == kGcRange;
  if (!gc && !name.starts_with(kStwRange)) return;
  int64_t& begin = gc ? open_->gc_begin : open_->stw_begin;
  if (ev.kind != trace::EventKind::RangeEnd) {
    if (begin < 0) begin = ev.kind == trace::EventKind::RangeBegin ? ev.time : open_->first_time;
    if (!gc) open_->stw_name = ev.name;
    return;
  }
  // An end whose begin came before the trace: from the trace's start.
  const int64_t from = begin >= 0 ? begin : open_->first_time;
  open_->phases.add({gc ? kGcLane : kStwLane, from, ev.time, gc ? ev.name : open_->stw_name ? open_->stw_name : ev.name});
  begin = -1;
}

void TraceExtras::on_task(const trace::Event& ev) {
  auto it = open_->task_index.find(ev.id);
  if (it == open_->task_index.end()) {
    if (tasks.size() >= kMaxTasks) {
      if (ev.kind == trace::EventKind::TaskBegin) ++tasks_dropped;
      return;
    }
    it = open_->task_index.emplace(ev.id, tasks.size()).first;
    tasks.push_back({ev.id, trace::kNoTask, ev.name, -1, -1, ev.g});
  }
  TaskRecord& t = tasks[it->second];
  if (ev.kind == trace::EventKind::TaskBegin) {
    t.begin = ev.time;
    t.parent = ev.parent;
    t.g = ev.g;
  } else {
    t.end = ev.time;
  }
  if (t.name == 0) t.name = ev.name;
}

// Regions nest on their goroutine; one that began before the trace begins at its start.
void TraceExtras::on_region(const trace::Event& ev) {
  std::vector<Open::Region>& stack = open_->regions[ev.g];
  if (ev.kind == trace::EventKind::RegionBegin) {
    stack.push_back({ev.name, ev.time});
    return;
  }
  Open::Region r{ev.name, open_->first_time};
  if (!stack.empty()) {
    r = stack.back();
    stack.pop_back();
  }
  const auto depth = static_cast<int64_t>(stack.size());
  if (depth >= kRegionDepths) {
    ++regions_dropped;
    return;
  }
  open_->regions_kept.add({region_lane(ev.g, depth), r.begin, ev.time, r.name});
}

int64_t TraceExtras::region_lane(trace::GoID g, int64_t depth) {
  auto [it, fresh] = open_->region_lane.try_emplace(g, static_cast<int64_t>(region_goroutines.size()));
  if (fresh) region_goroutines.push_back(g);
  return it->second * kRegionDepths + depth;
}

void TraceExtras::finish() {
  Open& o = *open_;
  const int64_t end = o.last_time;
  // Runs, phases and regions still open at the end are drawn to it, in lane order.
  for (const auto& [g, run] : o.running) o.proc_runs.add({run.p, run.begin, end, g});
  o.running.clear();
  if (o.gc_begin >= 0) o.phases.add({kGcLane, o.gc_begin, end, 0});
  if (o.stw_begin >= 0) o.phases.add({kStwLane, o.stw_begin, end, o.stw_name});
  for (auto& [g, stack] : o.regions) {
    while (!stack.empty()) {
      const auto depth = static_cast<int64_t>(stack.size()) - 1;
      if (depth < kRegionDepths) o.regions_kept.add({region_lane(g, depth), stack.back().begin, end, stack.back().name});
      stack.pop_back();
    }
  }
  proc_quantum = o.proc_runs.quantum();
  phase_quantum = o.phases.quantum();
  region_quantum = o.regions_kept.quantum();
  proc_runs = o.proc_runs.finish();
  phases = o.phases.finish();
  regions = o.regions_kept.finish();
}

}  // namespace ctxtrail::analysis
