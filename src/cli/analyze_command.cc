/// `ctxtrail analyze TRACE [DUMP|PROFILE...]`: diagnose broken cancellation chains and leaked goroutines.
#include <CLI/CLI.hpp>

#include "cli/analysis.h"
#include "cli/commands.h"
#include "cli/diagnosis_flags.h"
#include "cli/report_output.h"

namespace ctxtrail::cli {

namespace {

struct AnalyzeFlags {
  std::vector<std::string> inputs;
  ReportOutput output;
  DiagnosisFlags diagnosis;
};

void run_analyze(const AnalyzeFlags& f, Io& io) {
  analysis::Options options = f.diagnosis.analysis_options();
  auto a = run_analysis(f.inputs, std::move(options), io, "analyze");
  if (!a) return;
  const diagnose::Report& report = a->report;
  if (!write_report(report, f.output, io, "analyze")) return;
  if (report.partial) return;  // exit 3 already set: the input was malformed
  io.exit_code = f.diagnosis.exit_code(report.findings);
}

}  // namespace

void install_analyze_command(CLI::App& root, Io& io) {
  auto flags = std::make_shared<AnalyzeFlags>();
  auto* cmd = root.add_subcommand(
      "analyze", "Diagnose broken context cancellation chains and leaked goroutines in a trace");
  cmd->add_option("inputs", flags->inputs,
                  "A Go execution trace (runtime/trace or go test -trace; - for stdin) and any goroutine dumps "
                  "(debug=2, panic or go test timeout output) and pprof goroutine or goroutineleak profiles of the "
                  "same process, in any order; recognised by content")
      ->required();
  add_report_output_flags(cmd, flags->output, "-o,--output");
  add_diagnosis_flags(cmd, flags->diagnosis, /*fail_on=*/true);
  cmd->callback([flags, &io] { run_analyze(*flags, io); });
}

}  // namespace ctxtrail::cli
