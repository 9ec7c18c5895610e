/// Shared wording and location helpers for the rules: goroutine names, durations, blocks.
#pragma once

#include <optional>
#include <string>

#include "ctxtrail/diagnose/rules.h"
#include "diagnose/rule_context.h"
#include "ctxtrail/model/naming.h"

namespace ctxtrail::diagnose {

using trace::StackID;

using model::format_duration;
using model::short_location;
/// "G12 (main.worker)".
std::string go_name(RuleContext& ctx, const model::Goroutine& g);
std::string start_function(RuleContext& ctx, const model::Goroutine& g);
/// The wait reason of a parked goroutine; inferred from its stack when the trace has none.
std::string wait_reason(RuleContext& ctx, const model::Goroutine& g);
/// The same for any wait (a watcher's): the trace's reason, else the one its stack implies.
std::string_view recorded_wait_reason(RuleContext& ctx, trace::StringID reason, StackID stack);
/// "chan receive at main.go:20 (main.ignorer)".
std::string describe_block(RuleContext& ctx, std::string_view reason, StackID stack);
/// Whether rules may report this goroutine at all.
bool reportable(RuleContext& ctx, const model::Goroutine& g);
bool parked(RuleContext& ctx, const model::Goroutine& g);

void add_loc(RuleContext& ctx, Finding& f, std::string_view role, StackID stack);
/// The user line of a `go` statement: the top user frame of the creation stack, or, when that
/// frame is a library goroutine-launching wrapper (errgroup's Go, ...), the frame that called it.
model::SourceLoc creation_location(RuleContext& ctx, StackID stack);
void add_goroutine_locs(RuleContext& ctx, Finding& f, const model::Goroutine& g);
/// The cancel site of a wave (its top user frame; the timer's frame for deadlines).
model::SourceLoc cancel_location(RuleContext& ctx, const model::CancelWave& w);
std::string describe_wave(RuleContext& ctx, const model::CancelWave& w);
void set_block_stack(RuleContext& ctx, Finding& f, StackID stack);
/// "; G11 (main.consumer), which last woke it, ended at 1.2s" and similar, or "".
std::string describe_waker(RuleContext& ctx, const model::Goroutine& g);
/// An alive goroutine's state at trace end ("blocked on chan send at a.go:3 (f) since 2s, never
/// woken; ..." or "still Running (last seen at a.go:9)"), adding its block or running location.
std::string describe_state(RuleContext& ctx, Finding& f, const model::Goroutine& g);
/// A goroutine that ended after being woken by a cancel wave: that watcher record.
std::optional<model::Watcher> ended_by_wave(RuleContext& ctx, const model::Goroutine& g);
int64_t rel(RuleContext& ctx, int64_t t);

}  // namespace ctxtrail::diagnose
