/// Keeps the report's and the exports' state intervals within a budget, whatever the trace's
/// size: intervals shorter than a time quantum are merged into bands, and the quantum grows
/// (x4 from 1µs) each time the budget is exceeded. The goroutines of findings, cancel waves and
/// critical paths are merged too, but keep exact what a person reads them for (see matters()).
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

/// Receives closed intervals (ModelOptions::interval_sink), per goroutine in time order, and
/// keeps at most about max_intervals of them: past the budget only what no quantum merges (the
/// exact goroutines' intervals that matter, one band between two of them) may exceed it.
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
    std::vector<bool> band;  // per interval of ivs: it merges several
    bool exact = false;
    bool banded = false;  // holds at least one merged band
    const std::vector<int64_t>* cancel_wakes = nullptr;  // exact rows: IntervalBudget::exact's
  };
  /// Exact goroutines' waits at least this long stay exact.
  int64_t long_wait() const;
  /// Whether `iv`, an interval of an exact goroutine as the model recorded it, stays exact.
  bool matters(const Row& row, const model::Interval& iv) const;
  /// Merges `iv` (a band itself when `is_band`) into the row's last interval when both are
  /// shorter than the quantum, touch, and neither is one that stays exact.
  bool merge_into_last(Row& row, const model::Interval& iv, bool is_band) const;
  /// An exact row's last interval is about to stop being its last: merges it into the one
  /// before when it may.
  void settle_last(Row& row);
  void recompact();

  IntervalBudget budget_;
  std::unordered_map<model::GoID, Row> rows_;
  int64_t quantum_ = 0;
  uint64_t recorded_ = 0;
  size_t kept_ = 0;
  size_t limit_ = 0;  // recompact above this many kept intervals
};

}  // namespace ctxtrail::render
