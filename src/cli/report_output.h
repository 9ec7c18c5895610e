/// How the commands that print a findings report (analyze, capture) choose its format and where
/// it goes: one set of flags, one way to write it.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

#include "ctxtrail/cli/app.h"
#include "ctxtrail/diagnose/rules.h"

namespace ctxtrail::cli {

struct ReportOutput {
  std::string format = "text";  // text, json, sarif
  std::string file;             // empty or "-": standard output
  std::string source_root;      // SARIF; empty: the current directory
};

/// Adds --format, the file option named `file_flag` ("-o,--output", "--report") and --source-root.
void add_report_output_flags(CLI::App* cmd, ReportOutput& output, const std::string& file_flag);

/// Renders `report` as `output` says. When the file cannot be written, says so for `command`,
/// sets exit code 2 and answers false.
bool write_report(const diagnose::Report& report, const ReportOutput& output, Io& io, const char* command);

}  // namespace ctxtrail::cli
