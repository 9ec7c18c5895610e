/// Mermaid flowchart of the termination DAG, for pull requests and READMEs: the critical path
/// styled red, the goroutines of findings purple. Mermaid's default limits (500 edges, 50,000 characters) bound the node budget.
#include <fmt/format.h>

#include "export_graph.h"

namespace ctxtrail::render {
namespace {

/// A Mermaid quoted label: markup characters as Mermaid entity codes, lines joined with <br/>.
std::string mermaid_label(const std::vector<std::string>& lines) {
  std::string out = "\"";
  for (size_t i = 0; i < lines.size(); ++i) {
    if (i) out += "<br/>";
    for (char c : lines[i]) {
      switch (c) {
        case '"': out += "#quot;"; break;
        case '<': out += "#lt;"; break;
        case '>': out += "#gt;"; break;
        case '&': out += "#amp;"; break;
        case '#': out += "#35;"; break;
        case '\n': case '\r': out += ' '; break;
        default: out += c;
      }
    }
  }
  return out + "\"";
}

}  // namespace

std::string export_mermaid(const RenderInput& in, const ExportOptions& options) {
  Graph g = build_termination_graph(in, std::min<size_t>(options.max_graph_nodes, 100));
  std::string out = "%% Termination DAG (ctxtrail export --format mermaid)\n";
  if (!g.note.empty()) out += "%% " + g.note + "\n";
  out += "flowchart LR\n";
  if (g.nodes.empty()) {
    out += "  empty[\"no goroutine ended and no context was cancelled\"]\n";
    return out;
  }
  if (!g.note.empty()) out += "  note[" + mermaid_label({g.note}) + "]:::note\n";
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const GraphNode& n = g.nodes[i];
    if (n.cancel) {
      out += fmt::format("  n{}{{{{{}}}}}\n", i, mermaid_label(n.lines));
    } else {
      out += fmt::format("  n{}({})\n", i, mermaid_label(n.lines));
    }
  }
  std::vector<size_t> crit_links;
  for (size_t k = 0; k < g.edges.size(); ++k) {
    const GraphEdge& e = g.edges[k];
    const bool dotted = e.label.rfind("spawn", 0) == 0 || e.label.rfind("not ended", 0) == 0;
    const char* arrow = dotted ? "-.->" : "-->";
    out += fmt::format("  n{} {}|{}| n{}\n", e.from, arrow, mermaid_label({e.label}), e.to);
    if (e.critical) crit_links.push_back(k);
  }
  out += "  classDef crit fill:#fde8e8,stroke:#d62728,stroke-width:3px,color:#a01010\n";
  out += "  classDef cancel fill:#fff4e0,stroke:#c98a1a\n";
  out += "  classDef note fill:#ffffff,stroke:#999999,stroke-dasharray:3 3\n";
  out += "  classDef finding fill:#efe3f7,stroke:#6a3d9a,stroke-width:2px\n";
  std::string finding;
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    if (!g.nodes[i].finding || g.nodes[i].critical) continue;
    if (!finding.empty()) finding += ",";
    finding += fmt::format("n{}", i);
  }
  if (!finding.empty()) out += "  class " + finding + " finding\n";
  std::string crit, cancel;
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    std::string& list = g.nodes[i].critical ? crit : g.nodes[i].cancel ? cancel : crit;
    if (!g.nodes[i].critical && (!g.nodes[i].cancel || g.nodes[i].finding)) continue;
    if (!list.empty()) list += ",";
    list += fmt::format("n{}", i);
  }
  if (!cancel.empty()) out += "  class " + cancel + " cancel\n";
  if (!crit.empty()) out += "  class " + crit + " crit\n";
  for (size_t k : crit_links) out += fmt::format("  linkStyle {} stroke:#d62728,stroke-width:3px\n", k);
  return out;
}

}  // namespace ctxtrail::render
