/// The facts pass: what several rules need, computed once from the model and the context
/// tree before any rule runs, so that no rule depends on another's run or caches.
#pragma once

#include <optional>
#include <unordered_map>
#include <vector>

#include "ctxtrail/diagnose/reaction.h"
#include "diagnose/rule_context.h"
#include "diagnose/rule_context_common.h"

namespace ctxtrail::diagnose {

struct Facts {
  /// creator -> its children that a cancel wave woke and that then ended (in model order).
  std::unordered_map<trace::GoID, std::vector<trace::GoID>> sibling_waves;
  /// Per cancel wave (by index): the traced context it cancelled, the topmost when a parent and
  /// its children went in the same wave; null without trail events or when none matches.
  std::vector<const model::Context*> wave_contexts;
  /// Per goroutine, the contexts it created or watched over time (trail traces only).
  std::optional<ContextActivity> activity;
  /// The watchers of each goroutine ID (indexes into Model::watchers, in time order), grouped by
  /// the ID's latest record (Model::index): those of record r are watchers_grouped[
  /// watchers_first[r], watchers_first[r + 1]). The waves that woke a goroutine (its
  /// Model::watch is only its latest); a counting sort, 4 bytes a watcher and one a record,
  /// not a sorted (goroutine, watcher) pair of 16 bytes a watcher.
  std::vector<uint32_t> watchers_first;
  std::vector<int32_t> watchers_grouped;
};

/// The watchers of goroutine g (indexes into Model::watchers), in time order.
std::vector<int32_t> watchers_of(const RuleContext& ctx, trace::GoID g);

/// Computes the facts of ctx's model and context tree (ctx.facts may be null meanwhile).
Facts compute_facts(RuleContext& ctx);

/// The cancel wave after which g stayed parked while `peer`, the goroutine that could have
/// woken it (the one that last did, its creator, one it started or a sibling), returned on
/// that cancellation; wave == kNone when there is none. blocked-forever reports it, and
/// orphaned-goroutine leaves such a goroutine to it.
struct Counterpart {
  int32_t wave = model::kNone;
  const model::Goroutine* peer = nullptr;
  /// Nobody ever took what it sends: the call that started it returned (in its creator, the
  /// peer) and the creator cancelled `wave` afterwards, e.g. a request's deferred cancel. The
  /// creator waited for it elsewhere (a select that gave up on a timer) or handed the channel
  /// on to a caller that never received.
  bool call_left = false;
};
Counterpart blocked_counterpart(RuleContext& ctx, const model::Goroutine& g);

}  // namespace ctxtrail::diagnose
