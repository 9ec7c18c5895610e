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

void by_processes(const std::vector<std::string>& inputs, Io& io, const char* command,
                  const std::function<void(const std::vector<analysis::ProcessInputs>&)>& several,
                  const std::function<void(const std::string&)>& one) {
  bool failed = false;
  if (auto split = several_processes(inputs, io, command, failed)) return several(*split);
  if (failed) return;
  if (inputs.size() != 1) {
    io.err << "ctxtrail " << command << ": give one trace, or several traces of different processes\n";
    io.exit_code = kExitUsage;
    return;
  }
  one(inputs.front());
}

std::optional<analysis::MultiAnalysis> run_processes(const std::vector<analysis::ProcessInputs>& inputs,
                                                     analysis::Options options, Io& io, const char* command,
                                                     const analysis::PerProcess& per_process) {
  options.progress = progress_bar(io);
  auto m = analysis::analyze_processes(inputs, options, per_process);
  end_progress();
  if (!m.ok()) {
    report_analysis_error(m.error(), options, io, command);
    return std::nullopt;
  }
  for (const analysis::Process& p : m->processes)
    if (p.analysis.tail_error) report_partial_tail(*p.analysis.tail_error, io, command);
  return std::move(m.value());
}

std::optional<TimelineProcesses> run_timeline_processes(const std::vector<analysis::ProcessInputs>& inputs,
                                                        analysis::Options options, size_t max_intervals, Io& io,
                                                        const char* command) {
  std::vector<std::unique_ptr<render::TimelineCollector>> timelines;
  options.extras = true;
  auto each = [&](size_t, analysis::Options& o) {
    render::IntervalBudget budget;
    budget.max_intervals = max_intervals;
    timelines.push_back(std::make_unique<render::TimelineCollector>(std::move(budget), std::nullopt));
    o.model = timelines.back()->model_options();
  };
  auto m = run_processes(inputs, std::move(options), io, command, each);
  if (!m) return std::nullopt;
  for (size_t i = 0; i < m->processes.size(); ++i) {
    analysis::Process& p = m->processes[i];
    timelines[i]->finish(p.analysis.model);
    if (std::string note = render::describe_reduction(timelines[i]->detail()); !note.empty())
      io.err << "ctxtrail " << command << ": " << p.name << ": " << note << "\n";
  }
  return TimelineProcesses{std::move(*m), std::move(timelines)};
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

bool any_partial(const analysis::MultiAnalysis& m) {
  for (const analysis::Process& p : m.processes)
    if (p.analysis.report.partial) return true;
  return false;
}

std::vector<diagnose::Finding> all_findings(const analysis::MultiAnalysis& m) {
  std::vector<diagnose::Finding> out;
  for (const analysis::ProcessFinding& f : m.findings()) out.push_back(*f.finding);
  return out;
}

}  // namespace ctxtrail::cli
