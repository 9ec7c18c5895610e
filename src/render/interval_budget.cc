/// The interval budget: bands of short intervals at a growing quantum.
#include "render/interval_budget.h"

#include <algorithm>

namespace ctxtrail::render {
namespace {

constexpr int64_t kFirstQuantum = 1000;  // 1µs: below this nothing on a screen tells apart
constexpr int64_t kQuantumGrowth = 4;
// A recompaction goes down to three quarters of the budget, so that the next one, a pass over
// every kept interval, is at least a quarter of a budget of new intervals away.
constexpr size_t kRefillQuarters = 3;
// Past a day of trace time nothing is left to merge.
constexpr int64_t kMaxQuantum = 86'400'000'000'000;

int64_t length(const model::Interval& iv) { return iv.end < 0 ? INT64_MAX : iv.end - iv.begin; }

}  // namespace

int telling(trace::GoState state) {
  switch (state) {
    case trace::GoState::Running: return 4;
    case trace::GoState::Syscall: return 3;
    case trace::GoState::Runnable: return 2;
    case trace::GoState::Waiting: return 1;
    default: return 0;
  }
}

std::unordered_set<model::GoID> exact_goroutines(const model::Model& m,
                                                 const std::vector<diagnose::Finding>& findings) {
  std::unordered_set<model::GoID> out;
  for (const diagnose::Finding& f : findings) out.insert(f.goroutines.begin(), f.goroutines.end());
  for (const model::CancelWave& w : m.waves) {
    out.insert(w.canceller);
    for (int32_t wi : w.watchers) out.insert(m.watchers[wi].g);
  }
  for (const auto& path : m.dag.critical_path)
    for (int32_t e : path) {
      out.insert(m.dag.nodes[m.dag.edges[e].from].g);
      out.insert(m.dag.nodes[m.dag.edges[e].to].g);
    }
  out.erase(model::kNoGoroutine);
  return out;
}

IntervalReducer::IntervalReducer(IntervalBudget budget)
    : budget_(std::move(budget)), limit_(budget_.max_intervals) {}

bool IntervalReducer::merge_into_last(Row& row, const model::Interval& iv) const {
  if (quantum_ == 0 || row.exact || row.ivs.empty()) return false;
  model::Interval& band = row.ivs.back();
  if (band.end != iv.begin || length(band) >= quantum_ || length(iv) >= quantum_) return false;
  if (telling(iv.state) > telling(band.state)) {
    band.state = iv.state;
    band.reason = iv.reason;
    band.stack = iv.stack;
  }
  // A band is not one wait: nobody woke it as a whole.
  band.waker = model::kNoGoroutine;
  band.waker_stack = 0;
  band.end = iv.end;
  row.banded = true;
  return true;
}

void IntervalReducer::add(const model::Interval& iv) {
  ++recorded_;
  auto [it, inserted] = rows_.try_emplace(iv.g);
  Row& row = it->second;
  if (inserted) row.exact = budget_.exact.count(iv.g) != 0;
  if (merge_into_last(row, iv)) return;
  row.ivs.push_back(iv);
  ++kept_;
  if (budget_.max_intervals != 0 && kept_ > limit_) recompact();
}

void IntervalReducer::recompact() {
  const size_t target = budget_.max_intervals / 4 * kRefillQuarters;
  // A quantum that merges nothing may be followed by one that does: go on to the largest.
  while (kept_ > target && quantum_ < kMaxQuantum) {
    quantum_ = quantum_ == 0 ? kFirstQuantum : std::min(quantum_ * kQuantumGrowth, kMaxQuantum);
    kept_ = 0;
    for (auto& [g, row] : rows_) {
      if (row.exact) {
        kept_ += row.ivs.size();
        continue;
      }
      std::vector<model::Interval> ivs = std::move(row.ivs);
      row.ivs.clear();
      for (const model::Interval& iv : ivs)
        if (!merge_into_last(row, iv)) row.ivs.push_back(iv);
      row.ivs.shrink_to_fit();
      kept_ += row.ivs.size();
    }
  }
  // Exact goroutines and one band per goroutine are a floor no quantum goes below: past it,
  // recompact again only after another budget's worth, so that adding stays linear.
  limit_ = std::max(budget_.max_intervals, kept_ + budget_.max_intervals / 4);
}

std::vector<model::Interval> IntervalReducer::finish() {
  std::vector<model::GoID> ids;
  ids.reserve(rows_.size());
  for (const auto& [g, row] : rows_) ids.push_back(g);
  std::sort(ids.begin(), ids.end());
  std::vector<model::Interval> out;
  out.reserve(kept_);
  for (model::GoID g : ids) {
    auto it = rows_.find(g);
    out.insert(out.end(), it->second.ivs.begin(), it->second.ivs.end());
    rows_.erase(it);
  }
  return out;
}

IntervalDetail IntervalReducer::detail() const {
  IntervalDetail d;
  d.quantum = quantum_;
  d.recorded = recorded_;
  d.kept = kept_;
  d.exact_goroutines = budget_.exact.size();
  d.max_intervals = budget_.max_intervals;
  for (const auto& [g, row] : rows_)
    if (row.banded) d.banded.insert(g);
  return d;
}

}  // namespace ctxtrail::render
