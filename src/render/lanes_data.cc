/// The report data's `lanes`: flat arrays of spans, a band's goroutine or name as -count.
#include "render/lanes_data.h"

#include <string_view>
#include <vector>

namespace ctxtrail::render {
namespace {

using analysis::LaneSpan;

// Writes `key`: per span, what `lane` writes, then begin, duration and what `what` makes of
// its goroutine or name, or -(spans merged) for a band of several.
template <class Lane, class What>
void write_spans(Writer& w, std::string_view key, const std::vector<LaneSpan>& spans, int64_t t0, Lane lane,
                 What what) {
  w.key(key);
  w.open('[');
  for (const LaneSpan& s : spans) {
    lane(s);
    w.item_num(s.begin - t0);
    w.item_num(s.end - s.begin);
    w.item_num(s.what == LaneSpan::kSeveral ? -static_cast<int64_t>(s.count) : what(s.what));
  }
  w.close(']');
}

}  // namespace

void write_lanes(Writer& w, Interner& intern, const analysis::TraceExtras& x, int64_t t0) {
  constexpr int64_t kDepths = analysis::TraceExtras::kRegionDepths;
  auto name = [&](int64_t id) -> int64_t { return intern.trace_str(static_cast<trace::StringID>(id)); };
  auto one_lane = [&](const LaneSpan& s) { w.item_num(s.lane); };
  w.open('{');
  // Runs: [P, begin, duration, goroutine].
  write_spans(w, "pr", x.proc_runs, t0, one_lane, [](int64_t g) { return g; });
  // Phases: [lane (0 GC, 1 stop-the-world), begin, duration, name].
  write_spans(w, "ph", x.phases, t0, one_lane, name);
  // Regions: [goroutine, depth, begin, duration, type].
  write_spans(w, "rg", x.regions, t0, [&](const LaneSpan& s) {
    w.item_num(x.region_goroutines[static_cast<size_t>(s.lane / kDepths)]);
    w.item_num(s.lane % kDepths);
  }, name);
  // Tasks: [id, parent (-1 none), type, begin (-1 before the trace), end (-1 open), goroutine].
  w.key("tk");
  w.open('[');
  for (const analysis::TaskRecord& t : x.tasks) {
    w.item_num(static_cast<int64_t>(t.id));
    w.item_num(t.parent == trace::kNoTask || t.parent == trace::kBackgroundTask ? -1 : static_cast<int64_t>(t.parent));
    w.item_num(intern.trace_str(t.name));
    w.item_num(t.begin < 0 ? -1 : t.begin - t0);
    w.item_num(t.end < 0 ? -1 : t.end - t0);
    w.item_num(t.g);
  }
  w.close(']');
  // The quanta below which spans were merged (0: none), and what was left out.
  w.field("prq", x.proc_quantum);
  w.field("phq", x.phase_quantum);
  w.field("rgq", x.region_quantum);
  w.field("tkDropped", static_cast<int64_t>(x.tasks_dropped));
  w.field("rgDropped", static_cast<int64_t>(x.regions_dropped));
  w.close('}');
}

}  // namespace ctxtrail::render
