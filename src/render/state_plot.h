/// The "goroutines by state" plot: time-weighted average count of goroutines per state in
/// equal bins over the trace.
#pragma once

#include "ctxtrail/render/report_data.h"

namespace ctxtrail::render {

struct StatePlot {
  static constexpr int kBins = 2000;
  int64_t begin = 0;
  int64_t end = 0;
  int64_t bin_width = 1;
  std::vector<std::vector<double>> series;  // running, runnable, waiting, syscall: kBins + 1

  /// An empty plot over [begin, end]; add() every interval, then finish().
  StatePlot(int64_t begin, int64_t end);
  void add(const model::Interval& iv);
  void finish();
  /// The plot of a model's intervals.
  static StatePlot of(const model::Model& m);

 private:
  std::vector<std::vector<double>> full_;  // +1 / -1 where whole bins start and stop
};

}  // namespace ctxtrail::render
