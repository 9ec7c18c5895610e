/// diff_snapshots: one count per key in each snapshot, then the changes sorted.
#include "ctxtrail/snapshot/diff.h"

#include <algorithm>
#include <unordered_map>

namespace ctxtrail::snapshot {

std::string diff_key(const Goroutine& g) {
  std::string key;
  bool below_runtime = false;
  for (const Frame& f : g.frames) {
    below_runtime = below_runtime || (!f.function.starts_with("runtime.") && !f.function.starts_with("internal/"));
    if (!below_runtime) continue;
    key += f.function;
    key += ':';
    key += std::to_string(f.line);
    key += '\n';
  }
  return key;
}

std::vector<StackChange> diff_snapshots(const Snapshot& before, const Snapshot& after) {
  std::vector<StackChange> changes;
  std::unordered_map<std::string, size_t> at;
  auto count = [&](const Snapshot& s, bool later) {
    for (const Goroutine& g : s.goroutines) {
      std::string key = diff_key(g);
      auto [it, fresh] = at.try_emplace(key, changes.size());
      if (fresh) changes.push_back(StackChange{std::move(key), &g, 0, 0});
      StackChange& c = changes[it->second];
      (later ? c.after : c.before) += g.count;
      if (later && c.after == g.count) c.example = &g;  // the later snapshot's own record
    }
  };
  count(before, false);
  count(after, true);
  std::stable_sort(changes.begin(), changes.end(), [](const StackChange& a, const StackChange& b) {
    if (a.growth() != b.growth()) return a.growth() > b.growth();
    return a.after > b.after;
  });
  return changes;
}

}  // namespace ctxtrail::snapshot
