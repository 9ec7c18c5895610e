/// What a rule sees: the model, the facts computed once for every rule, the options, and the
/// goroutines it must leave alone. Internal to the diagnose stage.
#pragma once

#include <unordered_set>

#include "ctxtrail/diagnose/finding.h"
#include "ctxtrail/model/context_tree.h"
#include "ctxtrail/model/model.h"

namespace ctxtrail::diagnose {

struct Facts;  // diagnose/facts.h

struct RuleContext {
  const model::Model& m;
  model::FrameClassifier& frames;
  const Options& options;
  /// The trail context tree (docs/trail-events.md); null when the trace has no ctxtrail events.
  const model::ContextTree* contexts = nullptr;
  /// Computed before any rule runs; null only while the facts themselves are computed.
  const Facts* facts = nullptr;
  /// Goroutines this rule must not report: those already reported by the rules it is
  /// superseded by (the registry's column, from their findings), and, as the rule adds them, those
  /// it reported itself (once is enough). Scratch of this one run: no other rule reads it.
  std::unordered_set<trace::GoID> claimed;
};

using RuleFn = void (*)(RuleContext& ctx, std::vector<Finding>& out);

}  // namespace ctxtrail::diagnose
