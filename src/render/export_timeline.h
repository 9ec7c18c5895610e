/// What the Perfetto and Chrome JSON exporters share: goroutine groups, state slices and the
/// flows (spawn, wake, cancel) between goroutines, in trace-relative nanoseconds.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_set>
#include <vector>

#include "ctxtrail/render/export_formats.h"

namespace ctxtrail::render {

struct TimelineGroup {
  std::string function;
  std::vector<size_t> rows;  // indexes into model.goroutines
};

struct TimelineSlice {
  size_t row = 0;
  int64_t begin = 0;
  int64_t end = 0;
  const std::string* name = nullptr;   // in Timeline::strings
  const std::string* stack = nullptr;  // top frames of the blocking / syscall stack, one per
                                       // line ("" none); in Timeline::strings
};

struct TimelineFlow {
  enum Kind : uint8_t { Spawn, Wake, Cancel } kind = Spawn;
  uint64_t id = 0;       // unique, from 1
  size_t from_row = 0;
  size_t to_row = 0;
  int64_t time = 0;      // the flow starts and ends at the same instant
  int32_t wave = 0;      // cancel flows: wave id
};

struct TimelineInstant {
  size_t row = 0;        // SIZE_MAX: global (no canceller goroutine, e.g. a deadline timer)
  int64_t time = 0;
  std::string name;
  int32_t wave = 0;
};

/// A finding, drawn on the track of each goroutine it names at the finding's time: what opening
/// the trace in Perfetto should still say. Findings that name no goroutine of the trace (from a
/// goroutine dump) are drawn on the program's track (row SIZE_MAX).
struct TimelineFinding {
  size_t row = SIZE_MAX;
  int64_t time = 0;
  const diagnose::Finding* finding = nullptr;
  const std::string* locations = nullptr;  // "role file:line (function)" per line; in Timeline::strings
};

/// At most this many goroutines of one finding get its mark (a leak finding can group
/// thousands): the rest are counted in its "goroutines" argument.
inline constexpr size_t kMaxFindingTracks = 100;

struct Timeline {
  /// Slice names and stacks, each written once: a million slices share a few hundred.
  std::unordered_set<std::string> strings;
  std::vector<TimelineGroup> groups;
  std::vector<size_t> group_of;  // per row
  std::vector<TimelineSlice> slices;
  std::vector<TimelineFlow> flows;
  std::vector<TimelineInstant> instants;
  std::vector<TimelineFinding> findings;  // in the order of RenderInput::findings
  int64_t duration = 0;
  size_t wake_flows_dropped = 0;
};

Timeline build_timeline(const RenderInput& in, const ExportOptions& options);

}  // namespace ctxtrail::render
