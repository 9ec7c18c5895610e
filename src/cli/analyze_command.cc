/// `ctxtrail analyze TRACE`: diagnose broken cancellation chains and leaked goroutines.
#include <CLI/CLI.hpp>

#include <filesystem>
#include <fstream>

#include "cli/analysis.h"
#include "cli/commands.h"
#include "cli/duration.h"
#include "ctxtrail/diagnose/rules.h"
#include "ctxtrail/render/render.h"

namespace ctxtrail::cli {

namespace {

struct AnalyzeFlags {
  std::string trace;
  std::string format = "text";
  std::string output;
  std::string grace, slow = "50ms", slow_propagation = "10ms";  // grace: empty = default
  std::string race_window = "1ms";
  std::string fail_on = "error";
  std::vector<std::string> rules;
  bool include_runtime = false;
  bool partial = false;
  std::string source_root;
};

CLI::Validator duration_check() {
  return CLI::Validator(
      [](std::string& s) -> std::string {
        return parse_go_duration(s) ? std::string() : "not a Go duration (like 500ms, 2s, 1m30s): " + s;
      },
      "DURATION");
}

void run_analyze(const AnalyzeFlags& f, Io& io) {
  diagnose::Options o;
  if (!f.grace.empty()) {
    o.grace_ns = *parse_go_duration(f.grace);
    o.grace_given = true;
  }
  o.slow_ns = *parse_go_duration(f.slow);
  o.slow_propagation_ns = *parse_go_duration(f.slow_propagation);
  o.race_window_ns = *parse_go_duration(f.race_window);
  o.include_runtime = f.include_runtime;
  o.rules = f.rules;
  auto loaded = load_trace(f.trace, {}, f.partial, io, "analyze");
  if (!loaded) return;
  diagnose::Report report = diagnose::diagnose(loaded->model, *loaded->frames, o,
                                               loaded->contexts.empty() ? nullptr : &loaded->contexts);
  report.trace = f.trace;
  report.partial = loaded->error.has_value();

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
  if (f.fail_on == "never") return;
  diagnose::Severity bar = f.fail_on == "info"      ? diagnose::Severity::Info
                           : f.fail_on == "warning" ? diagnose::Severity::Warning
                                                    : diagnose::Severity::Error;
  for (const diagnose::Finding& finding : report.findings)
    if (finding.severity >= bar) io.exit_code = kExitFindings;
}

}  // namespace

void install_analyze_command(CLI::App& root, Io& io) {
  auto flags = std::make_shared<AnalyzeFlags>();
  auto* cmd = root.add_subcommand(
      "analyze", "Diagnose broken context cancellation chains and leaked goroutines in a trace");
  cmd->add_option("trace", flags->trace, "Go execution trace (runtime/trace or go test -trace), - for stdin")
      ->required();
  cmd->add_option("--format", flags->format, "Output format")
      ->check(CLI::IsMember({"text", "json", "sarif"}))
      ->capture_default_str();
  cmd->add_option("-o,--output", flags->output, "Write the report to FILE instead of stdout");
  cmd->add_option("--grace", flags->grace,
                  "How long a goroutine may outlive a cancellation or its creator [default: 500ms; "
                  "for goroutines still parked at trace end, at most a quarter of a short trace]")
      ->check(duration_check());
  cmd->add_option("--slow", flags->slow, "A cancelled goroutine exiting later than this is slow")
      ->check(duration_check())
      ->capture_default_str();
  cmd->add_option("--slow-propagation", flags->slow_propagation,
                  "A cancellation reaching its last watcher later than this is slow")
      ->check(duration_check())
      ->capture_default_str();
  cmd->add_option("--race-window", flags->race_window,
                  "A deadline firing this close to a cancellation is a race (trail traces)")
      ->check(duration_check())
      ->capture_default_str();
  cmd->add_option("--fail-on", flags->fail_on, "Exit 1 when a finding has at least this severity")
      ->check(CLI::IsMember({"info", "warning", "error", "never"}))
      ->capture_default_str();
  std::vector<std::string> ids;
  for (const auto& r : diagnose::rules()) ids.emplace_back(r.id);
  cmd->add_option("--rule", flags->rules, "Run only this rule (repeatable)")->check(CLI::IsMember(ids));
  cmd->add_flag("--include-runtime", flags->include_runtime,
                "Also report runtime-internal, library-internal and testing goroutines");
  cmd->add_flag("--partial", flags->partial,
                "On a malformed or truncated trace, analyze what could be read (still exits 3)");
  cmd->add_option("--source-root", flags->source_root,
                  "SARIF: make file URIs relative to this directory (default: the current directory)");
  cmd->callback([flags, &io] { run_analyze(*flags, io); });
}

}  // namespace ctxtrail::cli
