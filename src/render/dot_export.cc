/// Graphviz DOT of the termination DAG: time flows left to right, the critical path in red,
/// the goroutines of findings in purple (dashed when they never ended).
#include <fmt/format.h>

#include "export_graph.h"

namespace ctxtrail::render {
namespace {

/// A DOT double-quoted string: quotes and backslashes escaped, lines joined with \n.
std::string dot_quote(const std::vector<std::string>& lines) {
  std::string out = "\"";
  for (size_t i = 0; i < lines.size(); ++i) {
    if (i) out += "\\n";
    for (char c : lines[i]) {
      if (c == '"' || c == '\\') out += '\\';
      if (c == '\n' || c == '\r') {
        out += ' ';
        continue;
      }
      out += c;
    }
  }
  return out + "\"";
}

}  // namespace

std::string export_dot(const RenderInput& in, const ExportOptions& options) {
  Graph g = build_termination_graph(in, options.max_graph_nodes);
  std::string out = "// Termination DAG of " + in.trace_name + " (ctxtrail export --format dot)\n";
  out += "digraph termination {\n  rankdir=LR;\n  newrank=true;\n";
  out += "  node [shape=box, style=\"rounded,filled\", fillcolor=\"#f4f6f8\", color=\"#8a96a3\", fontname=\"Helvetica\", fontsize=10];\n";
  out += "  edge [color=\"#8a96a3\", fontname=\"Helvetica\", fontsize=9];\n";
  std::vector<std::string> label{"termination DAG: " + in.trace_name};
  if (!g.note.empty()) label.push_back(g.note);
  if (g.nodes.empty()) label.push_back("no goroutine ended and no context was cancelled");
  out += "  labelloc=t;\n  label=" + dot_quote(label) + ";\n";
  if (g.nodes.size() > 500) out += "  splines=false;\n  nslimit=2;\n  mclimit=0.5;\n";
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const GraphNode& n = g.nodes[i];
    out += fmt::format("  n{} [label={}", i, dot_quote(n.lines));
    if (n.cancel) out += ", shape=octagon, fillcolor=\"#fff4e0\"";
    // A finding's goroutine: purple, not the critical path's red; dashed when it never ended.
    if (n.finding) out += ", fillcolor=\"#efe3f7\"";
    if (n.finding && !n.critical) out += ", color=\"#6a3d9a\", penwidth=2";
    if (n.alive) out += ", style=\"rounded,filled,dashed\"";
    if (n.critical) out += ", color=\"#d62728\", penwidth=2.5, fontcolor=\"#a01010\"";
    out += "];\n";
  }
  for (const GraphEdge& e : g.edges) {
    out += fmt::format("  n{} -> n{} [label={}", e.from, e.to, dot_quote({e.label}));
    if (e.critical) out += ", color=\"#d62728\", penwidth=3, fontcolor=\"#a01010\"";
    if (e.label.rfind("spawn", 0) == 0) out += ", style=dashed";
    if (e.label.rfind("not ended", 0) == 0) out += ", style=dotted, color=\"#6a3d9a\"";
    out += "];\n";
  }
  out += "}\n";
  return out;
}

}  // namespace ctxtrail::render
