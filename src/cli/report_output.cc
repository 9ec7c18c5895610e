/// The findings report's flags and its writing, shared by analyze and capture.
#include "cli/report_output.h"

#include <filesystem>
#include <fstream>

#include "ctxtrail/render/render.h"

namespace ctxtrail::cli {

void add_report_output_flags(CLI::App* cmd, ReportOutput& output, const std::string& file_flag) {
  cmd->add_option("--format", output.format, "Output format")
      ->check(CLI::IsMember({"text", "json", "sarif"}))
      ->capture_default_str();
  cmd->add_option(file_flag, output.file, "Write the report to FILE instead of stdout");
  cmd->add_option("--source-root", output.source_root,
                  "SARIF: make file URIs relative to this directory (default: the current directory)");
}

bool write_report(const diagnose::Report& report, const ReportOutput& output, Io& io, const char* command) {
  const render::Format format = output.format == "json"    ? render::Format::Json
                                : output.format == "sarif" ? render::Format::Sarif
                                                           : render::Format::Text;
  render::RenderOptions ro;
  std::error_code ec;
  ro.source_root = output.source_root.empty() ? std::filesystem::current_path(ec).string() : output.source_root;
  auto renderer = render::make_renderer(format, ro);
  if (output.file.empty() || output.file == "-") {
    renderer->render(report, io.out);
    return true;
  }
  std::ofstream out(output.file);
  if (!out) {
    io.err << "ctxtrail " << command << ": cannot write " << output.file << "\n";
    io.exit_code = kExitUsage;
    return false;
  }
  renderer->render(report, out);
  return true;
}

}  // namespace ctxtrail::cli
