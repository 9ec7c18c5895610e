#include "export_graph.h"

#include "ctxtrail/model/naming.h"

#include <fmt/format.h>

#include <map>
#include <unordered_map>
#include <unordered_set>

namespace ctxtrail::render {

Graph build_termination_graph(const RenderInput& in, size_t max_nodes) {
  const model::Model& m = in.model;
  const model::TerminationDag& dag = m.dag;
  Graph g;
  std::unordered_set<int32_t> crit_edges;
  std::unordered_set<int32_t> crit_nodes;
  int32_t cw = model::critical_wave(m);
  if (cw >= 0) {
    for (int32_t e : dag.critical_path[cw]) {
      crit_edges.insert(e);
      crit_nodes.insert(dag.edges[e].from);
      crit_nodes.insert(dag.edges[e].to);
    }
  }
  auto fn_of = [&](trace::GoID id) {
    const model::Goroutine* gr = m.find(id);
    return gr == nullptr ? std::string("?") : model::start_function(*gr, in.frames);
  };
  auto at = [&](int64_t t) { return "at +" + model::format_duration(t - m.trace_begin); };

  if (dag.nodes.size() <= max_nodes) {
    for (size_t i = 0; i < dag.nodes.size(); ++i) {
      const model::DagNode& n = dag.nodes[i];
      GraphNode node;
      node.cancel = n.kind == model::DagNode::Cancel;
      if (node.cancel) {
        const model::CancelWave& w = m.waves[n.wave];
        node.lines.push_back(fmt::format("{} #{}", w.timer ? "deadline cancel" : "cancel", w.id));
        if (n.g != trace::kNoGoroutine) node.lines.push_back(fmt::format("by G{} {}", n.g, fn_of(n.g)));
      } else {
        node.lines.push_back(fmt::format("end of G{}", n.g));
        node.lines.push_back(fn_of(n.g));
      }
      node.lines.push_back(at(n.time));
      node.critical = crit_nodes.count(static_cast<int32_t>(i)) != 0;
      g.nodes.push_back(std::move(node));
    }
    for (size_t i = 0; i < dag.edges.size(); ++i) {
      const model::DagEdge& e = dag.edges[i];
      g.edges.push_back({static_cast<size_t>(e.from), static_cast<size_t>(e.to),
                         std::string(model::to_string(e.kind)), crit_edges.count(static_cast<int32_t>(i)) != 0, 1});
    }
    return g;
  }

  // Reduced: one node per (kind, start function); edges merged with counts.
  std::map<std::string, size_t> group_of_key;
  std::vector<size_t> group_of(dag.nodes.size());
  for (size_t i = 0; i < dag.nodes.size(); ++i) {
    const model::DagNode& n = dag.nodes[i];
    bool cancel = n.kind == model::DagNode::Cancel;
    std::string fn = n.g == trace::kNoGoroutine ? std::string("deadline timer") : fn_of(n.g);
    std::string key = (cancel ? "c:" : "e:") + fn;
    auto [it, inserted] = group_of_key.try_emplace(key, g.nodes.size());
    if (inserted) {
      GraphNode node;
      node.cancel = cancel;
      node.count = 0;
      node.lines.push_back(cancel ? "cancel calls by" : "ends of");
      node.lines.push_back(fn);
      g.nodes.push_back(std::move(node));
    }
    GraphNode& node = g.nodes[it->second];
    node.count += 1;
    node.critical = node.critical || crit_nodes.count(static_cast<int32_t>(i)) != 0;
    group_of[i] = it->second;
  }
  for (GraphNode& node : g.nodes) node.lines.push_back(fmt::format("\u00d7{}", node.count));
  std::map<std::tuple<size_t, size_t, int>, size_t> edge_of;
  for (size_t i = 0; i < dag.edges.size(); ++i) {
    const model::DagEdge& e = dag.edges[i];
    auto k = std::make_tuple(group_of[e.from], group_of[e.to], static_cast<int>(e.kind));
    auto [it, inserted] = edge_of.try_emplace(k, g.edges.size());
    if (inserted) {
      g.edges.push_back({group_of[e.from], group_of[e.to], std::string(model::to_string(e.kind)), false, 0});
    }
    GraphEdge& ge = g.edges[it->second];
    ge.count += 1;
    ge.critical = ge.critical || crit_edges.count(static_cast<int32_t>(i)) != 0;
  }
  for (GraphEdge& e : g.edges) {
    if (e.count > 1) e.label += fmt::format(" \u00d7{}", e.count);
  }
  g.note = fmt::format("reduced: {} nodes grouped by start function into {}; critical path groups in red",
                       dag.nodes.size(), g.nodes.size());
  return g;
}

}  // namespace ctxtrail::render
