/// Helpers shared by the context rules (trail traces): naming contexts, their locations, and
/// what each goroutine did with contexts over time.
#pragma once

#include <string>
#include <unordered_map>
#include <vector>

#include "diagnose/describe.h"

namespace ctxtrail::diagnose {

/// "context #5 (WithTimeout at main.go:20)".
std::string describe_context(const model::Context& c);
/// Adds the creation site of c (role context).
void add_context_loc(Finding& f, const model::Context& c);
/// Adds the own cancel call that ended c or started the chain that did (role cancel); answers
/// how c ended ("cancelled at main.go:30", "deadline", "cancelled by its parent").
std::string add_cancel_loc(RuleContext& ctx, Finding& f, const model::Context& c);
/// The traced context whose cancellation was cancel wave `w` (the topmost one when a parent and
/// its children went in the same wave); null without trail events or when none matches.
const model::Context* context_of_wave(RuleContext& ctx, const model::CancelWave& w);
/// Adds the wave's cancel site (role cancel) and, when a traced context was cancelled by it,
/// that context's creation site (role context).
void add_wave_locs(RuleContext& ctx, Finding& f, const model::CancelWave& w);
/// Alive at `t` + --grace (and the trace reaches that far); for a goroutine alive at the end of
/// a short trace, alive for stuck_after() past `t`.
bool alive_after_grace(RuleContext& ctx, const model::Goroutine& g, int64_t t);
/// Goroutines that may be reported and are not yet claimed by another rule.
const model::Goroutine* candidate(RuleContext& ctx, trace::GoID g);

/// Per goroutine, in time order: the contexts it created (cancelable ones) or watched.
struct ContextActivity {
  struct Step {
    int64_t time;
    int32_t context;  // index into the tree
    bool created;
  };
  std::unordered_map<trace::GoID, std::vector<Step>> by_goroutine;
  explicit ContextActivity(const model::ContextTree& tree);
  /// Whether g created or watched a context other than `except` after `t` (it moved on).
  bool moved_on(trace::GoID g, int64_t t, const model::ContextTree& tree, const model::Context& except) const;
  /// The cancelable context g was working under at `t`: the last one it created or watched,
  /// when that one was not done yet (trail's "ambient"); null if none.
  const model::Context* ambient(trace::GoID g, int64_t t, const model::ContextTree& tree) const;
  /// ambient(), for a goroutine that had created or watched no context by `t`: its creator's
  /// as of its `go` statement (and so on up), since a new goroutine works for whoever started
  /// it until it takes a context of its own. Sets `from` to the goroutine it came from.
  const model::Context* inherited_ambient(const model::Model& m, trace::GoID g, int64_t t,
                                          const model::ContextTree& tree, trace::GoID& from) const;
};

/// Whether `c` is `ancestor` or below it.
bool descends_from(const model::ContextTree& tree, const model::Context& c, const model::Context& ancestor);

}  // namespace ctxtrail::diagnose
