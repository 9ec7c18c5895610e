/// The termination DAG: for every goroutine end and cancel call, the one event that decided
/// when it happened (a cancel wake, a wake by another goroutine, or its spawn).
#include <algorithm>
#include <iterator>
#include <limits>
#include <span>
#include <unordered_map>
#include <vector>
#include <tuple>

#include "ctxtrail/model/model.h"

namespace ctxtrail::model {

std::string_view to_string(DagEdge::Kind kind) {
  switch (kind) {
    case DagEdge::Spawn: return "spawn";
    case DagEdge::Wake: return "wake";
    case DagEdge::Cancel: return "cancel";
    case DagEdge::After: return "after";
    case DagEdge::Woken: return "woken";
  }
  return "?";
}

DagNode TerminationDag::node(const Model& m, int32_t n) const {
  const auto i = static_cast<size_t>(n);
  if (i < waves) {
    const CancelWave& w = m.waves[i];
    return DagNode{DagNode::Cancel, w.time, w.canceller, n};
  }
  const Goroutine& g = m.goroutines[end_records[i - waves]];
  return DagNode{DagNode::End, g.ended_at, g.id, kNone};
}

int32_t TerminationDag::in_edge(int32_t n) const {
  // The last of its edges, should it have several (a node has one incoming edge at most).
  auto it = std::upper_bound(in_edges.begin(), in_edges.end(),
                             std::pair<int32_t, int32_t>{n, std::numeric_limits<int32_t>::max()});
  return it != in_edges.begin() && std::prev(it)->first == n ? std::prev(it)->second : kNone;
}

int32_t TerminationDag::node_of_wave(int32_t wave_index) const {
  // Cancel nodes are created first, one per wave, in wave order.
  return wave_index >= 0 && static_cast<size_t>(wave_index) < critical_path.size() ? wave_index
                                                                                     : kNone;
}

namespace {

/// Edge indexes grouped by the node they leave, in edge order: one array for a million nodes
/// instead of a vector each.
struct OutEdges {
  std::vector<uint32_t> begin;  // per node, and one past the last
  std::vector<int32_t> edges;

  explicit OutEdges(const TerminationDag& d) : begin(d.node_count() + 1, 0), edges(d.edges.size()) {
    for (const DagEdge& e : d.edges) ++begin[e.from + 1];
    for (size_t n = 1; n < begin.size(); ++n) begin[n] += begin[n - 1];
    std::vector<uint32_t> next(begin.begin(), begin.end() - 1);
    for (size_t i = 0; i < d.edges.size(); ++i) edges[next[d.edges[i].from]++] = static_cast<int32_t>(i);
  }
  std::span<const int32_t> of(int32_t node) const {
    return {edges.data() + begin[node], begin[node + 1] - begin[node]};
  }
};

struct Builder {
  const Model& m;
  TerminationDag d;
  trace::IdIndex end_node;  // goroutine ID -> its End node (the latest record's, as find())
  std::vector<bool> decided;  // per node: it has its incoming edge
  /// Per goroutine record that cancelled: its waves in time order (its prev_by_canceller chain
  /// reversed), searched by time instead of walked: a loop that cancels a million times would
  /// make each of its children walk the chain.
  std::unordered_map<const Goroutine*, std::vector<int32_t>> waves_made;

  // r's latest cancel call at or before `at`; kNone when it made none by then.
  int32_t latest_wave_by(const Goroutine& r, int64_t at) {
    if (r.last_wave_made == kNone) return kNone;
    // Its latest call, or its only one (most cancellers call once): no list to make.
    const CancelWave& last = m.waves[r.last_wave_made];
    if (last.time <= at) return r.last_wave_made;
    if (last.prev_by_canceller == kNone) return kNone;
    auto [it, fresh] = waves_made.try_emplace(&r);
    std::vector<int32_t>& made = it->second;
    if (fresh) {
      for (int32_t w = r.last_wave_made; w != kNone; w = m.waves[w].prev_by_canceller) made.push_back(w);
      std::reverse(made.begin(), made.end());
    }
    auto after = std::upper_bound(made.begin(), made.end(), at,
                                  [&](int64_t t, int32_t w) { return t < m.waves[w].time; });
    return after == made.begin() ? kNone : *std::prev(after);
  }

  // The node on goroutine `g` that stands for what it did at `time`: its end, when the wake
  // was part of its final run (after its own deciding wake: `defer close(done)`, wg.Done())
  // and it ended no later than `limit`; else the latest cancel call it made by then.
  DagNode node(int32_t n) const { return d.node(m, n); }
  int64_t time_of(int32_t n) const { return node(n).time; }

  int32_t node_on(GoID g, int64_t time, int64_t limit) {
    const Goroutine* r = m.find(g);
    if (r == nullptr) return kNone;
    const uint32_t e = end_node.find(g);
    if (e != trace::IdIndex::kNone && r->ended_at >= time && r->ended_at <= limit &&
        m.wakes_of(*r).last_wake.time <= time)
      return static_cast<int32_t>(e);
    return latest_wave_by(*r, time);
  }

