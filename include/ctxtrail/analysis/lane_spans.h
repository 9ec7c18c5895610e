/// Spans on the report's lanes (a goroutine's run on a P, a GC or stop-the-world phase, a
/// runtime/trace region), kept within a budget while the trace streams: spans that fit in one
/// time quantum are merged into one band, longer ones stay exact, and the quantum grows (x4
/// from 1µs) each time the budget is exceeded, as render/interval_budget.h does for states.
#pragma once

#include <cstddef>
#include <cstdint>
#include <limits>
#include <unordered_map>
#include <vector>

namespace ctxtrail::analysis {

struct LaneSpan {
  /// A band's `what` when the spans it merges differ in what they are.
  static constexpr int64_t kSeveral = std::numeric_limits<int64_t>::min();
  int64_t lane = 0;   // a P, a goroutine, ...: the user of the spans says
  int64_t begin = 0;  // ns, as the events' times
  int64_t end = 0;
  int64_t what = 0;   // the goroutine that ran, the region's name, ...; kSeveral
  uint32_t count = 1; // spans merged into this one
};

class LaneSpans {
 public:
  explicit LaneSpans(size_t max_spans) : max_(max_spans) {}
  /// `s` must not begin before the end of the lane's last span: each lane's spans come in
  /// time order.
  void add(const LaneSpan& s);
  /// Every kept span, by lane (ascending) then time. Empties the collection.
  std::vector<LaneSpan> finish();
  /// 0 while nothing was merged.
  int64_t quantum() const { return quantum_; }
  uint64_t added() const { return added_; }

 private:
  /// Merges `s` into `lane`'s last span when both fit in one quantum.
  bool merge_into_last(std::vector<LaneSpan>& lane, const LaneSpan& s) const;
  void recompact();

  size_t max_;
  std::unordered_map<int64_t, std::vector<LaneSpan>> lanes_;
  int64_t quantum_ = 0;
  size_t kept_ = 0;
  uint64_t added_ = 0;
  int64_t first_begin_ = 0;
  int64_t last_end_ = 0;
};

}  // namespace ctxtrail::analysis
