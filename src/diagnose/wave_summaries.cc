/// One summary per wave, with each distinct cancel location stored once.
#include "diagnose/wave_summaries.h"

#include <unordered_map>

#include <fmt/format.h>

#include "diagnose/describe.h"
#include "diagnose/rule_context_common.h"

namespace ctxtrail::diagnose {
namespace {

// Interns cancel locations: most waves of a big trace share a handful of them.
class SiteTable {
 public:
  explicit SiteTable(std::vector<model::SourceLoc>& sites) : sites_(sites) {}
  uint32_t intern(model::SourceLoc loc) {
    std::string key = fmt::format("{}\n{}\n{}", loc.function, loc.file, loc.line);
    auto [it, inserted] = index_.try_emplace(std::move(key), static_cast<uint32_t>(sites_.size()));
    if (inserted) sites_.push_back(std::move(loc));
    return it->second;
  }

 private:
  std::vector<model::SourceLoc>& sites_;
  std::unordered_map<std::string, uint32_t> index_;
};

}  // namespace

void summarise_waves(const model::Model& m, RuleContext& ctx, Report& r) {
  WaveTables t;
  t.site.reserve(m.waves.size());
  t.woken_first.reserve(m.waves.size());
  t.ended_within.reserve(m.waves.size());
  r.woken.reserve(m.watchers.size());
  SiteTable sites(r.wave_sites);
  // A wave whose cancelling stack has a user frame is located by that stack alone.
  std::unordered_map<trace::StackID, uint32_t> site_of_stack;
  std::unordered_map<uint64_t, int32_t> context_index;  // context id -> r.wave_contexts
  for (size_t i = 0; i < m.waves.size(); ++i) {
    const model::CancelWave& w = m.waves[i];
    if (auto it = site_of_stack.find(w.stack); it != site_of_stack.end()) {
      t.site.push_back(it->second);
    } else {
      model::SourceLoc loc = ctx.frames.top_user_location(w.stack);
      const bool by_stack = !loc.empty();
      t.site.push_back(sites.intern(by_stack ? std::move(loc) : cancel_location(ctx, w)));
      if (by_stack) site_of_stack.emplace(w.stack, t.site.back());
    }
    if (const model::Context* c = context_of_wave(ctx, w)) {
      auto [it, inserted] = context_index.try_emplace(c->id, static_cast<int32_t>(r.wave_contexts.size()));
      if (inserted) r.wave_contexts.push_back({describe_context(*c), c->id, c->site});
      if (t.context.empty()) t.context.assign(m.waves.size(), -1);  // the first wave with one
      t.context[i] = it->second;
    }
    t.woken_first.push_back(static_cast<uint32_t>(r.woken.size()));
    uint32_t not_ended = 0;
    bool all_ended = true;
    int64_t last = w.time;
    for (int32_t wx : w.watchers) {
      const model::Watcher wt = m.watchers[wx];
      r.woken.push_back(wt.g);
      // Not ended after this wave and alive at the end: woken again by a later cancel before it
      // ended (a worker woken once per request) is not "not ended".
      if (wt.ended_at < 0) {
        all_ended = false;
        const model::Goroutine* g = m.find(wt.g);
        if (g == nullptr || g->ended_at < 0) ++not_ended;
      }
      last = std::max(last, wt.ended_at);
    }
    if (not_ended > 0) t.not_ended.emplace_back(static_cast<uint32_t>(i), not_ended);
    t.ended_within.push_back(all_ended && !w.watchers.empty() ? last - w.time : -1);
  }
  r.waves = WaveSummaries::from_model(m, std::move(t));
}

}  // namespace ctxtrail::diagnose
