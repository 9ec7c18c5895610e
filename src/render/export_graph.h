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

Graph build_termination_graph(const RenderInput& in, size_t max_nodes);

}  // namespace ctxtrail::render
