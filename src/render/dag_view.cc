/// The termination DAG and each wave's critical path, as text.
#include <fmt/format.h>

#include "ctxtrail/model/naming.h"
#include "ctxtrail/render/views.h"
#include "render/wave_digest.h"

namespace ctxtrail::render {
namespace {

constexpr size_t kEdgesListed = 500;
constexpr size_t kWavesListed = 20;

void print_dag(const analysis::Analysis& t, std::ostream& out) {
  const model::Model& m = t.model;
  const model::TerminationDag& d = m.dag;
  auto rel = [&](int64_t ns) { return model::format_time_ms(ns - m.trace_begin); };
  auto node = [&](int32_t n) {
    const model::DagNode x = d.node(m, n);
    if (x.kind == model::DagNode::Cancel) return fmt::format("cancel#{}(G{})", x.wave + 1, x.g);
    return fmt::format("end(G{})", x.g);
  };
  out << fmt::format("termination DAG: {} nodes, {} edges, {}\n", d.node_count(), d.edges.size(),
                     d.acyclic ? "acyclic and ordered in time" : "NOT acyclic or not ordered in time");
  auto print_path = [&](const model::CancelWave& w) {
    auto steps = diagnose::critical_path_steps(m, t.frames(), w.id - 1);
    out << fmt::format("critical path of wave #{} ({}{}):\n", w.id, rel(w.time), w.timer ? ", deadline timer" : "");
    if (steps.empty()) out << "  (nothing ended downstream of it)\n";
    for (const diagnose::PathStep& s : steps)
      out << fmt::format("  {:>16}  {} --{}--> {}\n", model::format_time_ms(s.time_ns), s.from,
                         s.edge, s.to);
  };
  // A million cancels make millions of edges: past a screenful the text shows the critical
  // paths of the waves that tell most (as `analyze` picks them); the exports draw everything.
  if (d.edges.size() > kEdgesListed || m.waves.size() > kWavesListed) {
    const WaveDigest digest = digest_waves(t.report, kWavesListed);
    out << fmt::format("  (too many to list; the critical paths of the {} most telling of {} waves follow, as "
                       "`analyze` picks them; `export --format dot` draws the whole DAG, grouped)\n",
                       digest.shown.size(), m.waves.size());
    for (const diagnose::WaveSummary& w : digest.shown)
      if (w.id >= 1 && static_cast<size_t>(w.id) <= m.waves.size()) print_path(m.waves[static_cast<size_t>(w.id - 1)]);
  } else {
    for (const model::DagEdge& e : d.edges)
      out << fmt::format("  {:>16}  {} --{}--> {}  ({} -> {})\n", rel(e.time), node(e.from),
                         model::to_string(e.kind), node(e.to), rel(d.node(m, e.from).time),
                         rel(d.node(m, e.to).time));
    for (const model::CancelWave& w : m.waves) print_path(w);
  }
  // The findings say why a path is as long as it is, and which goroutines never reached it.
  if (!t.report.findings.empty()) out << "findings:\n";
  for (const diagnose::Finding& f : t.report.findings)
    out << fmt::format("  {}[{}]: {}\n", diagnose::to_string(f.severity), f.rule, f.message);
}

}  // namespace

void render_dag_text(const analysis::Analysis& a, std::ostream& out) { print_dag(a, out); }

}  // namespace ctxtrail::render
