/// Names of event kinds, states and resources, spelled as Go's trace package spells them.
#include <array>

#include "ctxtrail/trace/event.h"

namespace ctxtrail::trace {

std::string_view to_string(EventKind kind) {
  static constexpr std::array<std::string_view, kNumEventKinds> kNames = {
      "Bad",        "Sync",       "Metric",       "Label",       "StackSample",
      "RangeBegin", "RangeActive", "RangeEnd",    "TaskBegin",   "TaskEnd",
      "RegionBegin", "RegionEnd", "Log",          "StateTransition", "Experimental"};
  auto i = static_cast<size_t>(kind);
  return i < kNames.size() ? kNames[i] : "Bad";
}

std::string_view to_string(GoState state) {
  static constexpr std::array<std::string_view, 6> kNames = {
      "Undetermined", "NotExist", "Runnable", "Running", "Waiting", "Syscall"};
  auto i = static_cast<size_t>(state);
  return i < kNames.size() ? kNames[i] : "Bad";
}

std::string_view to_string(ProcState state) {
  static constexpr std::array<std::string_view, 4> kNames = {"Undetermined", "NotExist", "Running",
                                                             "Idle"};
  auto i = static_cast<size_t>(state);
  return i < kNames.size() ? kNames[i] : "Bad";
}

std::string_view to_string(ResourceKind kind) {
  static constexpr std::array<std::string_view, 4> kNames = {"None", "Goroutine", "Proc", "Thread"};
  auto i = static_cast<size_t>(kind);
  return i < kNames.size() ? kNames[i] : "Bad";
}

}  // namespace ctxtrail::trace
