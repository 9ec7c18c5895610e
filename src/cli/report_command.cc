/// `ctxtrail report TRACE -o report.html`: the self-contained interactive HTML report; several
/// traces (one per process): one page, a lane group per process and the arrows across them.
#include <CLI/CLI.hpp>

#include "cli/analysis.h"
#include "cli/commands.h"
#include "cli/diagnosis_flags.h"
#include "cli/processes_run.h"
#include "ctxtrail/render/export_output.h"
#include "ctxtrail/render/processes.h"
#include "ctxtrail/render/report_html.h"

namespace ctxtrail::cli {
namespace {

struct ReportArgs {
  std::vector<std::string> paths;
  std::string path;
  std::string output = "report.html";
  DiagnosisFlags diagnosis;
  size_t max_intervals = render::IntervalBudget::kDefaultMax;
};

// Writes `html` where asked; false (exit 2) when it cannot.
bool write_page(const ReportArgs& args, const std::string& html, Io& io) {
  std::string err = render::write_output(args.output, html, io.out);
  if (err.empty()) return true;
  io.err << "ctxtrail report: " << err << "\n";
  io.exit_code = kExitUsage;
  return false;
}

void run_report(const ReportArgs& args, Io& io) {
  analysis::Options options = args.diagnosis.analysis_options();
  const int64_t slow_propagation_ns = options.diagnosis.slow_propagation_ns;
  auto t = run_timeline_analysis(args.path, std::move(options), args.max_intervals, io, "report");
  if (!t) return;
  const analysis::Analysis& a = t->analysis;
  // Nothing in the page is missing unsaid: what the budget merged is told here and on the page.
  if (std::string note = render::describe_reduction(t->timeline->detail()); !note.empty())
    io.err << "ctxtrail report: " << note << "\n";
  render::RenderInput in = render::render_input(a, a.report.findings, args.path, t->timeline->plot(),
                                                &t->timeline->detail());
  in.slow_propagation_ns = slow_propagation_ns;
  if (!write_page(args, render::render_html_report(in), io)) return;
  if (a.tail_error) return;  // exit 3 already set: the input was malformed
  io.exit_code = args.diagnosis.exit_code(a.report.findings);
}

// Several processes: each trace read once, its intervals within the budget, on one page.
void run_report_processes(const ReportArgs& args, const std::vector<analysis::ProcessInputs>& inputs, Io& io) {
  analysis::Options options = args.diagnosis.analysis_options();
  const int64_t slow_propagation_ns = options.diagnosis.slow_propagation_ns;
  auto t = run_timeline_processes(inputs, std::move(options), args.max_intervals, io, "report");
  if (!t) return;
  const analysis::MultiAnalysis& m = t->m;
  // Each process's findings, the cross-process ones first (MultiAnalysis::findings' order).
  std::vector<std::vector<diagnose::Finding>> findings(m.processes.size());
  for (const analysis::ProcessFinding& f : m.findings()) findings[f.process].push_back(*f.finding);
  std::vector<render::RenderInput> ins;
  for (size_t i = 0; i < m.processes.size(); ++i) {
    const analysis::Process& p = m.processes[i];
    ins.push_back(render::render_input(p.analysis, findings[i], p.trace_file, t->timelines[i]->plot(),
                                       &t->timelines[i]->detail()));
    ins.back().slow_propagation_ns = slow_propagation_ns;
  }
  if (!write_page(args, render::render_processes_html_report(m, ins), io)) return;
  if (any_partial(m)) return;  // exit 3 already set: an input was malformed
  io.exit_code = args.diagnosis.exit_code(all_findings(m));
}

}  // namespace

void install_report_command(CLI::App& root, Io& io) {
  auto args = std::make_shared<ReportArgs>();
  auto* cmd = root.add_subcommand("report", "Write a self-contained interactive HTML report");
  cmd->add_option("traces", args->paths,
                  "Go execution trace (\"-\" for standard input); several (one per process): one page, a lane "
                  "group per process on one clock")
      ->required();
  cmd->add_option("-o,--output", args->output, "HTML file to write (\"-\" for standard output)");
  // Writing the report is the job: findings do not fail it unless asked.
  args->diagnosis.fail_on = "never";
  add_diagnosis_flags(cmd, args->diagnosis, /*fail_on=*/true);
  cmd->add_option("--max-intervals", args->max_intervals,
                  "Merge short state intervals into bands to keep about this many (0: keep all); "
                  "goroutines of findings, cancel waves and critical paths keep their first and last "
                  "intervals, long waits and cancel wakes exact");
  cmd->callback([args, &io] {
    by_processes(
        args->paths, io, "report", [&](const auto& several) { run_report_processes(*args, several, io); },
        [&](const std::string& path) {
          args->path = path;
          run_report(*args, io);
        });
  });
}

}  // namespace ctxtrail::cli
