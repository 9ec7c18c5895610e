/// `ctxtrail analyze TRACE [DUMP|PROFILE...]`: diagnose broken cancellation chains and leaked goroutines.
#include <CLI/CLI.hpp>

#include <filesystem>
#include <fstream>

#include "cli/analysis.h"
#include "cli/commands.h"
#include "cli/diagnosis_flags.h"
#include "ctxtrail/render/render.h"

namespace ctxtrail::cli {

namespace {

struct AnalyzeFlags {
  std::vector<std::string> inputs;
  std::string format = "text";
  std::string output;
  DiagnosisFlags diagnosis;
  std::string source_root;
};

void run_analyze(const AnalyzeFlags& f, Io& io) {
  analysis::Options options = f.diagnosis.analysis_options();
  auto a = run_analysis(f.inputs, std::move(options), io, "analyze");
  if (!a) return;
  const diagnose::Report& report = a->report;

  render::Format format = f.format == "json"    ? render::Format::Json
                          : f.format == "sarif" ? render::Format::Sarif
                                                : render::Format::Text;
  render::RenderOptions ro;
  std::error_code ec;
  ro.source_root = f.source_root.empty() ? std::filesystem::current_path(ec).string() : f.source_root;
  auto renderer = render::make_renderer(format, ro);
  if (f.output.empty() || f.output == "-") {
    renderer->render(report, io.out);
  } else {
    std::ofstream out(f.output);
    if (!out) {
      io.err << "ctxtrail analyze: cannot write " << f.output << "\n";
      io.exit_code = kExitUsage;
      return;
    }
    renderer->render(report, out);
  }
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
  cmd->add_option("--format", flags->format, "Output format")
      ->check(CLI::IsMember({"text", "json", "sarif"}))
      ->capture_default_str();
  cmd->add_option("-o,--output", flags->output, "Write the report to FILE instead of stdout");
  add_diagnosis_flags(cmd, flags->diagnosis, /*fail_on=*/true);
  cmd->add_option("--source-root", flags->source_root,
                  "SARIF: make file URIs relative to this directory (default: the current directory)");
  cmd->callback([flags, &io] { run_analyze(*flags, io); });
}

}  // namespace ctxtrail::cli
