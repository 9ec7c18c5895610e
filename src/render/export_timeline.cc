#include "ctxtrail/model/naming.h"
#include "export_timeline.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <unordered_map>

namespace ctxtrail::render {

std::string state_label(trace::GoState state, std::string_view reason) {
  switch (state) {
    case trace::GoState::Running: return "running";
    case trace::GoState::Runnable: return "runnable";
    case trace::GoState::Syscall: return "syscall";
    case trace::GoState::Waiting:
      return reason.empty() ? std::string("waiting") : "waiting: " + std::string(reason);
    default: return std::string(trace::to_string(state));
  }
}

Timeline build_timeline(const RenderInput& in, const ExportOptions& options) {
  const model::Model& m = in.model;
  Timeline t;
  t.duration = m.trace_end - m.trace_begin;
  auto rel = [&](int64_t time) { return time - m.trace_begin; };

  std::map<std::string, size_t> group_index;
  std::unordered_map<trace::GoID, size_t> row_of;
  t.group_of.resize(m.goroutines.size());
  for (size_t i = 0; i < m.goroutines.size(); ++i) {
    const model::Goroutine& g = m.goroutines[i];
    row_of[g.id] = i;
    std::string fn = model::start_function(g, in.frames);
    auto [it, inserted] = group_index.try_emplace(fn, t.groups.size());
    if (inserted) t.groups.push_back({fn, {}});
    t.groups[it->second].rows.push_back(i);
    t.group_of[i] = it->second;
  }

  uint64_t next_flow = 1;
  std::unordered_map<uint64_t, const std::string*> name_of;           // (reason, state)
  std::unordered_map<trace::StackID, const std::string*> stack_of;
  for (const model::Interval& iv : m.intervals) {
    auto it = row_of.find(iv.g);
    if (it == row_of.end()) continue;
    if (iv.state == trace::GoState::NotExist || iv.state == trace::GoState::Undetermined) continue;
    TimelineSlice s;
    s.row = it->second;
    s.begin = rel(iv.begin);
    s.end = iv.end < 0 ? t.duration : rel(iv.end);
    const uint64_t name_key = (static_cast<uint64_t>(iv.reason) << 8) | static_cast<uint64_t>(iv.state);
    auto [nit, new_name] = name_of.try_emplace(name_key, nullptr);
    if (new_name) nit->second = &*t.strings.insert(state_label(iv.state, in.frames.str(iv.reason))).first;
    s.name = nit->second;
    auto [sit, new_stack] = stack_of.try_emplace(iv.stack, nullptr);
    if (new_stack) {
      std::string text;
      auto frames = in.frames.stacks().frames(iv.stack);
      for (size_t k = 0; k < frames.size() && k < 8; ++k) {
        if (k) text += '\n';
        text += in.frames.str(frames[k].func);
        text += " ";
        text += in.frames.str(frames[k].file);
        text += ':';
        text += std::to_string(frames[k].line);
      }
      sit->second = &*t.strings.insert(std::move(text)).first;
    }
    s.stack = sit->second;
    t.slices.push_back(std::move(s));
    if (iv.state == trace::GoState::Waiting && iv.waker != trace::kNoGoroutine && iv.end >= 0) {
      auto w = row_of.find(iv.waker);
      if (w == row_of.end()) continue;
      if (t.flows.size() >= options.max_wake_flows) {
        ++t.wake_flows_dropped;
        continue;
      }
      t.flows.push_back({TimelineFlow::Wake, 0, w->second, it->second, rel(iv.end), 0});
    }
  }
  for (size_t i = 0; i < m.goroutines.size(); ++i) {
    const model::Goroutine& g = m.goroutines[i];
    if (g.created_at < 0 || g.creator == trace::kNoGoroutine) continue;
    auto c = row_of.find(g.creator);
    if (c == row_of.end()) continue;
    t.flows.push_back({TimelineFlow::Spawn, 0, c->second, i, rel(g.created_at), 0});
  }
  for (const model::CancelWave& wave : m.waves) {
    auto c = row_of.find(wave.canceller);
    size_t crow = c == row_of.end() ? SIZE_MAX : c->second;
    std::string name = (wave.timer ? "deadline cancel #" : "cancel #") + std::to_string(wave.id);
    t.instants.push_back({crow, rel(wave.time), name, wave.id});
    if (crow == SIZE_MAX) continue;
    for (int32_t wi : wave.watchers) {
      const model::Watcher& wt = m.watchers[wi];
      auto r = row_of.find(wt.g);
      if (r == row_of.end()) continue;
      t.flows.push_back({TimelineFlow::Cancel, 0, crow, r->second, rel(wt.woken_at), wave.id});
    }
  }
  // A wake flow that duplicates a cancel flow (same goroutine woken at the same time) is
  // dropped: the cancel flow says more.
  std::sort(t.flows.begin(), t.flows.end(), [](const TimelineFlow& a, const TimelineFlow& b) {
    if (a.time != b.time) return a.time < b.time;
    if (a.to_row != b.to_row) return a.to_row < b.to_row;
    return a.kind > b.kind;
  });
  std::vector<TimelineFlow> kept;
  for (const TimelineFlow& f : t.flows) {
    if (!kept.empty() && kept.back().time == f.time && kept.back().to_row == f.to_row &&
        kept.back().from_row == f.from_row) {
      continue;
    }
    kept.push_back(f);
    kept.back().id = next_flow++;
  }
  t.flows = std::move(kept);

  for (const diagnose::Finding& f : in.findings) {
    std::string text;
    for (const diagnose::Location& l : f.locations) {
      if (!text.empty()) text += '\n';
      text += l.role + " " + model::long_location(l.where);
    }
    const std::string* locations = &*t.strings.insert(std::move(text)).first;
    const int64_t time = std::clamp<int64_t>(f.time_ns, 0, t.duration);
    size_t marked = 0;
    for (trace::GoID g : f.goroutines) {
      auto r = row_of.find(g);
      if (r == row_of.end()) continue;
      t.findings.push_back({r->second, time, &f, locations});
      if (++marked == kMaxFindingTracks) break;
    }
    if (marked == 0) t.findings.push_back({SIZE_MAX, time, &f, locations});
  }
  return t;
}

}  // namespace ctxtrail::render
