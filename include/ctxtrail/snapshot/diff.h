/// Two snapshots of one process taken at different times, compared stack by stack: which
/// stacks gained goroutines, and how many (`ctxtrail diff`, the goroutine-growth rule).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ctxtrail/snapshot/snapshot.h"

namespace ctxtrail::snapshot {

struct StackChange {
  std::string key;                   // diff_key of the stack
  const Goroutine* example = nullptr;  // a goroutine with this stack, from the later snapshot when it has one
  uint64_t before = 0;
  uint64_t after = 0;
  int64_t growth() const { return static_cast<int64_t>(after) - static_cast<int64_t>(before); }
};

/// The key stacks are matched by across snapshots: the frames below the runtime's, as function
/// and line. Wait reasons, argument values, goroutine IDs and creators are left out, so that a
/// dump and a profile of the same code agree.
std::string diff_key(const Goroutine& g);

/// Every stack of `before` or `after`, largest growth first (then largest `after`, then the
/// order of first appearance).
std::vector<StackChange> diff_snapshots(const Snapshot& before, const Snapshot& after);

}  // namespace ctxtrail::snapshot
