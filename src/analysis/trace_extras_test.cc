#include "ctxtrail/analysis/trace_extras.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ctxtrail::analysis {
namespace {

using trace::Event;
using trace::EventKind;

struct Strings final : trace::StringTable {
  std::vector<std::string> s{"", "GC concurrent mark phase", "outer", "inner"};
  std::string_view get(trace::StringID id) const override {
    return id < s.size() ? std::string_view(s[id]) : std::string_view();
  }
  trace::StringID find(std::string_view) const override { return 0; }
  size_t size() const override { return s.size(); }
};

Event running(int64_t t, trace::GoID g, trace::ProcID p, trace::GoState to) {
  Event ev;
  ev.time = t;
  ev.kind = EventKind::StateTransition;
  ev.resource = trace::ResourceKind::Goroutine;
  ev.resource_id = g;
  ev.g = g;
  ev.p = p;
  ev.from = static_cast<uint8_t>(to == trace::GoState::Running ? trace::GoState::Runnable : trace::GoState::Running);
  ev.to = static_cast<uint8_t>(to);
  return ev;
}

Event marked(int64_t t, EventKind kind, trace::GoID g, trace::StringID name) {
  Event ev;
  ev.time = t;
  ev.kind = kind;
  ev.g = g;
  ev.name = name;
  return ev;
}

// Goroutine IDs reach 2^63 - 1 in real traces: the lanes never compute with them.
TEST(TraceExtras, RunsPhasesAndNestedRegionsOfAGoroutineWithAHugeId) {
  const trace::GoID big = (trace::GoID{1} << 62) + 5;
  Strings strings;
  TraceExtras x;
  for (const Event& ev : {running(100, big, 3, trace::GoState::Running), marked(150, EventKind::RangeBegin, big, 1),
                          marked(200, EventKind::RegionBegin, big, 2), marked(300, EventKind::RegionBegin, big, 3),
                          marked(400, EventKind::RegionEnd, big, 3), marked(500, EventKind::RegionEnd, big, 2),
                          marked(550, EventKind::RangeEnd, big, 1), running(600, big, 3, trace::GoState::Waiting),
                          running(700, 7, 1, trace::GoState::Running), marked(800, EventKind::RegionBegin, 7, 2),
                          marked(900, EventKind::Metric, 7, 0)})
    x.on_event(ev, strings);
  x.finish();
  // G(big) ran on P3 from 100 to 600; G7 runs on P1 from 700 to the last event.
  ASSERT_EQ(x.proc_runs.size(), 2u);
  EXPECT_EQ(x.proc_runs[0].lane, 1);
  EXPECT_EQ(x.proc_runs[0].what, 7);
  EXPECT_EQ(x.proc_runs[0].end, 900);
  EXPECT_EQ(x.proc_runs[1].lane, 3);
  EXPECT_EQ(x.proc_runs[1].what, big);
  EXPECT_EQ(x.proc_runs[1].begin, 100);
  EXPECT_EQ(x.proc_runs[1].end, 600);
  ASSERT_EQ(x.phases.size(), 1u);
  EXPECT_EQ(x.phases[0].lane, TraceExtras::kGcLane);
  EXPECT_EQ(x.phases[0].end - x.phases[0].begin, 400);
  // "outer" on depth 0 and "inner" on depth 1 of big's lanes; G7's open region to the end.
  ASSERT_EQ(x.regions.size(), 3u);
  ASSERT_EQ(x.region_goroutines.size(), 2u);
  for (const LaneSpan& r : x.regions) {
    const trace::GoID g = x.region_goroutines[static_cast<size_t>(r.lane / TraceExtras::kRegionDepths)];
    const int64_t depth = r.lane % TraceExtras::kRegionDepths;
    if (r.what == 3) {
      EXPECT_EQ(g, big);
      EXPECT_EQ(depth, 1);
      EXPECT_EQ(r.begin, 300);
    } else if (g == big) {
      EXPECT_EQ(depth, 0);
      EXPECT_EQ(r.end, 500);
    } else {
      EXPECT_EQ(g, 7);
      EXPECT_EQ(r.end, 900);
    }
  }
}

}  // namespace
}  // namespace ctxtrail::analysis
