/// The frontier: a binary min-heap of M cursors keyed by the time of each cursor's next event.
/// Ties are broken exactly as Go's heap does (same sift rules, same insertion order), because
/// which of two equal-time events goes first is visible in the output.
#pragma once

#include <string>
#include <vector>

#include "trace/batch_cursor.h"

namespace ctxtrail::trace {

class Frontier {
 public:
  bool empty() const { return heap_.empty(); }
  size_t size() const { return heap_.size(); }
  BatchCursor* at(size_t i) const { return heap_[i].bc; }
  void clear() { heap_.clear(); }

  void insert(BatchCursor* bc) {
    heap_.push_back(Node{bc->ev.time, bc});
    sift_up(heap_.size() - 1);
  }
  /// The cursor at i changed its time: restore the heap.
  void update(size_t i) {
    heap_[i].time = heap_[i].bc->ev.time;
    if (sift_up(i) != i) return;
    sift_down(i);
  }
  /// The root cursor moved on to a later event: sift it down.
  void root_changed() { root_changed(heap_.data(), heap_.size()); }
  void remove(size_t i) {
    // Move i to the root ignoring keys, swap with the last, drop it, sift the root down.
    while (i > 0) {
      std::swap(heap_[(i - 1) / 2], heap_[i]);
      i = (i - 1) / 2;
    }
    std::swap(heap_[0], heap_.back());
    heap_.pop_back();
    sift_down(0);
  }
  /// Sorts by time as Go's slices.SortFunc does (a sorted heap is still a heap).
  void sort();
  std::string dump() const;

  /// A cursor with a copy of its head event's time, so sifting reads one array, not the
  /// cursors.
  struct Node {
    int64_t time;
    BatchCursor* bc;
  };
  /// The heap's nodes, for a caller that keeps them in a local across a run of root changes
  /// with no insert or remove in between (the reader's hot run).
  Node* nodes() { return heap_.data(); }
  /// root_changed() on nodes taken from nodes() (n of them).
  static void root_changed(Node* h, size_t n) {
    const int64_t t = h[0].bc->ev.time;
    h[0].time = t;
    // Most often the root stays the earliest: one look at its children settles it.
    if (n >= 3 && t <= h[1].time && t <= h[2].time) return;
    sift_down(h, n, 0);
  }

 private:
  size_t sift_up(size_t i) {
    while (i > 0 && heap_[(i - 1) / 2].time > heap_[i].time) {
      std::swap(heap_[(i - 1) / 2], heap_[i]);
      i = (i - 1) / 2;
    }
    return i;
  }
  /// Go's heap sift-down: swap with the strictly smallest child (left wins ties) while that
  /// child is strictly earlier than the node.
  static size_t sift_down(Node* h, size_t n, size_t i) {
    for (;;) {
      const size_t l = 2 * i + 1;
      if (l >= n) [[likely]] break;
      size_t best = i;
      int64_t t = h[i].time;
      const int64_t tl = h[l].time;
      if (tl < t) {
        t = tl;
        best = l;
      }
      if (l + 1 < n && h[l + 1].time < t) best = l + 1;
      if (best == i) break;
      std::swap(h[i], h[best]);
      i = best;
    }
    return i;
  }
  size_t sift_down(size_t i) { return sift_down(heap_.data(), heap_.size(), i); }

  std::vector<Node> heap_;
};

}  // namespace ctxtrail::trace
