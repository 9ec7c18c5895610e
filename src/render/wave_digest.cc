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
  // Three rankings, taken from in turn so that each kind of "telling" gets its share.
  using Key = std::function<bool(const diagnose::WaveSummary&, const diagnose::WaveSummary&)>;
  std::vector<const diagnose::WaveSummary*> by_alive, by_slow, by_woken;
  for (const diagnose::WaveSummary& w : r.waves) {
    if (w.not_ended > 0) by_alive.push_back(&w);
    if (w.ended_within_ns) by_slow.push_back(&w);
    by_woken.push_back(&w);
  }
  auto top = [&](std::vector<const diagnose::WaveSummary*>& v, const Key& before) {
    const size_t n = std::min(v.size(), max_shown);
    std::partial_sort(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(n), v.end(),
                      [&](const auto* a, const auto* b) { return before(*a, *b) || (!before(*b, *a) && a->id < b->id); });
    v.resize(n);
  };
  top(by_alive, [](const auto& a, const auto& b) { return a.not_ended > b.not_ended; });
  top(by_slow, [](const auto& a, const auto& b) { return *a.ended_within_ns > *b.ended_within_ns; });
  top(by_woken, [](const auto& a, const auto& b) { return a.woken_count > b.woken_count; });
  for (size_t i = 0; picked.size() < max_shown && i < max_shown; ++i)
    for (const auto* list : {&by_alive, &by_slow, &by_woken})
      if (i < list->size()) pick((*list)[i]->id);
  for (int32_t id : picked) d.shown.push_back(&r.waves[static_cast<size_t>(id - 1)]);

  std::unordered_map<uint32_t, size_t> row_of_site;
  for (const diagnose::WaveSummary& w : r.waves) {
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
  std::stable_sort(d.sites.begin(), d.sites.end(), [](const SiteTotals& a, const SiteTotals& b) { return a.waves > b.waves; });
  return d;
}

}  // namespace ctxtrail::render
