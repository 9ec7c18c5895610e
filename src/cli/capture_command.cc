/// `ctxtrail capture URL`: take a trace, a goroutine dump and the goroutine leak profile from a Go
/// program serving net/http/pprof, save them with a manifest, and analyze them together.
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>

#include "cli/analysis.h"
#include "cli/commands.h"
#include "cli/diagnosis_flags.h"
#include "cli/report_output.h"
#include "cli/duration.h"
#include "ctxtrail/capture/capture.h"
#include "ctxtrail/capture/manifest.h"
#include "ctxtrail/render/render.h"

namespace ctxtrail::cli {

namespace {

struct CaptureFlags {
  std::string url;
  int seconds = 5;
  std::string dir;
  std::vector<std::string> headers;
  std::string timeout = "30s";
  bool no_analyze = false;
  ReportOutput output;  // --format, --report FILE, --source-root
  DiagnosisFlags diagnosis;
};

std::string size_text(uint64_t bytes) {
  if (bytes >= 1000000) return fmt::format("{:.1f} MB", bytes / 1e6);
  if (bytes >= 1000) return fmt::format("{:.1f} kB", bytes / 1e3);
  return fmt::format("{} bytes", bytes);
}

// One line on the terminal, redrawn at most every 100 ms: which file, how much so far.
class DownloadProgress {
 public:
  explicit DownloadProgress(int seconds) : seconds_(seconds) {}
  void operator()(std::string_view file, uint64_t bytes) {
    const auto now = std::chrono::steady_clock::now();
    if (file != file_) {
      file_ = std::string(file);
      since_ = now;
    } else if (now - last_ < std::chrono::milliseconds(100)) {
      return;
    }
    last_ = now;
    const double secs = std::chrono::duration<double>(now - since_).count();
    std::string line = fmt::format("\rcapturing {}: {}, {:.0f} s", file_, size_text(bytes), secs);
    if (file_ == "trace.out") line += fmt::format(" of {} s", seconds_);
    std::fputs((line + "\033[K").c_str(), stderr);
    drawn_ = true;
  }
  void clear() {
    if (drawn_) std::fputs("\r\033[K", stderr);
    drawn_ = false;
  }

 private:
  int seconds_;
  std::string file_;
  std::chrono::steady_clock::time_point since_, last_;
  bool drawn_ = false;
};

// "saved in DIR: trace.out (1.2 MB, partial), goroutines.txt (35.0 kB), manifest.json".
std::string saved_line(const capture::Capture& c) {
  std::string line = "saved in " + c.dir.string() + ":";
  for (const capture::File& f : c.files)
    if (f.fetch.saved)
      line += fmt::format(" {} ({}{}{}),", f.name, size_text(f.fetch.bytes), f.partial ? ", partial" : "",
                          f.usable ? "" : ", not analyzable");
  return line + " manifest.json";
}

void run_capture(const CaptureFlags& f, Io& io) {
  if (Result<std::string> root = capture::pprof_root(f.url); !root) {
    io.err << "ctxtrail capture: " << root.error().to_string() << "\n";
    io.exit_code = kExitUsage;
    return;
  }
  const int64_t timeout_ns = *parse_go_duration(f.timeout);
  if (timeout_ns < 1000000) {  // libcurl reads 0 as "no limit"
    io.err << "ctxtrail capture: --timeout " << f.timeout << ": give at least 1ms\n";
    io.exit_code = kExitUsage;
    return;
  }
  capture::Options o;
  o.url = f.url;
  o.seconds = f.seconds;
  o.dir = f.dir;
  o.headers = f.headers;
  o.timeout = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::nanoseconds(timeout_ns));
  o.tool_version = render::RenderOptions{}.tool_version;
  // Progress only on a terminal, and only when the CLI writes to the real stderr.
  auto progress = std::make_shared<DownloadProgress>(f.seconds);
  if (&io.err == &std::cerr && isatty(STDERR_FILENO))
    o.progress = [progress](std::string_view file, uint64_t bytes) { (*progress)(file, bytes); };

