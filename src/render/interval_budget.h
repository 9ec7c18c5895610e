/// Keeps the report's and the exports' state intervals within a budget, whatever the trace's
/// size: intervals shorter than a time quantum are merged into bands, and the quantum grows
/// (x4 from 1µs) each time the budget is exceeded. Goroutines asked for keep every interval.
#pragma once

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "ctxtrail/model/model.h"
#include "ctxtrail/render/report_data.h"

namespace ctxtrail::render {

/// Which state a band shows when it merges several: running > syscall > runnable > waiting >
/// the rest, as the page picks the most telling state for a pixel (web/report/50-timeline.js PRIORITY).
int telling(trace::GoState state);

/// Receives closed intervals (ModelOptions::interval_sink) and keeps at most about
/// max_intervals of them, plus every interval of the exact goroutines.
class IntervalReducer {
 public:
  explicit IntervalReducer(IntervalBudget budget);
  void add(const model::Interval& iv);
  /// Every kept interval grouped by goroutine ID (ascending), each goroutine's in time order
  /// (the Model::intervals order). Empties the reducer.
  std::vector<model::Interval> finish();
  /// What was reduced; call before finish() (which empties the rows).
  IntervalDetail detail() const;

 private:
  struct Row {
    std::vector<model::Interval> ivs;
    bool exact = false;
    bool banded = false;  // holds at least one merged band
  };
  /// Merges `iv` into the row's last band when both are shorter than the quantum and touch.
  bool merge_into_last(Row& row, const model::Interval& iv) const;
  void recompact();

  IntervalBudget budget_;
  std::unordered_map<model::GoID, Row> rows_;
  int64_t quantum_ = 0;
  uint64_t recorded_ = 0;
  size_t kept_ = 0;
  size_t limit_ = 0;  // recompact above this many kept intervals
};

}  // namespace ctxtrail::render
