/// The termination DAG as a plain labelled graph for DOT and Mermaid, with the critical path
/// marked; above a node budget, nodes are grouped by (kind, start function) with counts.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ctxtrail/render/export_formats.h"

namespace ctxtrail::render {

struct GraphNode {
  std::vector<std::string> lines;  // label lines, unescaped
  bool cancel = false;
  bool critical = false;
  bool finding = false;  // a goroutine a finding names: its end, its cancel call, or (alive)
  bool alive = false;    // a finding's goroutine that never ended: no end node of the DAG

  int64_t count = 1;
};

struct GraphEdge {
  size_t from = 0;
  size_t to = 0;
  std::string label;
  bool critical = false;
  int64_t count = 1;
};

struct Graph {
  std::vector<GraphNode> nodes;
  std::vector<GraphEdge> edges;
  std::string note;  // what was reduced or left out, empty when nothing
};

/// A finding's goroutines alive at the end get a node each, up to this many per finding.
inline constexpr size_t kMaxAliveFindingNodes = 20;

/// The DAG with the findings marked: a node of a goroutine a finding names carries a line with
/// its rules; such goroutines that never ended get nodes of their own.
Graph build_termination_graph(const RenderInput& in, size_t max_nodes);

}  // namespace ctxtrail::render
