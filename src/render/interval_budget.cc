/// The interval budget: bands of short intervals at a growing quantum.
#include "render/interval_budget.h"

#include <fmt/format.h>

#include <algorithm>

#include "ctxtrail/model/naming.h"

namespace ctxtrail::render {
namespace {

constexpr int64_t kFirstQuantum = 1000;  // 1µs: below this nothing on a screen tells apart
constexpr int64_t kQuantumGrowth = 4;
// A recompaction goes down to three quarters of the budget, so that the next one, a pass over
// every kept interval, is at least a quarter of a budget of new intervals away.
constexpr size_t kRefillQuarters = 3;
// Past a day of trace time nothing is left to merge.
constexpr int64_t kMaxQuantum = 86'400'000'000'000;
// An exact goroutine's wait of 1ms or more stays exact: the rules' thresholds (a slow exit, a
// slow propagation, the grace) are milliseconds and more, so such a wait can be what a finding
// is about; and a wait that long is what the eye looks for between bands of spinning.
constexpr int64_t kLongWait = 1'000'000;
// ... and when the quantum grows past 16ms (a trace of minutes), a wait of a sixteenth of it:
// exact goroutines keep their waits sixteen times finer than the bands around them, and the
// budget still holds however long they tick.
constexpr int64_t kLongWaitFinerBy = 16;

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

ExactGoroutines exact_goroutines(const model::Model& m, const std::vector<diagnose::Finding>& findings) {
  ExactGoroutines out;
  for (const diagnose::Finding& f : findings)
    for (model::GoID g : f.goroutines) out.try_emplace(g);
  for (const model::CancelWave& w : m.waves) {
    out.try_emplace(w.canceller);
    for (int32_t wi : w.watchers) out[m.watchers[wi].g].push_back(m.watchers[wi].woken_at);
  }
  for (const auto& path : m.dag.critical_path)
    for (int32_t e : path) {
      out.try_emplace(m.dag.node(m, m.dag.edges[e].from).g);
      out.try_emplace(m.dag.node(m, m.dag.edges[e].to).g);
    }
  out.erase(model::kNoGoroutine);
  for (auto& [g, wakes] : out) std::sort(wakes.begin(), wakes.end());
  return out;
}

std::string describe_reduction(const IntervalDetail& d) {
  if (!d.reduced()) return "";
  // Merging works within each goroutine's row: a trace of more goroutines than the budget keeps
  // at least one band per goroutine, and the line must not claim the budget held.
  const std::string budget = d.kept <= d.max_intervals
                                 ? fmt::format("to stay within the budget of {}", model::format_count(d.max_intervals))
                                 : fmt::format("(over the budget of {}: every goroutine keeps its row)",
                                               model::format_count(d.max_intervals));
  std::string out = fmt::format("{} state intervals merged into {} {}: runs shorter than {} are bands showing their "
                                "most telling state",
                                model::format_count(d.recorded), model::format_count(d.kept), budget, model::format_duration(d.quantum));
  if (d.exact_banded > 0)
    out += fmt::format(" ({} goroutines of findings, cancel waves or critical paths included: their first and last "
                       "intervals, waits of {} or more and the waits a cancel ended stay exact)",
                       model::format_count(d.exact_banded), model::format_duration(d.long_wait));
  return out;
}

IntervalReducer::IntervalReducer(IntervalBudget budget)
    : budget_(std::move(budget)), limit_(budget_.max_intervals) {}

int64_t IntervalReducer::long_wait() const { return std::max(kLongWait, quantum_ / kLongWaitFinerBy); }

// What a person opens a finding's goroutine for: where it blocks and for how long, what woke
// it, when it began and ended. So of its intervals these stay as recorded whatever the
// quantum: its first (it was created or first seen), its last (the blocking wait it leaks in,
// or the one it ended from: settle_last never merges it), its long waits (long_wait()), and
// the waits a cancel woke it from (cancel-ignored and slow-cancel-exit are about what came
// after that wake). Its spinning between them is banded like everyone's.
bool IntervalReducer::matters(const Row& row, const model::Interval& iv) const {
  if (iv.state != trace::GoState::Waiting) return false;
  if (length(iv) >= long_wait()) return true;
  return row.cancel_wakes != nullptr && std::binary_search(row.cancel_wakes->begin(), row.cancel_wakes->end(), iv.end);
}

bool IntervalReducer::merge_into_last(Row& row, const model::Interval& iv, bool is_band) const {
  if (quantum_ == 0 || row.ivs.empty()) return false;
  model::Interval& band = row.ivs.back();
  if (band.end != iv.begin || length(band) >= quantum_ || length(iv) >= quantum_) return false;
  if (row.exact) {
    if (row.ivs.size() == 1) return false;  // its first interval
    if (!row.band.back() && matters(row, band)) return false;
    if (!is_band && matters(row, iv)) return false;
  }
  if (telling(iv.state) > telling(band.state)) {
    band.state = iv.state;
    band.reason = iv.reason;
    band.stack = iv.stack;
  }
  // A band is not one wait: nobody woke it as a whole.
  band.waker = model::kNoGoroutine;
  band.waker_stack = 0;
  band.end = iv.end;
  row.band.back() = true;
  row.banded = true;
  return true;
}

void IntervalReducer::settle_last(Row& row) {
  if (row.ivs.size() < 2) return;
  const model::Interval last = row.ivs.back();
  const bool last_is_band = row.band.back();
  row.ivs.pop_back();
  row.band.pop_back();
  if (merge_into_last(row, last, last_is_band)) {
    --kept_;
    return;
  }
  row.ivs.push_back(last);
  row.band.push_back(last_is_band);
}

void IntervalReducer::add(const model::Interval& iv) {
  ++recorded_;
  auto [it, inserted] = rows_.try_emplace(iv.g);
  Row& row = it->second;
  if (inserted) {
    if (auto e = budget_.exact.find(iv.g); e != budget_.exact.end()) {
      row.exact = true;
      row.cancel_wakes = &e->second;
    }
  }
  // An exact goroutine's newest interval may be its last: it waits raw until the next comes.
  if (row.exact) {
    settle_last(row);
  } else if (merge_into_last(row, iv, false)) {
    return;
  }
  row.ivs.push_back(iv);
  row.band.push_back(false);
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
      std::vector<model::Interval> ivs = std::move(row.ivs);
      std::vector<bool> band = std::move(row.band);
      row.ivs.clear();
      row.band.clear();
      for (size_t k = 0; k < ivs.size(); ++k) {
        const bool newest_of_exact = row.exact && k + 1 == ivs.size();
        if (newest_of_exact || !merge_into_last(row, ivs[k], band[k])) {
          row.ivs.push_back(ivs[k]);
          row.band.push_back(band[k]);
        }
      }
      row.ivs.shrink_to_fit();
      row.band.shrink_to_fit();
      kept_ += row.ivs.size();
    }
  }
  // What matters of exact goroutines and one band between two of them are a floor no quantum
  // goes below: past it, recompact again only after another budget's worth, so that adding
  // stays linear.
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
  d.long_wait = long_wait();
  d.max_intervals = budget_.max_intervals;
  for (const auto& [g, row] : rows_)
    if (row.banded) {
      d.banded.insert(g);
      if (row.exact) ++d.exact_banded;
    }
  return d;
}

}  // namespace ctxtrail::render
