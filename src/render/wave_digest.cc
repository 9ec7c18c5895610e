/// Picks the waves worth a line each; a million cancels that all went well are one line.
#include "render/wave_digest.h"

#include <algorithm>
#include <functional>
#include <set>
#include <unordered_map>

namespace ctxtrail::render {

WaveDigest digest_waves(const diagnose::Report& r, size_t max_shown) {
  WaveDigest d;
  std::set<int32_t> picked;  // wave IDs
  auto pick = [&](int32_t id) {
    if (picked.size() < max_shown && id >= 1 && static_cast<size_t>(id) <= r.waves.size()) picked.insert(id);
  };
  for (const diagnose::Finding& f : r.findings)
    for (int32_t id : f.waves) pick(id);
  // Three rankings, taken from in turn so that each kind of "telling" gets its share. Each
  // keeps its best max_shown as it goes (a heap whose top is the worst kept), not each of a
  // million waves.
  using Key = std::function<bool(const diagnose::WaveSummary&, const diagnose::WaveSummary&)>;
  struct Ranking {
    Key before;
    std::vector<diagnose::WaveSummary> best;
    bool better(const diagnose::WaveSummary& a, const diagnose::WaveSummary& b) const {
      return before(a, b) || (!before(b, a) && a.id < b.id);
    }
    void offer(const diagnose::WaveSummary& w, size_t keep) {
      auto worse_on_top = [this](const auto& a, const auto& b) { return better(a, b); };
      if (best.size() < keep) {
        best.push_back(w);
        std::push_heap(best.begin(), best.end(), worse_on_top);
      } else if (keep > 0 && better(w, best.front())) {
        std::pop_heap(best.begin(), best.end(), worse_on_top);
        best.back() = w;
        std::push_heap(best.begin(), best.end(), worse_on_top);
      }
    }
    void finish() {
      std::sort(best.begin(), best.end(), [this](const auto& a, const auto& b) { return better(a, b); });
    }
  };
  Ranking by_alive{[](const auto& a, const auto& b) { return a.not_ended > b.not_ended; }, {}};
  Ranking by_slow{[](const auto& a, const auto& b) { return *a.ended_within_ns > *b.ended_within_ns; }, {}};
  Ranking by_woken{[](const auto& a, const auto& b) { return a.woken_count > b.woken_count; }, {}};
  // One pass: each summary is worked out from the model as it is read.
  std::unordered_map<uint32_t, size_t> row_of_site;
  for (const diagnose::WaveSummary& w : r.waves) {
    if (w.not_ended > 0) by_alive.offer(w, max_shown);
    if (w.ended_within_ns) by_slow.offer(w, max_shown);
    by_woken.offer(w, max_shown);
    auto [it, inserted] = row_of_site.try_emplace(w.site, d.sites.size());
    if (inserted) {
      d.sites.emplace_back();
      d.sites.back().site = w.site;
    }
    SiteTotals& t = d.sites[it->second];
    ++t.waves;
    if (w.timer) ++t.timer_waves;
    t.woken += w.woken_count;
    t.not_ended += w.not_ended;
    if (w.ended_within_ns && (!t.slowest_ns || *w.ended_within_ns > *t.slowest_ns)) t.slowest_ns = w.ended_within_ns;
  }
  for (Ranking* ranking : {&by_alive, &by_slow, &by_woken}) ranking->finish();
  for (size_t i = 0; picked.size() < max_shown && i < max_shown; ++i)
    for (const Ranking* ranking : {&by_alive, &by_slow, &by_woken})
      if (i < ranking->best.size()) pick(ranking->best[i].id);
  for (int32_t id : picked) d.shown.push_back(r.waves[static_cast<size_t>(id - 1)]);

  std::stable_sort(d.sites.begin(), d.sites.end(), [](const SiteTotals& a, const SiteTotals& b) { return a.waves > b.waves; });
  return d;
}

}  // namespace ctxtrail::render
