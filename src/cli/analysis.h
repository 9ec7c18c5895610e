/// How a command runs the analysis stage: a progress bar on a terminal, and the one way every
/// command reports an unreadable input or the malformed tail of a --partial read.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ctxtrail/cli/app.h"
#include "ctxtrail/analysis/analysis.h"
#include "ctxtrail/render/report_data.h"

namespace ctxtrail::cli {

/// Analyses `path` for `command`. On an unreadable or (without --partial) malformed trace
/// prints "ctxtrail COMMAND: FILE: byte N ...: what was expected", sets exit code 3 and
/// answers nothing. With --partial a malformed tail is printed the same way, exit code 3, and
/// the analysis of what was read is answered for the command to render.
std::optional<analysis::Analysis> run_analysis(const std::string& path, analysis::Options options,
                                               Io& io, const char* command);
/// The same for a trace and the dumps and profiles of the same process, in any order
/// (analysis::analyze_inputs); snapshots alone without a trace.
std::optional<analysis::Analysis> run_analysis(const std::vector<std::string>& inputs, analysis::Options options,
                                               Io& io, const char* command);
/// The same through analysis::analyze_twice.
std::optional<analysis::Analysis> run_analysis_twice(const std::string& path, analysis::Options options,
                                                     const analysis::SecondLook& more, Io& io,
                                                     const char* command);

/// Reports an analysis's input error for `command` (exit 3), with the --partial hint when part of
/// the trace could be used.
void report_analysis_error(const Error& error, const analysis::Options& options, Io& io, const char* command);

/// An analysis with the timeline's intervals (report, export).
struct TimelineAnalysis {
  analysis::Analysis analysis;
  std::unique_ptr<render::TimelineCollector> timeline;
};

/// The analysis a timeline draws: two passes over a file (the first decides whose waits must
/// stay exact, so that the second holds only the kept intervals: memory bounded by the budget,
/// not by the trace), one over standard input (then nobody's waits are singled out).
std::optional<TimelineAnalysis> run_timeline_analysis(const std::string& path, analysis::Options options,
                                                      size_t max_intervals, Io& io, const char* command);

}  // namespace ctxtrail::cli
