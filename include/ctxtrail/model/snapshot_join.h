/// Joins goroutine snapshots (dumps, pprof goroutine and leak profiles of the same process,
/// taken at or after the trace's end) to the model: by goroutine ID where the snapshot has IDs,
/// by blocking stack otherwise.
#pragma once

#include <cstddef>
#include <vector>

#include "ctxtrail/model/frames.h"
#include "ctxtrail/model/model.h"
#include "ctxtrail/snapshot/snapshot.h"

namespace ctxtrail::model {

/// Sets Goroutine::proven_leaked for each goroutine `s` marks leaked, and counts in m.snapshots.
/// `s` must outlive m (m.snapshots.unjoined points into it).
void join_snapshot(Model& m, FrameClassifier& frames, const snapshot::Snapshot& s);

/// Joins several snapshots of one process: those with goroutine IDs (dumps) first, whatever
/// the order given, so that a profile of the same leaks (no IDs, matched by stack) counts only
/// what the dumps did not already prove. m.snapshots.joined and leaked_in_trace_by_snapshot
/// follow the order of `snapshots`.
void join_snapshots(Model& m, FrameClassifier& frames, const std::vector<const snapshot::Snapshot*>& snapshots);

/// The key a stack is joined by: the first few frames outside the runtime, as function and line.
/// Equal keys mean the same blocking site reached the same way.
std::string snapshot_stack_key(const snapshot::Goroutine& g);
std::string trace_stack_key(FrameClassifier& frames, trace::StackID stack);

}  // namespace ctxtrail::model
