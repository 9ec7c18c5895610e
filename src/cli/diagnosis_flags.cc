/// One definition of the diagnosis flags for every command that shows findings.
#include "cli/diagnosis_flags.h"

#include <CLI/CLI.hpp>

#include "cli/duration.h"
#include "ctxtrail/diagnose/rules.h"

namespace ctxtrail::cli {

CLI::Validator duration_check() {
  return CLI::Validator(
      [](std::string& s) -> std::string {
        return parse_go_duration(s) ? std::string() : "not a Go duration (like 500ms, 2s, 1m30s): " + s;
      },
      "DURATION");
}

diagnose::Options DiagnosisFlags::options() const {
  diagnose::Options o;
  if (!grace.empty()) {
    o.grace_ns = *parse_go_duration(grace);
    o.grace_given = true;
  }
  o.slow_ns = *parse_go_duration(slow);
  o.slow_propagation_ns = *parse_go_duration(slow_propagation);
  o.race_window_ns = *parse_go_duration(race_window);
  o.include_runtime = include_runtime;
  o.rules = rules;
  o.pileup_count = pileup_count;
  o.pileup_wait_ns = *parse_go_duration(pileup_wait);
  o.growth_count = growth_count;
  return o;
}

analysis::Options DiagnosisFlags::analysis_options() const {
  analysis::Options o;
  o.diagnosis = options();
  o.partial = partial;
  return o;
}

int DiagnosisFlags::exit_code(const std::vector<diagnose::Finding>& findings) const {
  if (fail_on == "never") return kExitOk;
  diagnose::Severity bar = fail_on == "info"      ? diagnose::Severity::Info
                           : fail_on == "warning" ? diagnose::Severity::Warning
                                                  : diagnose::Severity::Error;
  for (const diagnose::Finding& f : findings)
    if (f.severity >= bar) return kExitFindings;
  return kExitOk;
}

void add_diagnosis_flags(CLI::App* cmd, DiagnosisFlags& flags, bool fail_on) {
  cmd->add_option("--grace", flags.grace,
                  "How long a goroutine may outlive a cancellation or its creator [default: 500ms; "
                  "for goroutines still parked at trace end, at most a quarter of a short trace]")
      ->check(duration_check());
  cmd->add_option("--slow", flags.slow, "A cancelled goroutine exiting later than this is slow")
      ->check(duration_check())
      ->capture_default_str();
  cmd->add_option("--slow-propagation", flags.slow_propagation,
                  "A cancellation reaching its last watcher later than this is slow")
      ->check(duration_check())
      ->capture_default_str();
  cmd->add_option("--race-window", flags.race_window,
                  "A deadline firing this close to a cancellation is a race (trail traces)")
      ->check(duration_check())
      ->capture_default_str();
  // Uber's LeakProf flags a stack once ~10,000 goroutines of one production instance wait
  // there; one process's dump is smaller. 100 is above the worker pools and per-connection
  // goroutines a healthy service parks in its own code, and 10 minutes above any request's
  // life; both are flags because a service's normal is its own.
  cmd->add_option("--pileup-count", flags.pileup_count,
                  "Dumps/profiles without a trace: this many goroutines parked at one operation in "
                  "your code is a goroutine-pileup")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  cmd->add_option("--pileup-wait", flags.pileup_wait,
                  "... when the longest of them has waited at least this long (dumps print whole minutes)")
      ->check(duration_check())
      ->capture_default_str();
  cmd->add_option("--growth-count", flags.growth_count,
                  "Several snapshots of one process: a stack growing by this many goroutines between "
                  "each two is a goroutine-growth")
      ->check(CLI::PositiveNumber)
      ->capture_default_str();
  if (fail_on)
    cmd->add_option("--fail-on", flags.fail_on, "Exit 1 when a finding has at least this severity")
        ->check(CLI::IsMember({"info", "warning", "error", "never"}))
        ->capture_default_str();
  std::vector<std::string> ids;
  for (const auto& r : diagnose::rules()) ids.emplace_back(r.id);
  cmd->add_option("--rule", flags.rules, "Run only this rule (repeatable)")->check(CLI::IsMember(ids));
  cmd->add_flag("--include-runtime", flags.include_runtime,
                "Also report runtime-internal, library-internal and testing goroutines");
  cmd->add_flag("--partial", flags.partial,
                "On a malformed or truncated trace, use what could be read (still exits 3)");
}

}  // namespace ctxtrail::cli
