/// Goroutines of one snapshot grouped the way an engineer reads a dump of thousands: those
/// parked at the same operation, on the same stack, started from the same line are one group,
/// with how many there are and how long the longest has waited. The unit of the dump-alone
/// findings and of `ctxtrail diff`.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ctxtrail/snapshot/snapshot.h"

namespace ctxtrail::snapshot {

struct StackGroup {
  /// Index into Snapshot::goroutines of the group's first member: its state, frames and
  /// created_by are the group's (every member has the same).
  size_t first = 0;
  uint64_t count = 0;               // goroutines (a profile record counts its `count`)
  uint64_t leaked = 0;              // of them, marked leaked
  int64_t longest_wait_minutes = 0;
  int64_t shortest_wait_minutes = 0;
  std::vector<int64_t> ids;         // member goroutine IDs in input order (dumps); empty for profiles
};

/// Groups by (state, frames' function/file/line, created_by's function/file/line). Argument
/// offsets and goroutine IDs do not split a group. Sorted by count, largest first, then by input
/// order of first appearance.
std::vector<StackGroup> group_by_stack(const Snapshot& snapshot);

/// The key group_by_stack uses, as text: equal keys, same group. For matching groups across two
/// snapshots of one process (`ctxtrail diff`).
std::string stack_key(const Goroutine& g);

}  // namespace ctxtrail::snapshot
