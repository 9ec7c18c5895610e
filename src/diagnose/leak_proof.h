/// Leaks the goroutine leak profile proves (the garbage collector found the goroutine
/// unreachable): the part of leaked-goroutine that needs no timing heuristic.
#pragma once

#include <vector>

#include "diagnose/rule_context.h"

namespace ctxtrail::diagnose {

/// The finding for a goroutine of the trace that a joined leak profile marks leaked.
Finding proven_leak(RuleContext& ctx, const model::Goroutine& g);

/// Findings for leaked goroutines the snapshots hold and the trace does not (or no trace was
/// given): from their stacks alone, one per record (the registry groups equal stacks).
void report_snapshot_leaks(RuleContext& ctx, std::vector<Finding>& out);

/// "The goroutine leak profile proves it leaked: ...": the sentence every finding naming a
/// proven leak carries.
inline constexpr std::string_view kProofSentence =
    "the goroutine leak profile proves it leaked: the garbage collector found nothing that can still wake it";

}  // namespace ctxtrail::diagnose
