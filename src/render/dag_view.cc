/// The termination DAG and each wave's critical path, as text.
#include <fmt/format.h>

#include "ctxtrail/model/naming.h"
#include "ctxtrail/render/views.h"

namespace ctxtrail::render {
namespace {

void print_dag(const analysis::Analysis& t, std::ostream& out) {
  const model::Model& m = t.model;
  const model::TerminationDag& d = m.dag;
  auto rel = [&](int64_t ns) { return model::format_time_ms(ns - m.trace_begin); };
  auto node = [&](int32_t n) {
    const model::DagNode& x = d.nodes[n];
    if (x.kind == model::DagNode::Cancel) return fmt::format("cancel#{}(G{})", x.wave + 1, x.g);
    return fmt::format("end(G{})", x.g);
  };
  out << fmt::format("termination DAG: {} nodes, {} edges, {}\n", d.nodes.size(), d.edges.size(),
                     d.acyclic ? "acyclic and ordered in time" : "NOT acyclic or not ordered in time");
  for (const model::DagEdge& e : d.edges)
    out << fmt::format("  {:>16}  {} --{}--> {}  ({} -> {})\n", rel(e.time), node(e.from),
                       model::to_string(e.kind), node(e.to), rel(d.nodes[e.from].time),
                       rel(d.nodes[e.to].time));
  for (const model::CancelWave& w : m.waves) {
    auto steps = diagnose::critical_path_steps(m, t.frames(), w.id - 1);
    out << fmt::format("critical path of wave #{} ({}{}):\n", w.id, rel(w.time), w.timer ? ", deadline timer" : "");
    if (steps.empty()) out << "  (nothing ended downstream of it)\n";
    for (const diagnose::PathStep& s : steps)
      out << fmt::format("  {:>16}  {} --{}--> {}\n", model::format_time_ms(s.time_ns), s.from,
                         s.edge, s.to);
  }
  // The findings say why a path is as long as it is, and which goroutines never reached it.
  if (!t.report.findings.empty()) out << "findings:\n";
  for (const diagnose::Finding& f : t.report.findings)
    out << fmt::format("  {}[{}]: {}\n", diagnose::to_string(f.severity), f.rule, f.message);
}

}  // namespace

void render_dag_text(const analysis::Analysis& a, std::ostream& out) { print_dag(a, out); }

}  // namespace ctxtrail::render
