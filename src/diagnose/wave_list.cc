/// A wave's summary, worked out from the model's wave and watchers when read.
#include "ctxtrail/diagnose/wave_list.h"

#include <algorithm>

namespace ctxtrail::diagnose {

WaveSummaries WaveSummaries::from_model(const model::Model& m, WaveTables tables) {
  auto source = std::make_shared<Source>();
  source->waves = m.waves;
  source->trace_begin = m.trace_begin;
  source->tables = std::move(tables);
  WaveSummaries list;
  list.source_ = std::move(source);
  return list;
}

void WaveSummaries::store_all() {
  if (!source_) return;
  std::vector<WaveSummary> all;
  all.reserve(size());
  for (size_t i = 0; i < size(); ++i) all.push_back(source_->summary(i));
  stored_ = std::move(all);
  source_.reset();
}

WaveSummary WaveSummaries::Source::summary(size_t i) const {
  const model::CancelWave& w = waves[i];
  WaveSummary s;
  s.id = w.id;
  s.time_ns = w.time - trace_begin;
  s.site = tables.site[i];
  s.timer = w.timer;
  s.canceller = w.canceller;
  s.parent = w.parent == model::kNone ? 0 : w.parent + 1;
  if (!tables.context.empty()) s.context = tables.context[i];
  s.woken_first = tables.woken_first[i];
  s.woken_count = static_cast<uint32_t>(w.watchers.size());
  if (tables.ended_within[i] >= 0) s.ended_within_ns = tables.ended_within[i];
  const auto& alive = tables.not_ended;
  auto it = std::lower_bound(alive.begin(), alive.end(), std::pair<uint32_t, uint32_t>(static_cast<uint32_t>(i), 0));
  if (it != alive.end() && it->first == i) s.not_ended = it->second;
  return s;
}

}  // namespace ctxtrail::diagnose
