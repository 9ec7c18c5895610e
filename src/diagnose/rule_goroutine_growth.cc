/// goroutine-growth: several dumps or profiles of one process, taken one after another (given
/// in that order), in which a stack gained at least --growth-count goroutines between each two.
/// Growth that persists across snapshots is how a slow leak looks from outside the process;
/// one jump is load, which is why every step must grow.
#include <unordered_map>

#include <fmt/format.h>

#include "ctxtrail/snapshot/diff.h"
#include "ctxtrail/snapshot/operation.h"
#include "diagnose/describe.h"
#include "diagnose/rule_checks.h"
#include "ctxtrail/model/snapshot_frames.h"

namespace ctxtrail::diagnose {

namespace {

constexpr double kNsPerMinute = 60e9;
// Two snapshots are one step: growth in it is a leak only over a span in which load alone would
// not explain it (capture's dump and profile, taken a fraction of a second apart, are not).
constexpr int64_t kOneStepSpanNs = 60'000'000'000;

std::string counts_text(const std::vector<uint64_t>& counts) {
  std::string s;
  for (size_t i = 0; i < counts.size(); ++i) s += (i == 0 ? "" : " → ") + std::to_string(counts[i]);
  return s;
}

}  // namespace

void check_goroutine_growth(RuleContext& ctx, std::vector<Finding>& out) {
  std::vector<const snapshot::Snapshot*> series;
  for (const snapshot::Snapshot* s : ctx.m.snapshots.joined)
    if (s->kind != snapshot::Kind::LeakProfile) series.push_back(s);
  if (series.size() < 2) return;
  if (series.size() == 2 && series.back()->taken_at_ns - series.front()->taken_at_ns < kOneStepSpanNs) return;
  // Per stack, its count in each snapshot; stacks that grew in the first step are the only
  // candidates, so one diff per step is enough.
  std::vector<std::vector<snapshot::StackChange>> steps;
  for (size_t i = 1; i < series.size(); ++i) steps.push_back(snapshot::diff_snapshots(*series[i - 1], *series[i]));
  std::vector<std::unordered_map<std::string, const snapshot::StackChange*>> by_key(steps.size());
  for (size_t i = 0; i < steps.size(); ++i)
    for (const snapshot::StackChange& c : steps[i]) by_key[i][c.key] = &c;
  const int64_t minimum = static_cast<int64_t>(ctx.options.growth_count);
  for (const snapshot::StackChange& first : steps.front()) {
    if (first.growth() < minimum) break;  // sorted by growth
    std::vector<uint64_t> counts = {first.before, first.after};
    const snapshot::StackChange* last = &first;
    bool every_step = true;
    for (size_t i = 1; i < steps.size() && every_step; ++i) {
      auto it = by_key[i].find(first.key);
      every_step = it != by_key[i].end() && it->second->growth() >= minimum;
      if (every_step) {
        counts.push_back(it->second->after);
        last = it->second;
      }
    }
    if (!every_step || last->example == nullptr) continue;
    const snapshot::Goroutine& g = *last->example;
    Finding f;
    f.severity = Severity::Warning;
    const snapshot::Frame* block = model::first_user_frame(g);
    // Parked only in the standard library (idle keep-alive connections in net.(*netFD).Read):
    // the program's own code is not where they pile up.
    if (block == nullptr || model::is_stdlib_package(model::package_of(block->function))) continue;
    const std::string_view op = snapshot::blocking_operation(g);
    std::string where = block != nullptr ? fmt::format(" at {} ({})", short_location(model::source_loc(*block)), block->function)
                                         : std::string();
    std::string rate;
    const int64_t span = series.back()->taken_at_ns - series.front()->taken_at_ns;
    const int64_t grown = static_cast<int64_t>(counts.back()) - static_cast<int64_t>(counts.front());
    if (series.front()->taken_at_ns > 0 && span > 0)
      rate = fmt::format(", {:.1f} more per minute over {} (by the files' times)", grown * kNsPerMinute / span,
                         format_duration(span));
    f.message = fmt::format("goroutines {}{} grew in every one of {} snapshots: {} (+{}{}); a stack that keeps "
                            "gaining goroutines is a leak unless the load grew as much",
                            op.empty() ? "parked" : "on " + std::string(op), where, series.size(),
                            counts_text(counts), grown, rate);
    // The goroutines of that stack in the last snapshot (dumps have IDs; profiles none).
    for (const snapshot::Goroutine& m : series.back()->goroutines)
      if (m.id >= 0 && snapshot::diff_key(m) == first.key) f.goroutines.push_back(static_cast<trace::GoID>(m.id));
    if (block != nullptr) f.locations.push_back(Location{std::string(role::kBlock), model::source_loc(*block)});
    if (!g.created_by.function.empty()) f.locations.push_back(Location{std::string(role::kCreation), model::source_loc(g.created_by)});
    for (const snapshot::Frame& fr : g.frames) f.block_stack.push_back(model::source_loc(fr));
    f.group_key = "growth|" + first.key;
    out.push_back(std::move(f));
  }
}

}  // namespace ctxtrail::diagnose
