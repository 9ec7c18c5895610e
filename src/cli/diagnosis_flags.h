/// The diagnosis flags every command that shows findings accepts (analyze, report, export, dag,
/// lifecycle), so that the same flags give the same findings in every output.
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "ctxtrail/cli/app.h"
#include "ctxtrail/analysis/analysis.h"
#include "ctxtrail/diagnose/finding.h"

namespace ctxtrail::cli {

struct DiagnosisFlags {
  std::string grace;  // empty: the default (rules.h)
  std::string slow = "50ms";
  std::string slow_propagation = "10ms";
  std::string race_window = "1ms";
  std::vector<std::string> rules;
  bool include_runtime = false;
  bool partial = false;
  std::string fail_on = "error";
  uint64_t pileup_count = 100;
  std::string pileup_wait = "10m";
  uint64_t growth_count = 10;

  diagnose::Options options() const;
  /// Analysis options with these diagnosis options and --partial.
  analysis::Options analysis_options() const;
  /// The exit code the findings call for under --fail-on (kExitFindings or kExitOk).
  int exit_code(const std::vector<diagnose::Finding>& findings) const;
};

/// Adds --grace, --slow, --slow-propagation, --race-window, --rule, --include-runtime and
/// --partial to `cmd`, and --fail-on when `fail_on`.
void add_diagnosis_flags(CLI::App* cmd, DiagnosisFlags& flags, bool fail_on);

/// A CLI11 check of a Go duration ("500ms", "2s", "1m30s").
CLI::Validator duration_check();

}  // namespace ctxtrail::cli
