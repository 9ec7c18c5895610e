/// orphaned-goroutine: alive at trace end, more than --grace after its creator (or an ancestor)
/// ended because of a cancel wave, and no cancellation ever reached it; or, with its creator
/// alive, after the function that started it returned on a cancel wave, parked at a send.
#include <algorithm>

#include <fmt/format.h>

#include "diagnose/describe.h"
#include "diagnose/rule_checks.h"
#include "diagnose/facts.h"
#include "diagnose/rule_context_common.h"

namespace ctxtrail::diagnose {

using model::Goroutine;

namespace {

// Its creator lives on (main.main), but the function that started it (the one with the `go`
// statement) was woken by a cancel wave where it waited, and then returned: a collector that gave
// up at its deadline. Only for a goroutine parked since then, past stuck_after(), at a channel
// send where it was never handed work (its result, which nobody receives now): one idle at a
// receive may be a pool that the creator feeds later.
std::optional<model::Watcher> starter_returned_on_wave(RuleContext& ctx, const Goroutine& g) {
  const Goroutine* c = ctx.m.find(g.creator);
  if (c == nullptr || c->ended_at >= 0 || c->watch == model::kNone) return std::nullopt;
  if (!parked(ctx, g) || wait_reason(ctx, g) != "chan send" || !ctx.frames.info(g.state_stack).has_user)
    return std::nullopt;
  const auto& sites = ctx.m.wakes_of(g).sites_woken_from;
  if (std::find(sites.begin(), sites.end(), g.state_stack) != sites.end()) return std::nullopt;
  const model::SourceLoc site = creation_location(ctx, g.creation_stack);
  if (site.empty()) return std::nullopt;
  // Its own wave: the first after its start that woke the creator in that function (a
  // connection's goroutine serves many requests, each with its own deadline, and only the
  // request that started g could have answered it).
  for (int32_t wx : watchers_of(ctx, c->id)) {
    const model::Watcher w = ctx.m.watchers[wx];
    if (w.woken_at < g.created_at || ctx.frames.str(w.wait_function) != site.function) continue;
    const int64_t returned_at = reaction_of(w).returned_at;
    if (returned_at < 0) return std::nullopt;
    if (ctx.m.trace_end - std::max(returned_at, g.state_since) <= stuck_after(ctx)) return std::nullopt;
    return w;
  }
  return std::nullopt;
}

}  // namespace

void check_orphaned_goroutine(RuleContext& ctx, std::vector<Finding>& out) {
  constexpr int kMaxDepth = 16;
  for (const Goroutine& g : ctx.m.goroutines) {
    if (g.ended_at >= 0 || g.watch != model::kNone || !reportable(ctx, g) || ctx.claimed.count(g.id))
      continue;
    if (blocked_counterpart(ctx, g).wave != model::kNone) continue;  // blocked-forever says it better
    const Goroutine* a = ctx.m.find(g.creator);
    std::optional<model::Watcher> by;
    for (int depth = 0; a != nullptr && depth < kMaxDepth && a->ended_at >= 0; ++depth) {
      if ((by = ended_by_wave(ctx, *a)).has_value()) break;
      a = ctx.m.find(a->creator);
    }
    int32_t wi = model::kNone;
    int64_t since = 0;
    std::string who;
    if (by.has_value()) {
      if (a->ended_at < g.created_at || ctx.m.trace_end - a->ended_at <= stuck_after(ctx)) continue;
      wi = by->wave;
      since = a->ended_at;
      who = fmt::format("{}{}, which returned on {} at {}", a->id == g.creator ? "its creator " : "its ancestor ",
                        go_name(ctx, *a), describe_wave(ctx, ctx.m.waves[wi]), format_duration(rel(ctx, since)));
    } else if (const std::optional<model::Watcher> w = starter_returned_on_wave(ctx, g)) {
      wi = w->wave;
      since = reaction_of(*w).returned_at;
      who = fmt::format("{}, the function of its creator {} that started it, which was woken by {} and returned at {}",
                        ctx.frames.str(w->wait_function), go_name(ctx, *ctx.m.find(g.creator)),
                        describe_wave(ctx, ctx.m.waves[wi]), format_duration(rel(ctx, since)));
    } else {
      continue;
    }
    const model::CancelWave& wave = ctx.m.waves[wi];
    Finding f;
    f.goroutines = {g.id};
    f.time_ns = rel(ctx, since);
    f.waves = {wave.id};
    std::string state = describe_state(ctx, f, g);
    if (!state.starts_with("still ")) state = "still " + state;  // not "still still Runnable"
    f.message = fmt::format(
        "{} outlived {}: {} later it is {}, and no cancellation ever reached it (it does not watch the "
        "cancelled context)",
        go_name(ctx, g), who, format_duration(ctx.m.trace_end - since), state);
    add_goroutine_locs(ctx, f, g);
    add_wave_locs(ctx, f, wave);
    f.group_key = fmt::format("{}|{}", wave.id, short_location(creation_location(ctx, g.creation_stack)));
    ctx.claimed.insert(g.id);
    out.push_back(std::move(f));
  }
}

}  // namespace ctxtrail::diagnose
