/// The termination DAG: for every goroutine end and cancel call, the one event that decided
/// when it happened (a cancel wake, a wake by another goroutine, or its spawn).
#include <algorithm>
#include <queue>

#include "ctxtrail/model/model.h"

namespace ctxtrail::model {

std::string_view to_string(DagEdge::Kind kind) {
  switch (kind) {
    case DagEdge::Spawn: return "spawn";
    case DagEdge::Wake: return "wake";
    case DagEdge::Cancel: return "cancel";
  }
  return "?";
}

int32_t TerminationDag::node_of_wave(int32_t wave_index) const {
  // Cancel nodes are created first, one per wave, in wave order.
  return wave_index >= 0 && static_cast<size_t>(wave_index) < critical_path.size() ? wave_index
                                                                                     : kNone;
}

namespace {

struct Builder {
  const Model& m;
  TerminationDag d;
  std::unordered_map<GoID, int32_t> end_node;

  // The node on goroutine `g` that stands for what it did at `time`: its end, when the wake
  // was part of its final run (after its own deciding wake: `defer close(done)`, wg.Done())
  // and it ended no later than `limit`; else the latest cancel call it made by then.
  int32_t node_on(GoID g, int64_t time, int64_t limit) {
    const Goroutine* r = m.find(g);
    if (r == nullptr) return kNone;
    auto e = end_node.find(g);
    if (e != end_node.end() && r->ended_at >= time && r->ended_at <= limit &&
        r->last_wake.time <= time)
      return e->second;
    for (int32_t w = r->last_wave_made; w != kNone; w = m.waves[w].prev_by_canceller)
      if (m.waves[w].time <= time) return w;
    return kNone;
  }

  void edge(DagEdge::Kind kind, int32_t from, int32_t to, int64_t time) {
    if (from == kNone || from == to) return;
    d.in_edge[to] = static_cast<int32_t>(d.edges.size());
    d.edges.push_back(DagEdge{kind, from, to, time});
  }

  TerminationDag build() {
    for (const CancelWave& w : m.waves)
      d.nodes.push_back(DagNode{DagNode::Cancel, w.time, w.canceller, w.id - 1});
    for (const Goroutine& g : m.goroutines) {
      if (g.ended_at < 0 || g.kind == GoKind::Runtime || g.kind == GoKind::Service) continue;
      end_node[g.id] = static_cast<int32_t>(d.nodes.size());
      d.nodes.push_back(DagNode{DagNode::End, g.ended_at, g.id, kNone});
    }
    d.in_edge.assign(d.nodes.size(), kNone);
    for (const CancelWave& w : m.waves)
      if (w.parent != kNone) edge(DagEdge::Cancel, w.parent, w.id - 1, w.time);
    for (const auto& [gid, node] : end_node) {
      const Goroutine& g = *m.find(gid);
      const Wake& wk = g.last_wake;
      if (wk.time >= 0 && wk.wave != kNone) {
        edge(DagEdge::Cancel, wk.wave, node, wk.time);
      } else if (wk.time >= 0 && wk.waker != kNoGoroutine) {
        edge(DagEdge::Wake, node_on(wk.waker, wk.time, g.ended_at), node, wk.time);
      } else if (wk.time < 0 && g.created_by_wave != kNone) {
        edge(DagEdge::Spawn, g.created_by_wave, node, g.created_at);
      } else if (wk.time < 0 && g.creator != kNoGoroutine && g.created_at >= 0) {
        // Never blocked: its end was decided by its spawn. Only a cancel call of the creator
        // can be the source (the creator's own end came later or is unrelated).
        int32_t src = kNone;
        if (const Goroutine* c = m.find(g.creator))
          for (int32_t w = c->last_wave_made; w != kNone; w = m.waves[w].prev_by_canceller)
            if (m.waves[w].time <= g.created_at) {
              src = w;
              break;
            }
        edge(DagEdge::Spawn, src, node, g.created_at);
      }
    }
    // Sort edges by time for stable output.
    std::vector<int32_t> order(d.edges.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<int32_t>(i);
    std::stable_sort(order.begin(), order.end(), [&](int32_t a, int32_t b) {
      return std::tie(d.edges[a].time, d.edges[a].to) < std::tie(d.edges[b].time, d.edges[b].to);
    });
    std::vector<DagEdge> sorted;
    for (int32_t i : order) sorted.push_back(d.edges[i]);
    d.edges = std::move(sorted);
    d.in_edge.assign(d.nodes.size(), kNone);
    for (size_t i = 0; i < d.edges.size(); ++i) d.in_edge[d.edges[i].to] = static_cast<int32_t>(i);

    check_order();
    critical_paths();
    return std::move(d);
  }

  // Kahn's algorithm; and every edge must go forward (or sideways) in time.
  void check_order() {
    std::vector<int32_t> indeg(d.nodes.size(), 0);
    std::vector<std::vector<int32_t>> out(d.nodes.size());
    for (const DagEdge& e : d.edges) {
      ++indeg[e.to];
      out[e.from].push_back(e.to);
      if (d.nodes[e.from].time > d.nodes[e.to].time) d.acyclic = false;
    }
    std::queue<int32_t> q;
    for (size_t i = 0; i < indeg.size(); ++i)
      if (indeg[i] == 0) q.push(static_cast<int32_t>(i));
    size_t seen = 0;
    while (!q.empty()) {
      int32_t n = q.front();
      q.pop();
      ++seen;
      for (int32_t t : out[n])
        if (--indeg[t] == 0) q.push(t);
    }
    if (seen != d.nodes.size()) d.acyclic = false;
  }

  void critical_paths() {
    std::vector<std::vector<int32_t>> children(d.nodes.size());
    for (size_t i = 0; i < d.edges.size(); ++i) children[d.edges[i].from].push_back(static_cast<int32_t>(i));
    d.critical_path.resize(m.waves.size());
    for (size_t w = 0; w < m.waves.size(); ++w) {
      // The latest end node downstream of this cancel call.
      int32_t best = kNone;
      std::vector<int32_t> stack{static_cast<int32_t>(w)};
      size_t guard = 0;
      while (!stack.empty() && guard++ < d.nodes.size() + 1) {
        int32_t n = stack.back();
        stack.pop_back();
        if (d.nodes[n].kind == DagNode::End &&
            (best == kNone || d.nodes[n].time > d.nodes[best].time))
          best = n;
        for (int32_t e : children[n]) stack.push_back(d.edges[e].to);
      }
      std::vector<int32_t> path;
      for (int32_t n = best; n != kNone && n != static_cast<int32_t>(w) && path.size() <= d.nodes.size();) {
        int32_t e = d.in_edge[n];
        if (e == kNone) break;
        path.push_back(e);
        n = d.edges[e].from;
      }
      std::reverse(path.begin(), path.end());
      d.critical_path[w] = std::move(path);
    }
  }
};

}  // namespace

TerminationDag build_dag(const Model& model) { return Builder{model, {}, {}}.build(); }

}  // namespace ctxtrail::model
