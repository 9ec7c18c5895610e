/// Joining snapshots to the model: by goroutine ID (dumps), else by blocking stack (profiles).
#include "ctxtrail/model/snapshot_join.h"

#include <algorithm>
#include <unordered_map>

#include <fmt/format.h>

namespace ctxtrail::model {

namespace {

// The frames the runtime and sync add on top of a parked goroutine (gopark, semacquire1,
// internal/sync.(*Mutex).lockSlow, ...) differ between a trace's stacks and a profile's: the
// key starts at the first user frame (model/frames.h), where both agree.
constexpr size_t kKeyFrames = 6;

bool runtime_frame(std::string_view func) { return is_plumbing_package(package_of(func)); }

}  // namespace

std::string snapshot_stack_key(const snapshot::Goroutine& g) {
  std::string key;
  size_t n = 0;
  for (const snapshot::Frame& f : g.frames) {
    if (n == 0 && runtime_frame(f.function)) continue;
    key += fmt::format("{}:{};", f.function, f.line);
    if (++n == kKeyFrames) break;
  }
  return key;
}

std::string trace_stack_key(FrameClassifier& frames, trace::StackID stack) {
  std::string key;
  size_t n = 0;
  for (const trace::Frame& f : frames.stacks().frames(stack)) {
    std::string_view func = frames.str(f.func);
    if (n == 0 && runtime_frame(func)) continue;
    key += fmt::format("{}:{};", func, f.line);
    if (++n == kKeyFrames) break;
  }
  return key;
}

namespace {

void join_records(Model& m, FrameClassifier& frames, const snapshot::Snapshot& s) {
  SnapshotJoin& out = m.snapshots;
  // Profiles have no IDs: their leaked records are summed by stack key, and matched against
  // the model's goroutines alive and parked at the trace's end with the same key.
  std::vector<std::string> keys;  // in first-seen order, for a stable output
  std::unordered_map<std::string, std::pair<uint64_t, const snapshot::Goroutine*>> leaked_by_key;
  for (const snapshot::Goroutine& g : s.goroutines) {
    Goroutine* found = nullptr;
    if (g.id >= 0) {
      if (const uint32_t i = m.index.find(static_cast<GoID>(g.id)); i != trace::IdIndex::kNone) {
        found = &m.goroutines[i];
        ++out.matched_by_id;
      } else {
        ++out.ids_not_in_trace;
      }
    }
    if (!g.leaked) continue;
    out.leaked += g.count;
    if (g.id >= 0) {
      if (found != nullptr && found->ended_at < 0) {
        if (!found->proven_leaked) ++out.leaked_in_trace;  // not when an earlier dump proved it
        found->proven_leaked = true;
        out.leaked_records.try_emplace(found->id, &g);
      } else {
        out.unjoined.push_back(SnapshotLeak{&g, 1, &s, {}});
      }
      continue;
    }
    std::string key = snapshot_stack_key(g);
    auto [it, added] = leaked_by_key.try_emplace(key, 0, &g);
    if (added) keys.push_back(key);
    it->second.first += g.count;
  }
  if (keys.empty()) return;
  std::unordered_map<std::string, std::vector<Goroutine*>> parked_by_key;
  // Goroutines an earlier snapshot (a dump's "(leaked)" marks, by ID) already proved at this
  // stack: the same leaks counted again by a profile of the same moment, not more of them.
  std::unordered_map<std::string, uint64_t> proven_by_key;
  for (Goroutine& g : m.goroutines)
    if (g.ended_at < 0 && g.state == GoState::Waiting && g.state_stack != 0) {
      std::string key = trace_stack_key(frames, g.state_stack);
      if (!leaked_by_key.count(key)) continue;
      if (g.proven_leaked) {
        ++proven_by_key[key];
      } else {
        parked_by_key[key].push_back(&g);
      }
    }
  // Leaks a dump holds by ID that the trace does not (started after it ended): the profile's
  // records of the same stack are those, not more (nor goroutines of the trace parked there).
  std::unordered_map<std::string, uint64_t> unjoined_by_key;
  for (const SnapshotLeak& leak : out.unjoined)
    if (leak.record->id >= 0) unjoined_by_key[snapshot_stack_key(*leak.record)] += leak.count;
  for (const std::string& key : keys) {
    auto& [count, record] = leaked_by_key[key];
    count -= std::min(count, proven_by_key[key]);
    count -= std::min(count, unjoined_by_key[key]);
    if (count == 0) continue;
    std::vector<Goroutine*>& parked = parked_by_key[key];
    if (parked.size() > count) {
      SnapshotLeak leak{record, count, &s, {}};
      for (const Goroutine* g : parked) leak.candidates.push_back(g->id);
      out.unjoined.push_back(std::move(leak));
      continue;
    }
    for (Goroutine* g : parked) g->proven_leaked = true;
    out.leaked_in_trace += parked.size();
    if (count > parked.size()) out.unjoined.push_back(SnapshotLeak{record, count - parked.size(), &s, {}});
  }
}

}  // namespace

void join_snapshot(Model& m, FrameClassifier& frames, const snapshot::Snapshot& s) {
  SnapshotJoin& out = m.snapshots;
  const size_t in_trace_before = out.leaked_in_trace;
  join_records(m, frames, s);
  out.joined.push_back(&s);
  out.leaked_in_trace_by_snapshot.push_back(out.leaked_in_trace - in_trace_before);
}

void join_snapshots(Model& m, FrameClassifier& frames, const std::vector<const snapshot::Snapshot*>& snapshots) {
  SnapshotJoin& out = m.snapshots;
  std::vector<size_t> in_trace(snapshots.size(), 0);
  for (bool with_ids : {true, false})
    for (size_t i = 0; i < snapshots.size(); ++i) {
      if ((snapshots[i]->kind == snapshot::Kind::Dump) != with_ids) continue;
      const size_t before = out.leaked_in_trace;
      join_records(m, frames, *snapshots[i]);
      in_trace[i] = out.leaked_in_trace - before;
    }
  for (size_t i = 0; i < snapshots.size(); ++i) {
    out.joined.push_back(snapshots[i]);
    out.leaked_in_trace_by_snapshot.push_back(in_trace[i]);
  }
}

}  // namespace ctxtrail::model
