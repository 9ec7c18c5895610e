/// The steps of analyze_processes after each process's own analysis, in order; each in a file
/// of its own. Internal to the analysis stage.
#pragma once

#include "ctxtrail/analysis/processes.h"

namespace ctxtrail::analysis {

/// Joins each server's `remote` to its client's `send` by request id (and the caller's procid
/// when it names one): MultiAnalysis::edges, latencies left for after the clocks.
void join_requests(MultiAnalysis& m);
/// Sets every process's ClockAlignment (processes.h), then the edges' latencies.
void align_clocks(MultiAnalysis& m);
/// Follows each cancel from process to process along the edges: MultiAnalysis::waves.
void follow_cancels(MultiAnalysis& m);
/// Each finding whose goroutines served a request its caller cancelled names the caller's side
/// (remote_causes.cc): after follow_cancels.
void name_remote_causes(MultiAnalysis& m);
/// The rules only several processes show (slow-remote-propagation): MultiAnalysis::cross_findings.
void check_cross_rules(MultiAnalysis& m, const diagnose::Options& options);

}  // namespace ctxtrail::analysis
