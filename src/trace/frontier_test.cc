// Frontier::Pair against Go's heap: a run of root changes taken through the pair must leave
// the nodes in exactly the layout that Go's sift-down gives after each change, ties included
// (which of two equal-time events goes first is visible in the output).
#include "trace/frontier.h"

#include <gtest/gtest.h>

#include <deque>
#include <random>
#include <vector>

namespace ctxtrail::trace {
namespace {

/// Cursors whose head times come from a script; the heap sees only their ev.time.
struct Scripted {
  std::vector<BatchCursor> cursors;
  std::vector<std::deque<int64_t>> later;  // each cursor's next head times

  Scripted(std::mt19937_64& rng, size_t n, int64_t spread) : cursors(n), later(n) {
    std::uniform_int_distribution<int64_t> start(0, spread), step(0, 3);
    for (size_t i = 0; i < n; i++) {
      cursors[i].m = static_cast<int64_t>(i);
      cursors[i].ev.time = start(rng);
      int64_t t = cursors[i].ev.time;
      // Steps of 0 to 3: equal times across cursors are common, as at the clock's 64 ns grain.
      for (int k = 0; k < 400; k++) later[i].push_back(t += step(rng));
    }
  }
  /// The root's cursor moves on; false when it has no next event.
  bool advance(BatchCursor* bc) {
    auto& q = later[static_cast<size_t>(bc->m)];
    if (q.empty()) return false;
    bc->ev.time = q.front();
    q.pop_front();
    return true;
  }
};

std::vector<int64_t> layout(const Frontier::Node* h, size_t n) {
  std::vector<int64_t> ms;
  for (size_t i = 0; i < n; i++) ms.push_back(h[i].bc->m);
  return ms;
}

TEST(FrontierPair, RunsLeaveGosHeapLayout) {
  std::mt19937_64 rng(7);
  for (int trial = 0; trial < 300; trial++) {
    const size_t n = 1 + trial % 9;
    const int64_t spread = (trial % 3) * 20;  // 0: every cursor starts at the same time
    const int64_t bound = (trial % 4 == 0) ? 150 : INT64_MAX;  // a CPU sample due at 150
    Scripted go(rng, n, spread);
    Scripted ours = go;
    Frontier go_heap, our_heap;
    for (auto& c : go.cursors) go_heap.insert(&c);
    for (auto& c : ours.cursors) our_heap.insert(&c);
    ASSERT_EQ(layout(go_heap.nodes(), n), layout(our_heap.nodes(), n));

    Frontier::Node* h = our_heap.nodes();
    Frontier::Pair pair(h, n, bound);
    bool pair_out = true;
    std::vector<int64_t> go_order, our_order;
    for (int events = 0; events < 300; events++) {
      // Go: the root's event goes, its cursor moves on, the root is sifted down.
      BatchCursor* g = go_heap.at(0);
      if (go_heap.nodes()[0].time > bound) break;
      go_order.push_back(g->m);
      if (!go.advance(g)) break;
      go_heap.root_changed();

      // Ours: the pair's root goes; past its limit the pair goes back into Go's heap.
      ASSERT_TRUE(pair_out);
      our_order.push_back(pair.x->m);
      ASSERT_TRUE(ours.advance(pair.x));
      pair.tx = pair.x->ev.time;
      if (pair.tx > pair.limit) {
        pair.store(h);
        Frontier::root_changed(h, n);
        pair_out = false;
        if (h[0].time > bound) break;
        pair = Frontier::Pair(h, n, bound);
        pair_out = true;
        continue;
      }
      pair.step();
      // Written back at any point, the pair gives Go's layout and times.
      Frontier::Node copy[16];
      std::copy(h, h + n, copy);
      pair.store(copy);
      ASSERT_EQ(layout(copy, n), layout(go_heap.nodes(), n)) << "trial " << trial << " event " << events;
      for (size_t i = 0; i < n; i++) ASSERT_EQ(copy[i].time, go_heap.nodes()[i].time);
    }
    if (pair_out) pair.store(h);
    EXPECT_EQ(our_order, go_order) << "trial " << trial;
    EXPECT_EQ(layout(h, n), layout(go_heap.nodes(), n)) << "trial " << trial;
  }
}

TEST(FrontierPair, LimitIsTheEarliestOfTheRest) {
  // Root 0 (time 1), children 1 (5) and 2 (3): the pair is the root and node 2; the rest are
  // node 1 and node 2's children 5 (4) and 6 (9).
  std::vector<BatchCursor> c(7);
  const int64_t times[7] = {1, 5, 3, 6, 7, 4, 9};
  std::vector<Frontier::Node> h;
  for (size_t i = 0; i < 7; i++) {
    c[i].m = static_cast<int64_t>(i);
    c[i].ev.time = times[i];
    h.push_back({times[i], &c[i]});
  }
  Frontier::Pair p(h.data(), h.size(), INT64_MAX);
  EXPECT_EQ(p.k, 2u);
  EXPECT_EQ(p.y, &c[2]);
  EXPECT_EQ(p.limit, 4);
  EXPECT_EQ(Frontier::Pair(h.data(), h.size(), 2).limit, 2);  // a CPU sample due first
  EXPECT_EQ(Frontier::Pair(h.data(), 1, INT64_MAX).y, nullptr);
}

}  // namespace
}  // namespace ctxtrail::trace
