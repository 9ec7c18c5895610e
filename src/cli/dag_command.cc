/// `ctxtrail dag TRACE`: the termination DAG and each wave's critical path, as text.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/analysis.h"
#include "cli/commands.h"
#include "ctxtrail/diagnose/rules.h"

namespace ctxtrail::cli {

namespace {

void print_dag(LoadedTrace& t, Io& io) {
  const model::Model& m = t.model;
  const model::TerminationDag& d = m.dag;
  std::ostream& out = io.out;
  auto rel = [&](int64_t ns) { return fmt::format("{:.6f}ms", (ns - m.trace_begin) / 1e6); };
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
    auto steps = diagnose::critical_path_steps(m, *t.frames, w.id - 1);
    out << fmt::format("critical path of wave #{} ({}{}):\n", w.id, rel(w.time), w.timer ? ", deadline timer" : "");
    if (steps.empty()) out << "  (nothing ended downstream of it)\n";
    for (const diagnose::PathStep& s : steps)
      out << fmt::format("  {:>16}  {} --{}--> {}\n", fmt::format("{:.6f}ms", s.time_ns / 1e6), s.from,
                         s.edge, s.to);
  }
}

}  // namespace

void install_dag_command(CLI::App& root, Io& io) {
  struct Flags {
    std::string trace;
    bool partial = false;
  };
  auto flags = std::make_shared<Flags>();
  auto* cmd = root.add_subcommand("dag", "Print the termination DAG and the shutdown critical paths");
  cmd->add_option("trace", flags->trace, "Go execution trace")->required();
  cmd->add_flag("--partial", flags->partial, "Use what could be read of a malformed trace");
  cmd->callback([flags, &io] {
    auto t = load_trace(flags->trace, {}, flags->partial, io, "dag");
    if (t) print_dag(*t, io);
  });
}

}  // namespace ctxtrail::cli
