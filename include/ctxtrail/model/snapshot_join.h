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

/// The key a stack is joined by: the first few frames outside the runtime, as function and line.
/// Equal keys mean the same blocking site reached the same way.
std::string snapshot_stack_key(const snapshot::Goroutine& g);
std::string trace_stack_key(FrameClassifier& frames, trace::StackID stack);

}  // namespace ctxtrail::model