  void edge(DagEdge::Kind kind, int32_t from, int32_t to, int64_t time) {
    if (from == kNone || from == to) return;
    d.edges.push_back(DagEdge{kind, from, to, time});
    decided[static_cast<size_t>(to)] = true;
  }

  static bool ends_in_dag(const Goroutine& g) {
    return g.ended_at >= 0 && g.kind != GoKind::Runtime && g.kind != GoKind::Service;
  }

  TerminationDag build() {
    size_t ends = 0;
    for (const Goroutine& g : m.goroutines) ends += ends_in_dag(g);
    // Wave w's node is w (its id - 1).
    d.waves = m.waves.size();
    d.end_records.reserve(ends);
    for (size_t r = 0; r < m.goroutines.size(); ++r) {
      const Goroutine& g = m.goroutines[r];
      if (!ends_in_dag(g)) continue;
      end_node.erase(g.id);
      end_node.insert(g.id, static_cast<uint32_t>(d.node_count()));
      d.end_records.push_back(static_cast<uint32_t>(r));
    }
    decided.assign(d.node_count(), false);
    for (const CancelWave& w : m.waves)
      if (w.parent != kNone) edge(DagEdge::Cancel, w.parent, w.id - 1, w.time);
    // Each ID's latest end only (a record created again under a known ID replaces the old one),
    // as find() answers.
    for (size_t i = d.waves; i < d.node_count(); ++i) {
      const auto node = static_cast<int32_t>(i);
      const GoID gid = m.goroutines[d.end_records[i - d.waves]].id;
      if (end_node.find(gid) != static_cast<uint32_t>(node)) continue;
      const Goroutine& g = *m.find(gid);
      const Wake& wk = m.wakes_of(g).last_wake;
      if (wk.time >= 0 && wk.wave != kNone) {
        edge(DagEdge::Cancel, wk.wave, node, wk.time);
      } else if (wk.time >= 0 && wk.waker != kNoGoroutine) {
        edge(DagEdge::Wake, node_on(wk.waker, wk.time, g.ended_at), node, wk.time);
      } else if (wk.time < 0 && g.created_by_wave != kNone) {
        edge(DagEdge::Spawn, g.created_by_wave, node, g.created_at);
      } else if (wk.time < 0 && g.creator != kNoGoroutine && g.created_at >= 0) {
        // Never blocked: its end was decided by its spawn. Only a cancel call of the creator
        // can be the source (the creator's own end came later or is unrelated).
        const Goroutine* c = m.find(g.creator);
        edge(DagEdge::Spawn, c == nullptr ? kNone : latest_wave_by(*c, g.created_at), node, g.created_at);
      }
    }
    after_edges();
    woken_edges();
    // By time for stable output. A node has one incoming edge at most, so (time, to) is unique
    // and the order does not depend on the order the edges were found in.
    std::sort(d.edges.begin(), d.edges.end(), [](const DagEdge& a, const DagEdge& b) {
      return std::tie(a.time, a.to) < std::tie(b.time, b.to);
    });
    d.in_edges.reserve(d.edges.size());
    for (size_t i = 0; i < d.edges.size(); ++i) d.in_edges.emplace_back(d.edges[i].to, static_cast<int32_t>(i));
    std::sort(d.in_edges.begin(), d.in_edges.end());

    const OutEdges out(d);
    const std::vector<int32_t> order = check_order(out);
    critical_paths(out, order);
    return std::move(d);
  }

  // Ends that no event decided but that came after a cancel call of the goroutine that started
  // them (a pool's workers that poll ctx.Err() between sleeps end with no wake from their
  // creator's cancel). Each gets an After edge from the creator's latest cancel call before its
  // end and after its creation, so that the critical path of a shutdown reaches them. Kin
  // further off (siblings of goroutines a deadline woke) are left out: their ends are as often
  // their own.
  void after_edges() {
    for (size_t i = d.waves; i < d.node_count(); ++i) {
      if (decided[i]) continue;
      const Goroutine* g = m.find(m.goroutines[d.end_records[i - d.waves]].id);
      const Goroutine* c = g == nullptr ? nullptr : m.find(g->creator);
      if (c == nullptr) continue;
      if (const int32_t w = latest_wave_by(*c, g->ended_at); w != kNone && m.waves[w].time > g->created_at)
        edge(DagEdge::After, w, static_cast<int32_t>(i), g->ended_at);
    }
  }

