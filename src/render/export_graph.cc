#include "export_graph.h"

#include "ctxtrail/model/naming.h"

#include <fmt/format.h>

#include <algorithm>
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

  // The rules that name each goroutine, and the findings' goroutines alive at the end.
  std::unordered_map<trace::GoID, std::vector<std::string_view>> rules_of;
  struct AliveFinding {
    trace::GoID g;
    const diagnose::Finding* finding;
  };
  std::vector<AliveFinding> alive;
  for (const diagnose::Finding& f : in.findings) {
    size_t marked = 0;
    for (trace::GoID id : f.goroutines) {
      auto& rules = rules_of[id];
      if (std::find(rules.begin(), rules.end(), f.rule) == rules.end()) rules.push_back(f.rule);
      const model::Goroutine* gr = m.find(id);
      if (gr != nullptr && gr->ended_at < 0 && rules.size() == 1 && marked++ < kMaxAliveFindingNodes)
        alive.push_back({id, &f});
    }
  }
  auto mark = [&](GraphNode& node, trace::GoID id) {
    auto it = rules_of.find(id);
    if (it == rules_of.end()) return;
    node.finding = true;
    std::string line = "\u26a0";
    for (std::string_view rule : it->second) line += fmt::format(" {}", rule);
    node.lines.push_back(std::move(line));
  };

  if (dag.node_count() <= max_nodes) {
    for (size_t i = 0; i < dag.node_count(); ++i) {
      const model::DagNode n = dag.node(m, static_cast<int32_t>(i));
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
      mark(node, n.g);
      g.nodes.push_back(std::move(node));
    }
    for (size_t i = 0; i < dag.edges.size(); ++i) {
      const model::DagEdge& e = dag.edges[i];
      g.edges.push_back({static_cast<size_t>(e.from), static_cast<size_t>(e.to),
                         std::string(model::to_string(e.kind)), crit_edges.count(static_cast<int32_t>(i)) != 0, 1});
    }
    // A finding's goroutine that never ended has no node of the DAG: it gets one, reached from
    // the waves its finding names.
    for (const AliveFinding& a : alive) {
      GraphNode node;
      node.finding = node.alive = true;
      node.lines = {fmt::format("G{} never ended", a.g), fn_of(a.g)};
      mark(node, a.g);
      const size_t to = g.nodes.size();
      g.nodes.push_back(std::move(node));
      for (int32_t wave : a.finding->waves)
        if (wave >= 1 && static_cast<size_t>(wave) <= m.waves.size())
          g.edges.push_back({static_cast<size_t>(wave - 1), to, "not ended after", false, 1});
    }
    return g;
  }

  // Reduced: one node per (kind, start function); edges merged with counts.
  std::map<std::string, size_t> group_of_key;
  std::vector<size_t> group_of(dag.node_count());
  for (size_t i = 0; i < dag.node_count(); ++i) {
    const model::DagNode n = dag.node(m, static_cast<int32_t>(i));
    bool cancel = n.kind == model::DagNode::Cancel;
    std::string fn = n.g == trace::kNoGoroutine ? std::string("deadline timer") : fn_of(n.g);
    const bool finding = rules_of.contains(n.g);
    std::string key = (cancel ? "c:" : "e:") + std::string(finding ? "f:" : "") + fn;
    auto [it, inserted] = group_of_key.try_emplace(key, g.nodes.size());
    if (inserted) {
      GraphNode node;
      node.cancel = cancel;
      node.count = 0;
      node.lines.push_back(cancel ? "cancel calls by" : "ends of");
      node.lines.push_back(fn);
      if (finding) mark(node, n.g);
      g.nodes.push_back(std::move(node));
    }
    GraphNode& node = g.nodes[it->second];
    node.count += 1;
    node.critical = node.critical || crit_nodes.count(static_cast<int32_t>(i)) != 0;
    group_of[i] = it->second;
  }
  // The findings' goroutines alive at the end, by (rule, start function), reached from the
  // groups of the waves their findings name.
  std::map<std::string, size_t> alive_group;
  for (const AliveFinding& a : alive) {
    const std::string fn = fn_of(a.g);
    auto [it, inserted] = alive_group.try_emplace(a.finding->rule + "\n" + fn, g.nodes.size());
    if (inserted) {
      GraphNode node;
      node.finding = node.alive = true;
      node.count = 0;
      node.lines = {"never ended", fn};
      mark(node, a.g);
      g.nodes.push_back(std::move(node));
    }
    const size_t to = it->second;  // (a lambda may not capture a structured binding before C++20's clang 16)
    g.nodes[to].count += 1;
    for (int32_t wave : a.finding->waves)
      if (wave >= 1 && static_cast<size_t>(wave) <= m.waves.size()) {
        const size_t from = group_of[static_cast<size_t>(wave - 1)];
        const bool seen = std::any_of(g.edges.begin(), g.edges.end(), [&](const GraphEdge& e) {
          return e.from == from && e.to == to && e.label == "not ended after";
        });
        if (!seen) g.edges.push_back({from, to, "not ended after", false, 1});
      }
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
                       dag.node_count(), g.nodes.size());
  return g;
}

}  // namespace ctxtrail::render
