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
  r.waves.reserve(m.waves.size());
  r.woken.reserve(m.watchers.size());
  SiteTable sites(r.wave_sites);
  // A wave whose cancelling stack has a user frame is located by that stack alone.
  std::unordered_map<trace::StackID, uint32_t> site_of_stack;
  std::unordered_map<uint64_t, int32_t> context_index;  // context id -> r.wave_contexts
  for (const model::CancelWave& w : m.waves) {
    WaveSummary s;
    s.id = w.id;
    s.time_ns = w.time - m.trace_begin;
    if (auto it = site_of_stack.find(w.stack); it != site_of_stack.end()) {
      s.site = it->second;
    } else {
      model::SourceLoc loc = ctx.frames.top_user_location(w.stack);
      const bool by_stack = !loc.empty();
      s.site = sites.intern(by_stack ? std::move(loc) : cancel_location(ctx, w));
      if (by_stack) site_of_stack.emplace(w.stack, s.site);
    }
    s.timer = w.timer;
    s.canceller = w.canceller;
    s.parent = w.parent == model::kNone ? 0 : w.parent + 1;
    if (const model::Context* c = context_of_wave(ctx, w)) {
      auto [it, inserted] = context_index.try_emplace(c->id, static_cast<int32_t>(r.wave_contexts.size()));
      if (inserted) r.wave_contexts.push_back({describe_context(*c), c->id, c->site});
      s.context = it->second;
    }
    s.woken_first = static_cast<uint32_t>(r.woken.size());
    bool all_ended = true;
    int64_t last = w.time;
    for (int32_t wx : w.watchers) {
      const model::Watcher& wt = m.watchers[wx];
      r.woken.push_back(wt.g);
      if (wt.ended_at < 0) {
        // Not ended after this wave: alive at the end, or woken again by a later cancel before it
        // ended (a worker woken once per request): only the first is "not ended".
        all_ended = false;
        const model::Goroutine* g = m.find(wt.g);
        if (g == nullptr || g->ended_at < 0) ++s.not_ended;
      }
      last = std::max(last, wt.ended_at);
    }
    s.woken_count = static_cast<uint32_t>(w.watchers.size());
    if (all_ended && !w.watchers.empty()) s.ended_within_ns = last - w.time;
    r.waves.push_back(s);
  }
}

}  // namespace ctxtrail::diagnose
