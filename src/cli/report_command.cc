/// `ctxtrail report TRACE -o report.html`: the self-contained interactive HTML report.
#include <CLI/CLI.hpp>

#include "cli/analysis.h"
#include "cli/commands.h"
#include "cli/diagnosis_flags.h"
#include "ctxtrail/render/export_output.h"
#include "ctxtrail/render/report_html.h"

namespace ctxtrail::cli {
namespace {

struct ReportArgs {
  std::string path;
  std::string output = "report.html";
  DiagnosisFlags diagnosis;
  size_t max_intervals = render::IntervalBudget::kDefaultMax;
};

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
  std::string html = render::render_html_report(in);
  std::string err = render::write_output(args.output, html, io.out);
  if (!err.empty()) {
    io.err << "ctxtrail report: " << err << "\n";
    io.exit_code = kExitUsage;
    return;
  }
  if (a.tail_error) return;  // exit 3 already set: the input was malformed
  io.exit_code = args.diagnosis.exit_code(a.report.findings);
}

}  // namespace

void install_report_command(CLI::App& root, Io& io) {
  auto args = std::make_shared<ReportArgs>();
  auto* cmd = root.add_subcommand("report", "Write a self-contained interactive HTML report");
  cmd->add_option("trace", args->path, "Go execution trace (\"-\" for standard input)")->required();
  cmd->add_option("-o,--output", args->output, "HTML file to write (\"-\" for standard output)");
  // Writing the report is the job: findings do not fail it unless asked.
  args->diagnosis.fail_on = "never";
  add_diagnosis_flags(cmd, args->diagnosis, /*fail_on=*/true);
  cmd->add_option("--max-intervals", args->max_intervals,
                  "Merge short state intervals into bands to keep about this many (0: keep all); "
                  "goroutines of findings, cancel waves and critical paths keep their first and last "
                  "intervals, long waits and cancel wakes exact");
  cmd->callback([args, &io] { run_report(*args, io); });
}

}  // namespace ctxtrail::cli
