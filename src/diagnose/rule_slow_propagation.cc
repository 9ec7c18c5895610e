/// slow-propagation: a cancellation took more than --slow-propagation from the cancel call to
/// its last woken watcher, counting the cancel calls it caused in turn (AfterFunc, watchers
/// that cancel their own contexts, the context package's propagation goroutines).
#include <fmt/format.h>

#include "diagnose/describe.h"
#include "diagnose/rule_checks.h"

namespace ctxtrail::diagnose {

void check_slow_propagation(RuleContext& ctx, std::vector<Finding>& out) {
  const auto& waves = ctx.m.waves;
  // A relay counts when the relaying goroutine cancelled within --grace of being cancelled.
  auto parent_of = [&](int32_t w) {
    return waves[w].parent_gap <= ctx.options.grace_ns ? waves[w].parent : model::kNone;
  };
  auto root_of = [&](int32_t w) {
    for (int guard = 0; parent_of(w) != model::kNone && guard < 64; ++guard) w = parent_of(w);
    return w;
  };
  // Per root: the wave holding the latest wake of the cascade.
  std::vector<int32_t> last_wave(waves.size(), model::kNone);
  for (size_t i = 0; i < waves.size(); ++i) {
    int32_t r = root_of(static_cast<int32_t>(i));
    if (last_wave[r] == model::kNone || waves[i].last_wake > waves[last_wave[r]].last_wake)
      last_wave[r] = static_cast<int32_t>(i);
  }
  for (size_t r = 0; r < waves.size(); ++r) {
    if (last_wave[r] == model::kNone) continue;
    const model::CancelWave& root = waves[r];
    const model::CancelWave& last = waves[last_wave[r]];
    int64_t took = last.last_wake - root.time;
    if (took <= ctx.options.slow_propagation_ns) continue;
    Finding f;
    f.time_ns = rel(ctx, root.time);
    // The chain from the root to the wave with the last wake.
    std::vector<int32_t> chain;
    for (int32_t w = last_wave[r]; w != model::kNone && chain.size() < 64; w = parent_of(w))
      chain.insert(chain.begin(), w);
    std::string hops;
    for (size_t i = 1; i < chain.size(); ++i) {
      const model::CancelWave& w = waves[chain[i]];
      const model::Goroutine* k = ctx.m.find(w.canceller);
      hops += fmt::format("; {} cancelled again at {} after {}", k ? go_name(ctx, *k) : "?",
                          short_location(cancel_location(ctx, w)), format_duration(w.time - root.time));
      f.locations.push_back(Location{std::string(role::kCancel), cancel_location(ctx, w)});
      if (k != nullptr) f.goroutines.push_back(k->id);
    }
    std::optional<model::Watcher> lw;
    for (int32_t wx : last.watchers)
      if (model::Watcher w = ctx.m.watchers[wx]; w.woken_at == last.last_wake) lw = w;
    const model::Goroutine* lg = lw ? ctx.m.find(lw->g) : nullptr;
    f.message = fmt::format("{} took {} to reach its last watcher{} (slow above {}){}",
                            describe_wave(ctx, root), format_duration(took),
                            lg ? fmt::format(" {}", go_name(ctx, *lg)) : std::string(),
                            format_duration(ctx.options.slow_propagation_ns), hops);
    f.locations.insert(f.locations.begin(), Location{std::string(role::kCancel), cancel_location(ctx, root)});
    if (lw.has_value()) add_loc(ctx, f, role::kBlock, lw->wait_stack);
    if (lg != nullptr) f.goroutines.push_back(lg->id);
    for (int32_t w : chain) f.waves.push_back(waves[w].id);
    f.group_key = fmt::format("{}", root.id);
    out.push_back(std::move(f));
  }
}

}  // namespace ctxtrail::diagnose
