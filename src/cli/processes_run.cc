/// Running and writing the analysis of several processes.
#include "cli/processes_run.h"

#include <fstream>

#include "cli/analysis.h"
#include "cli/trace_input.h"
#include "ctxtrail/render/processes.h"

namespace ctxtrail::cli {

std::optional<std::vector<analysis::ProcessInputs>> several_processes(const std::vector<std::string>& inputs,
                                                                      Io& io, const char* command, bool& failed) {
  failed = false;
  // One input is one process, and is not opened here: a pipe can be read only once.
  if (inputs.size() < 2) return std::nullopt;
  auto split = analysis::split_by_process(inputs);
  if (!split.ok() && split.error().message.starts_with("given twice")) {
    report_input_error(split.error(), io, command);
    failed = true;
    return std::nullopt;
  }
  if (!split.ok() || split->size() < 2) return std::nullopt;
  return std::move(split.value());
}

std::optional<analysis::MultiAnalysis> run_processes(const std::vector<analysis::ProcessInputs>& inputs,
                                                     analysis::Options options, Io& io, const char* command) {
  options.progress = progress_bar(io);
  auto m = analysis::analyze_processes(inputs, options);
  end_progress();
  if (!m.ok()) {
    report_analysis_error(m.error(), options, io, command);
    return std::nullopt;
  }
  for (const analysis::Process& p : m->processes)
    if (p.analysis.tail_error) report_partial_tail(*p.analysis.tail_error, io, command);
  return std::move(m.value());
}

bool write_processes_report(const analysis::MultiAnalysis& m, const ReportOutput& output, Io& io,
                            const char* command) {
  if (output.format == "sarif") {
    io.err << "ctxtrail " << command << ": --format sarif takes one trace (give text or json for several)\n";
    io.exit_code = kExitUsage;
    return false;
  }
  std::ofstream file;
  std::ostream* out = &io.out;
  if (!output.file.empty() && output.file != "-") {
    file.open(output.file);
    if (!file) {
      io.err << "ctxtrail " << command << ": cannot write " << output.file << "\n";
      io.exit_code = kExitUsage;
      return false;
    }
    out = &file;
  }
  if (output.format == "json")
    render::render_processes_json(m, render::RenderOptions{}, *out);
  else
    render::render_processes_text(m, *out);
  return true;
}

std::vector<diagnose::Finding> all_findings(const analysis::MultiAnalysis& m) {
  std::vector<diagnose::Finding> out;
  for (const analysis::ProcessFinding& f : m.findings()) out.push_back(*f.finding);
  return out;
}

}  // namespace ctxtrail::cli
