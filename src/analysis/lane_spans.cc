/// Lane spans within a budget: merged when they fit in one quantum.
#include "ctxtrail/analysis/lane_spans.h"

#include <algorithm>

namespace ctxtrail::analysis {

bool LaneSpans::merge_into_last(std::vector<LaneSpan>& lane, const LaneSpan& s) const {
  if (lane.empty() || quantum_ == 0) return false;
  LaneSpan& last = lane.back();
  // The band never spans more than a quantum: a long span and an idle stretch longer than a
  // quantum both stay as they are.
  if (s.end - last.begin > quantum_) return false;
  last.end = std::max(last.end, s.end);
  if (last.what != s.what) last.what = LaneSpan::kSeveral;
  last.count += s.count;
  return true;
}

void LaneSpans::add(const LaneSpan& s) {
  if (added_++ == 0 || s.begin < first_begin_) first_begin_ = s.begin;
  last_end_ = std::max(last_end_, s.end);
  std::vector<LaneSpan>& lane = lanes_[s.lane];
  if (merge_into_last(lane, s)) return;
  lane.push_back(s);
  if (++kept_ > max_ && max_ > 0) recompact();
}

void LaneSpans::recompact() {
  // Until at most three quarters of the budget are kept, so that the next recompaction is
  // many spans away.
  // Once the quantum covers everything each lane is one span: more lanes than the budget stay.
  while (kept_ > max_ * 3 / 4 && quantum_ <= last_end_ - first_begin_) {
    quantum_ = quantum_ == 0 ? 1000 : quantum_ * 4;
    kept_ = 0;
    for (auto& [id, lane] : lanes_) {
      std::vector<LaneSpan> merged;
      merged.reserve(lane.size());
      for (const LaneSpan& s : lane) {
        if (!merge_into_last(merged, s)) merged.push_back(s);
      }
      lane = std::move(merged);
      kept_ += lane.size();
    }
  }
}

std::vector<LaneSpan> LaneSpans::finish() {
  std::vector<int64_t> ids;
  ids.reserve(lanes_.size());
  for (const auto& [id, lane] : lanes_) ids.push_back(id);
  std::sort(ids.begin(), ids.end());
  std::vector<LaneSpan> out;
  out.reserve(kept_);
  for (int64_t id : ids) {
    const std::vector<LaneSpan>& lane = lanes_[id];
    out.insert(out.end(), lane.begin(), lane.end());
  }
  lanes_.clear();
  kept_ = 0;
  return out;
}

}  // namespace ctxtrail::analysis