  Result<capture::Capture> got = capture::capture(o);
  progress->clear();
  if (!got) {
    io.err << "ctxtrail capture: " << got.error().to_string() << "\n";
    io.exit_code = kExitBadInput;
    return;
  }
  capture::Capture& c = *got;
  for (const std::string& note : c.notes) io.err << "ctxtrail capture: " << note << "\n";
  for (const std::string& problem : c.problems) io.err << "ctxtrail capture: " << problem << "\n";
  io.err << "ctxtrail capture: " << saved_line(c) << "\n";
  io.exit_code = c.failed() ? kExitBadInput : kExitOk;
  const std::vector<std::string> inputs = c.usable_paths();
  if (f.no_analyze || inputs.empty()) return;

  // A trace cut short, by a download that broke or by its writer, is analysed up to the cut
  // (as with --partial, and exit 3): it is all the service will ever give of that moment.
  analysis::Options options = f.diagnosis.analysis_options();
  options.partial = true;
  const capture::File& trace = c.file(capture::Role::Trace);
  auto a = run_analysis(inputs, std::move(options), io, "capture");
  if (!a) return;  // the reason is said, exit 3
  // A download that ended whole may still hold a trace cut short: the file is partial, and the
  // manifest says so.
  if (trace.usable && !trace.partial && (!a->source.complete || a->tail_error)) {
    const std::string why = fmt::format(
        "{}: the download ended whole, but the trace in it is cut short ({}); the manifest marks it partial",
        trace.path.string(),
        a->tail_error ? a->tail_error->message : "it ends before the end of its last generation");
    c.mark_cut_short(capture::Role::Trace, why);
    io.err << "ctxtrail capture: " << why << "\n";
    if (Status s = capture::write_manifest(c); !s.ok()) io.err << "ctxtrail capture: " << s.error().to_string() << "\n";
  }
  if (!write_report(a->report, f.output, io, "capture")) return;
  if (c.failed() || a->report.partial) {
    io.exit_code = kExitBadInput;
    return;
  }
  io.exit_code = f.diagnosis.exit_code(a->report.findings);
}

}  // namespace

void install_capture_command(CLI::App& root, Io& io) {
  auto flags = std::make_shared<CaptureFlags>();
  auto* cmd = root.add_subcommand(
      "capture",
      "Take a trace, a goroutine dump and the goroutine leak profile from a Go program serving net/http/pprof, "
      "save them with a manifest, and analyze them");
  cmd->add_option("url", flags->url,
                  "The service's base URL (http://127.0.0.1:6060), or its /debug/pprof/ URL")
      ->required();
  cmd->add_option("--seconds", flags->seconds, "How long to trace")->check(CLI::Range(1, 86400))->capture_default_str();
  cmd->add_option("-o,--dir", flags->dir,
                  "Save into DIR (made if missing) [default: a new folder ctxtrail-capture-HOST-TIME here]");
  cmd->add_option("--header", flags->headers, "An HTTP header for every request, like 'Authorization: Bearer ...' "
                                              "(repeatable; never saved)")
      ->check(CLI::Validator(
          [](std::string& h) -> std::string {
            return h.find(':') != std::string::npos && h.find_first_of("\r\n") == std::string::npos
                       ? std::string()
                       : "not a header like 'Name: value': " + h;
          },
          "HEADER"));
  cmd->add_option("--timeout", flags->timeout,
                  "How long each download may take beyond what it asks for (the trace gets --seconds more)")
      ->check(duration_check())
      ->capture_default_str();
  cmd->add_flag("--no-analyze", flags->no_analyze, "Only save the files and the manifest");
  add_report_output_flags(cmd, flags->output, "--report");
  add_diagnosis_flags(cmd, flags->diagnosis, /*fail_on=*/true);
  cmd->callback([flags, &io] { run_capture(*flags, io); });
}

}  // namespace ctxtrail::cli
