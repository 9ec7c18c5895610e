/// The text report of several processes: who they are and how their clocks were aligned, the
/// cancels that crossed them hop by hop, then each one's own report with its name on every
/// finding.
#include <fmt/format.h>

#include <sstream>

#include "ctxtrail/model/naming.h"
#include "ctxtrail/render/processes.h"
#include "ctxtrail/render/views.h"
#include "render/processes_common.h"

namespace ctxtrail::render {

using model::format_duration;

namespace {

void write_processes(const analysis::MultiAnalysis& m, std::ostream& out) {
  size_t findings = m.findings().size();
  out << fmt::format("{} processes, {} finding{}\n", m.processes.size(), findings, findings == 1 ? "" : "s");
  for (const analysis::Process& p : m.processes)
    out << fmt::format("  {:<12} {}  clock: {}\n", p.name, p.trace_file, clock_text(p.clock));
}

void write_cross_findings(const analysis::MultiAnalysis& m, std::ostream& out) {
  if (m.cross_findings.empty()) return;
  std::string rule;
  for (const auto& [p, f] : m.cross_findings) {
    if (f.rule != rule) {
      rule = f.rule;
      const diagnose::RuleInfo* info = diagnose::find_rule(rule);
      out << fmt::format("\n{}[{}]: {}\n", diagnose::to_string(f.severity), rule, info ? info->summary : "");
    }
    out << fmt::format("  * {}: {}\n", m.processes[p].name, f.message);
    for (const diagnose::Location& l : f.locations)
      out << fmt::format("    {:<9} {}:{} ({})\n", l.role, l.where.file, l.where.line, l.where.function);
  }
}

void write_waves(const analysis::MultiAnalysis& m, std::ostream& out) {
  if (m.waves.empty()) return;
  const int64_t t0 = m.start();
  out << "\ncancels across processes:\n";
  for (size_t i = 0; i < m.waves.size(); ++i) {
    const analysis::CrossWave& w = m.waves[i];
    out << fmt::format("  x{:<3} at {:<9} {}: context #{} {}{}{}\n", i + 1, format_duration(w.time - t0),
                       m.processes[w.origin_process].name, w.origin_ctx,
                       w.origin_done ? "done" : "(never done) had its request aborted",
                       w.origin_site.empty() ? "" : fmt::format(" at {}", model::short_location(w.origin_site)),
                       w.cause.empty() ? "" : fmt::format(" ({})", w.cause));
    for (const analysis::CancelHop& h : w.hops) out << "       " << hop_text(m, h) << "\n";
  }
}

}  // namespace

void render_processes_text(const analysis::MultiAnalysis& m, std::ostream& out) {
  write_processes(m, out);
  write_cross_findings(m, out);
  write_waves(m, out);
  auto text = make_renderer(Format::Text);
  for (const analysis::Process& p : m.processes) {
    out << fmt::format("\n== {} ==\n", p.name);
    // The process's own report, each finding naming it (its JSON carries `process` instead).
    diagnose::Report r = p.analysis.report;
    for (diagnose::Finding& f : r.findings) f.message = p.name + ": " + f.message;
    text->render(r, out);
  }
}

void render_process_contexts_text(const analysis::MultiAnalysis& m, std::ostream& out) {
  write_processes(m, out);
  if (!m.edges.empty()) {
    out << "\nrequests across processes (client context -> server context):\n";
    for (const analysis::CrossEdge& e : m.edges) out << "  " << edge_text(m, e) << "\n";
  }
  write_waves(m, out);
  for (const analysis::Process& p : m.processes) {
    out << fmt::format("\n== {} ==\n", p.name);
    render_contexts_text(p.analysis, out);
  }
}

}  // namespace ctxtrail::render
