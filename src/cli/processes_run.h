/// How a command runs several traces, one per process (analysis/processes.h): the inputs split
/// by process, each process's input errors reported as for one trace.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ctxtrail/analysis/processes.h"
#include "ctxtrail/cli/app.h"
#include "ctxtrail/render/report_data.h"
#include "cli/report_output.h"

namespace ctxtrail::cli {

/// The inputs split by process when they hold more than one trace; nothing for one trace (or
/// inputs that cannot be sniffed): the caller takes its single-trace path, unchanged. One trace
/// given twice is reported (exit 3) and sets `failed`.
std::optional<std::vector<analysis::ProcessInputs>> several_processes(const std::vector<std::string>& inputs,
                                                                      Io& io, const char* command, bool& failed);

/// Runs `command` on its inputs: `several` for the traces of several processes, `one` for one
/// trace (its path); anything else is reported (exit 2, or 3 for a trace given twice).
void by_processes(const std::vector<std::string>& inputs, Io& io, const char* command,
                  const std::function<void(const std::vector<analysis::ProcessInputs>&)>& several,
                  const std::function<void(const std::string&)>& one);

/// Analyses the processes for `command`; an unreadable input is reported as run_analysis does
/// (exit 3, nothing answered), a --partial tail of any process is reported and kept.
std::optional<analysis::MultiAnalysis> run_processes(const std::vector<analysis::ProcessInputs>& inputs,
                                                     analysis::Options options, Io& io, const char* command,
                                                     const analysis::PerProcess& per_process = {});

/// Several processes with each one's timeline (report, export).
struct TimelineProcesses {
  analysis::MultiAnalysis m;
  std::vector<std::unique_ptr<render::TimelineCollector>> timelines;  // per process
};
/// Analyses the processes for a timeline: each trace read once, its intervals streamed into a
/// collector of its own within `max_intervals` (one pass: unlike one trace's two, the budget
/// cannot single out the goroutines of findings beforehand; a budget that merges says so on
/// stderr, per process).
std::optional<TimelineProcesses> run_timeline_processes(const std::vector<analysis::ProcessInputs>& inputs,
                                                        analysis::Options options, size_t max_intervals, Io& io,
                                                        const char* command);

/// Writes the multi-process report (text or JSON; SARIF takes one trace) as `output` says.
bool write_processes_report(const analysis::MultiAnalysis& m, const ReportOutput& output, Io& io,
                            const char* command);

/// Whether a process's trace ended in a malformed tail read with --partial (exit 3 is set then,
/// and --fail-on must not replace it).
bool any_partial(const analysis::MultiAnalysis& m);

/// Every finding of every process (for --fail-on).
std::vector<diagnose::Finding> all_findings(const analysis::MultiAnalysis& m);

}  // namespace ctxtrail::cli
