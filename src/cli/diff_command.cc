/// `ctxtrail diff A B [C...]`: goroutine dumps or profiles of one process taken one after
/// another; which stacks grew from the first to the last, by how much and how fast, and the
/// findings of them all together (goroutine-growth where growth persists across every step).
#include <CLI/CLI.hpp>

#include <filesystem>
#include <sstream>

#include "cli/analysis.h"
#include "cli/commands.h"
#include "cli/diagnosis_flags.h"
#include "ctxtrail/render/diff_view.h"
#include "ctxtrail/render/render.h"

namespace ctxtrail::cli {

namespace {

struct DiffFlags {
  std::vector<std::string> inputs;
  std::string format = "text";
  size_t top = 20;
  DiagnosisFlags diagnosis;
};

void run_diff(const DiffFlags& f, Io& io) {
  for (const std::string& path : f.inputs) {
    auto is_trace = analysis::is_trace_file(path);
    if (is_trace.ok() && *is_trace) {
      io.err << "ctxtrail diff: " << path
             << " is a Go execution trace: diff compares goroutine dumps and profiles (give the trace to "
                "ctxtrail analyze, with them)\n";
      io.exit_code = kExitUsage;
      return;
    }
  }
  auto a = run_analysis(f.inputs, f.diagnosis.analysis_options(), io, "diff");
  if (!a) return;
  const snapshot::Snapshot& before = *a->snapshots.front();
  const snapshot::Snapshot& after = *a->snapshots.back();
  const auto changes = snapshot::diff_snapshots(before, after);
  if (f.format == "json") {
    nlohmann::json j = render::diff_json(changes, before, after, f.top);
    std::ostringstream report;
    render::make_renderer(render::Format::Json)->render(a->report, report);
    j["findings"] = nlohmann::json::parse(report.str())["findings"];
    io.out << j.dump(2) << "\n";
  } else {
    render::render_diff_text(changes, before, after, f.top, io.out);
    io.out << "\n";
    render::make_renderer(render::Format::Text)->render(a->report, io.out);
  }
  io.exit_code = f.diagnosis.exit_code(a->report.findings);
}

}  // namespace

void install_diff_command(CLI::App& root, Io& io) {
  auto flags = std::make_shared<DiffFlags>();
  auto* cmd = root.add_subcommand(
      "diff", "Compare goroutine dumps or profiles of one process taken at different times: which stacks grew");
  cmd->add_option("inputs", flags->inputs,
                  "Two or more goroutine dumps or pprof goroutine profiles of one process, oldest first")
      ->required()
      ->expected(2, -1);
  cmd->add_option("--format", flags->format, "Output format")
      ->check(CLI::IsMember({"text", "json"}))
      ->capture_default_str();
  cmd->add_option("--top", flags->top, "Show at most this many stacks (0: all)")->capture_default_str();
  add_diagnosis_flags(cmd, flags->diagnosis, /*fail_on=*/true);
  cmd->callback([flags, &io] { run_diff(*flags, io); });
}

}  // namespace ctxtrail::cli
