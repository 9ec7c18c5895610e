/// `ctxtrail analyze TRACE [DUMP|PROFILE...] [TRACE [DUMP|PROFILE...]]...`: diagnose broken cancellation
/// chains and leaked goroutines, in one process or across several (one trace each).
#include <CLI/CLI.hpp>

#include "cli/analysis.h"
#include "cli/commands.h"
#include "cli/diagnosis_flags.h"
#include "cli/processes_run.h"
#include "cli/report_output.h"

namespace ctxtrail::cli {

namespace {

struct AnalyzeFlags {
  std::vector<std::string> inputs;
  ReportOutput output;
  DiagnosisFlags diagnosis;
};

// Several traces: one process each, read as one (docs/cross-process.md).
void run_analyze_processes(const AnalyzeFlags& f, const std::vector<analysis::ProcessInputs>& inputs, Io& io) {
  auto m = run_processes(inputs, f.diagnosis.analysis_options(), io, "analyze");
  if (!m) return;
  if (!write_processes_report(*m, f.output, io, "analyze")) return;
  if (any_partial(*m)) return;  // exit 3 already set
  io.exit_code = f.diagnosis.exit_code(all_findings(*m));
}

void run_analyze(const AnalyzeFlags& f, Io& io) {
  bool failed = false;
  if (auto several = several_processes(f.inputs, io, "analyze", failed)) return run_analyze_processes(f, *several, io);
  if (failed) return;
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
                  "same process, in any order; recognised by content. Several traces: one per process (client, "
                  "server, ...), read as one with the cancels and deadlines that cross them; each dump or profile "
                  "then belongs to the trace before it")
      ->required();
  add_report_output_flags(cmd, flags->output, "-o,--output");
  add_diagnosis_flags(cmd, flags->diagnosis, /*fail_on=*/true);
  cmd->callback([flags, &io] { run_analyze(*flags, io); });
}

}  // namespace ctxtrail::cli
