/// The frontier: a binary min-heap of M cursors keyed by the time of each cursor's next event.
/// Ties are broken exactly as Go's heap does (same sift rules, same insertion order), because
/// which of two equal-time events goes first is visible in the output.
#pragma once

#include <algorithm>
#include <cstdint>
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
  /// The root and its earliest child, taken out of the heap for a run of events in which
  /// only they move (a busy program's two or so running Ms). While the root's new time is at
  /// or before every other node's, Go's sift-down either keeps the root (no child strictly
  /// earlier) or swaps it with that child, where its own children are no earlier than the
  /// rest: so the two just trade places, the heap's layout stays Go's, and store() writes it
  /// back. `limit` also holds the caller's own bound (the next CPU sample).
  struct Pair {
    BatchCursor* x;  // the root: its head is the next event
    int64_t tx;      // x's head time (the heap's copy is stale until store())
    BatchCursor* y;  // the earliest child, or null
    int64_t ty;      // y's head time; INT64_MAX without y
    int64_t limit;   // the pair's run ends once x's head is past this
    size_t k;        // y's index (1 or 2)

    Pair(const Node* h, size_t n, int64_t bound)
        : x(h[0].bc), tx(h[0].time), y(nullptr), ty(INT64_MAX), limit(bound), k(0) {
      if (n < 2) return;
      k = (n > 2 && h[2].time < h[1].time) ? 2 : 1;
      y = h[k].bc;
      ty = h[k].time;
      // The rest's earliest: the other child and y's children (a heap's subtrees are no
      // earlier than their roots).
      const size_t other[3] = {3 - k, 2 * k + 1, 2 * k + 2};
      for (size_t i : other) {
        if (i < n) limit = std::min(limit, h[i].time);
      }
    }
    /// x moved on to tx, at or before limit: the earlier of the two is the root (x on ties).
    [[gnu::always_inline]] void step() {
      if (tx > ty) {
        std::swap(x, y);
        std::swap(tx, ty);
      }
    }
    void store(Node* h) const {
      h[0] = Node{tx, x};
      if (y != nullptr) h[k] = Node{ty, y};
    }
  };
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
