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
  /// superseded by (the registry's column), and those it reported itself (once is enough).
  /// A rule adds each goroutine it reports; the registry hands them on.
  std::unordered_set<trace::GoID> claimed;
};

using RuleFn = void (*)(RuleContext& ctx, std::vector<Finding>& out);

}  // namespace ctxtrail::diagnose
