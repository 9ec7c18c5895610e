/// Goroutines by state per bin: partial bins at an interval's ends, whole bins in between as a
/// difference array summed once in finish().
#include "render/state_plot.h"

#include <algorithm>

namespace ctxtrail::render {
namespace {

int series_of(trace::GoState st) {
  switch (st) {
    case trace::GoState::Running: return 0;
    case trace::GoState::Runnable: return 1;
    case trace::GoState::Waiting: return 2;
    case trace::GoState::Syscall: return 3;
    default: return -1;
  }
}

}  // namespace

StatePlot::StatePlot(int64_t b, int64_t e) : begin(b), end(e) {
  int64_t dur = std::max<int64_t>(1, end - begin);
  bin_width = std::max<int64_t>(1, (dur + kBins - 1) / kBins);
  series.assign(4, std::vector<double>(kBins + 1, 0.0));
  full_.assign(4, std::vector<double>(kBins + 2, 0.0));
}

void StatePlot::add(const model::Interval& iv) {
  int s = series_of(iv.state);
  if (s < 0) return;
  int64_t b = std::max<int64_t>(0, iv.begin - begin);
  int64_t e = std::min<int64_t>((iv.end < 0 ? end : iv.end) - begin, end - begin);
  if (e <= b) return;
  int64_t bb = b / bin_width, eb = e / bin_width;
  if (bb == eb) {
    series[s][bb] += double(e - b) / bin_width;
    return;
  }
  series[s][bb] += double((bb + 1) * bin_width - b) / bin_width;
  series[s][eb] += double(e - eb * bin_width) / bin_width;
  full_[s][bb + 1] += 1;
  full_[s][eb] -= 1;
}

void StatePlot::finish() {
  for (int s = 0; s < 4; ++s) {
    double run = 0;
    for (int i = 0; i <= kBins; ++i) {
      run += full_[s][i];
      series[s][i] += run;
    }
  }
  full_.clear();
}

StatePlot StatePlot::of(const model::Model& m) {
  StatePlot p(m.trace_begin, m.trace_end);
  for (const model::Interval& iv : m.intervals) p.add(iv);
  p.finish();
  return p;
}

}  // namespace ctxtrail::render
