/// Findings for proven leaks: from the trace where it holds the goroutine, else from the
/// snapshot's stacks.
#include "diagnose/leak_proof.h"

#include <fmt/format.h>

#include "diagnose/describe.h"
#include "diagnose/rule_context_common.h"
#include "ctxtrail/model/snapshot_frames.h"

namespace ctxtrail::diagnose {

using model::Goroutine;

Finding proven_leak(RuleContext& ctx, const Goroutine& g) {
  Finding f;
  f.goroutines = {g.id};
  f.proven = true;
  std::string state = "is " + describe_state(ctx, f, g);
  std::string creator;
  if (const Goroutine* c = ctx.m.find(g.creator)) {
    creator = c->ended_at >= 0 ? fmt::format("; its creator {} ended at {}", go_name(ctx, *c),
                                             format_duration(rel(ctx, c->ended_at)))
                               : fmt::format("; its creator {} is still alive", go_name(ctx, *c));
  }
  f.message = fmt::format("{} {}{}; {}", go_name(ctx, g), state, creator, kProofSentence);
  // The dump, taken after the trace, may find it parked elsewhere (it slept at the trace's end,
  // then blocked for good): say where, as the place it leaks.
  if (auto it = ctx.m.snapshots.leaked_records.find(g.id); it != ctx.m.snapshots.leaked_records.end()) {
    const snapshot::Goroutine& r = *it->second;
    const snapshot::Frame* block = model::first_user_frame(r);
    const model::SourceLoc traced = ctx.frames.top_user_location(g.state_stack);
    if (block != nullptr && (traced.file != block->file || traced.line != static_cast<uint64_t>(block->line))) {
      const model::SourceLoc at = model::source_loc(*block);
      f.message += fmt::format("; the dump, taken after the trace, finds it {} at {} ({})",
                               r.state.empty() ? "parked" : "blocked on " + r.state, short_location(at), at.function);
      f.locations.insert(f.locations.begin(), Location{std::string(role::kBlock), at});
    }
  }
  f.time_ns = rel(ctx, g.state_since);
  add_goroutine_locs(ctx, f, g);
  // By start function rather than creation line: goroutines of one `go` statement that existed
  // before the trace began have no creation stack, and are the same leak.
  f.group_key = fmt::format("proven|{}|{}", start_function(ctx, g),
                            short_location(ctx.frames.top_user_location(g.state_stack)));
  return f;
}

void report_snapshot_leaks(RuleContext& ctx, std::vector<Finding>& out) {
  for (const model::SnapshotLeak& leak : ctx.m.snapshots.unjoined) {
    const snapshot::Goroutine& g = *leak.record;
    Finding f;
    f.proven = true;
    f.count = static_cast<int64_t>(leak.count);
    // Seen by the snapshot, taken at or after the trace's end: that is its time.
    if (!ctx.m.goroutines.empty()) f.time_ns = rel(ctx, ctx.m.trace_end);
    if (g.id >= 0) f.goroutines = {static_cast<trace::GoID>(g.id)};
    if (!leak.candidates.empty()) f.goroutines = leak.candidates;
    for (const snapshot::Frame& fr : g.frames) f.block_stack.push_back(model::source_loc(fr));
    const snapshot::Frame* block = model::first_user_frame(g);
    if (block == nullptr && !g.frames.empty()) block = &g.frames.front();
    // A profile's record of N goroutines is N findings in one group ("N goroutines with the
    // same cause, e.g. a goroutine ...").
    std::string who = g.id >= 0 ? fmt::format("G{}", g.id) : std::string("a goroutine");
    std::string where = block != nullptr ? fmt::format(" at {} ({})", short_location(model::source_loc(*block)), block->function)
                                         : std::string();
    std::string state = g.state.empty() ? "parked" : "blocked on " + g.state;
    if (g.wait_minutes > 0) state += fmt::format(" for {} minutes", g.wait_minutes);
    std::string created = g.created_by.function.empty()
                              ? std::string()
                              : fmt::format(", created at {} ({})", short_location(model::source_loc(g.created_by)), g.created_by.function);
    if (!leak.candidates.empty()) {
      // The trace knows where they were created and started (a profile does not).
      if (const Goroutine* first = ctx.m.find(leak.candidates.front())) add_goroutine_locs(ctx, f, *first);
      // More goroutines of the trace wait there than the profile marks leaked, and a profile
      // has no IDs: the finding names them all and says how many are proven.
      f.count = 1;
      f.message = fmt::format("{} of the {} goroutines {}{} in the trace are proven leaked{} (the profile has no "
                              "goroutine IDs to say which); {}",
                              leak.count, leak.candidates.size(), state, where, created, kProofSentence);
    } else {
      const char* seen = ctx.m.goroutines.empty() ? "" : " (the trace does not hold it)";
      f.message = fmt::format("{} {}{}{}{}; {}", who, state, where, created, seen, kProofSentence);
    }
    if (block != nullptr) f.locations.push_back(Location{std::string(role::kBlock), model::source_loc(*block)});
    if (!g.created_by.function.empty()) f.locations.push_back(Location{std::string(role::kCreation), model::source_loc(g.created_by)});
    f.group_key = fmt::format("snapshot|{}|{}", block != nullptr ? short_location(model::source_loc(*block)) : std::string(),
                              short_location(model::source_loc(g.created_by)));
    out.push_back(std::move(f));
  }
}

}  // namespace ctxtrail::diagnose