  // Ends still undecided (no edge found above) of goroutines one cancel call woke before they
  // ended: each gets a Woken edge from that call, so that its critical path reaches them. The
  // goroutine went on after the wake, and what ended it the DAG cannot trace. One that several
  // calls woke is a loop watching a context per iteration (a per-call deadline): its end is
  // none of theirs. Tables per goroutine record, not maps: a million cancellers that ended on
  // their own are a million undecided ends.
  void woken_edges() {
    // Per goroutine record: its undecided end node (each ID's latest record, as find()).
    std::vector<int32_t> undecided(m.goroutines.size(), kNone);
    bool any = false;
    for (size_t i = d.waves; i < d.node_count(); ++i) {
      const GoID g = m.goroutines[d.end_records[i - d.waves]].id;
      if (decided[i] || end_node.find(g) != static_cast<uint32_t>(i)) continue;
      if (const uint32_t r = m.index.find(g); r != trace::IdIndex::kNone) {
        undecided[r] = static_cast<int32_t>(i);
        any = true;
      }
    }
    if (!any) return;
    constexpr int32_t kSeveral = -2;
    std::vector<int32_t> woken_by(m.goroutines.size(), kNone);  // its one waking watcher, or kSeveral
    for (size_t wi = 0; wi < m.watchers.size(); ++wi) {
      const Watcher& w = m.watchers[wi];
      const uint32_t r = m.index.find(w.g);
      if (r == trace::IdIndex::kNone || undecided[r] == kNone) continue;
      const Goroutine& g = m.goroutines[r];
      if (w.woken_at > g.ended_at || w.woken_at < g.created_at) continue;
      woken_by[r] = woken_by[r] == kNone ? static_cast<int32_t>(wi) : kSeveral;
    }
    for (size_t r = 0; r < woken_by.size(); ++r)
      if (woken_by[r] >= 0) {
        const Watcher& w = m.watchers[static_cast<size_t>(woken_by[r])];
        edge(DagEdge::Woken, w.wave, undecided[r], w.woken_at);
      }
  }

  // Kahn's algorithm; and every edge must go forward (or sideways) in time. Returns the nodes
  // in a topological order (all of them only when the graph is acyclic).
  std::vector<int32_t> check_order(const OutEdges& out) {
    std::vector<int32_t> indeg(d.node_count(), 0);
    for (const DagEdge& e : d.edges) {
      ++indeg[e.to];
      if (time_of(e.from) > time_of(e.to)) d.acyclic = false;
    }
    std::vector<int32_t> ready;
    for (size_t i = 0; i < indeg.size(); ++i)
      if (indeg[i] == 0) ready.push_back(static_cast<int32_t>(i));
    std::vector<int32_t> order;
    order.reserve(d.node_count());
    while (!ready.empty()) {
      const int32_t n = ready.back();
      ready.pop_back();
      order.push_back(n);
      for (int32_t e : out.of(n))
        if (--indeg[d.edges[e].to] == 0) ready.push_back(d.edges[e].to);
    }
    if (order.size() != d.node_count()) d.acyclic = false;
    return order;
  }

  // The later of two end nodes; the first one on a tie.
  int32_t later_end(int32_t best, int32_t n) const {
    if (n == kNone) return best;
    return best == kNone || time_of(n) > time_of(best) ? n : best;
  }

  // Per node, the latest end downstream of it, worked out once bottom-up in topological
  // order (a walk from each cancel call would visit a chain of relayed cancels once per wave
  // above it); an empty table when the graph has a cycle.
  std::vector<int32_t> latest_downstream(const OutEdges& out, const std::vector<int32_t>& order) const {
    std::vector<int32_t> latest;
    if (order.size() != d.node_count()) return latest;
    latest.assign(d.node_count(), kNone);
    for (auto it = order.rbegin(); it != order.rend(); ++it) {
      const int32_t n = *it;
      int32_t best = static_cast<size_t>(n) >= d.waves ? n : kNone;  // an End node
      // On a tie: itself, then its last out-edge's first (the order in which the depth-first
      // walk below visits them, so both ways pick the same end).
      const std::span<const int32_t> edges = out.of(n);
      for (auto e = edges.rbegin(); e != edges.rend(); ++e) best = later_end(best, latest[d.edges[*e].to]);
      latest[n] = best;
    }
    return latest;
  }

  void critical_paths(const OutEdges& out, const std::vector<int32_t>& order) {
    const std::vector<int32_t> latest = latest_downstream(out, order);
    std::vector<int32_t> stack;
    std::vector<int32_t> path;
    for (size_t w = 0; w < m.waves.size(); ++w) {
      // The latest end node downstream of this cancel call.
      int32_t best = kNone;
      if (!latest.empty()) {
        best = latest[w];
      } else {
        stack.assign(1, static_cast<int32_t>(w));
        size_t guard = 0;
        while (!stack.empty() && guard++ < d.node_count() + 1) {
          int32_t n = stack.back();
          stack.pop_back();
          if (static_cast<size_t>(n) >= d.waves && (best == kNone || time_of(n) > time_of(best))) best = n;
          for (int32_t e : out.of(n)) stack.push_back(d.edges[e].to);
        }
      }
      path.clear();
      for (int32_t n = best; n != kNone && n != static_cast<int32_t>(w) && path.size() <= d.node_count();) {
        int32_t e = d.in_edge(n);
        if (e == kNone) break;
        path.push_back(e);
        n = d.edges[e].from;
      }
      std::reverse(path.begin(), path.end());
      d.critical_path.add(path);
    }
  }
};

}  // namespace

TerminationDag build_dag(const Model& model) { return Builder{model, {}, {}, {}, {}}.build(); }

}  // namespace ctxtrail::model
