/// One event of a Go execution trace in its global order, as Go's parser
/// (golang.org/x/exp/trace) yields it, plus the names of its kinds and states.
#pragma once

#include <cstdint>
#include <string_view>

namespace ctxtrail::trace {

using GoID = int64_t;      // goroutine ID
using ProcID = int64_t;    // P ID
using ThreadID = int64_t;  // M: the OS thread ID
using TaskID = uint64_t;   // runtime/trace task ID

inline constexpr GoID kNoGoroutine = -1;
inline constexpr ProcID kNoProc = -1;
inline constexpr ThreadID kNoThread = -1;
inline constexpr TaskID kNoTask = ~uint64_t{0};
inline constexpr TaskID kBackgroundTask = 0;

/// Index into the reader's StringTable; 0 is the empty string. IDs are global to the
/// whole trace (the per-generation wire IDs are interned), so equal IDs mean equal strings.
using StringID = uint32_t;
/// Index into the reader's StackTable; 0 is "no stack". Global and deduplicated:
/// equal stacks (same frames) anywhere in the trace have the same ID.
using StackID = uint32_t;

/// Go's trace.EventKind, same order and names (EventKind.String()).
enum class EventKind : uint8_t {
  Bad,
  Sync,
  Metric,
  Label,
  StackSample,
  RangeBegin,
  RangeActive,
  RangeEnd,
  TaskBegin,
  TaskEnd,
  RegionBegin,
  RegionEnd,
  Log,
  StateTransition,
  Experimental,
};
inline constexpr int kNumEventKinds = 15;

/// Go's trace.GoState, same order and names.
enum class GoState : uint8_t { Undetermined, NotExist, Runnable, Running, Waiting, Syscall };
/// Go's trace.ProcState, same order and names.
enum class ProcState : uint8_t { Undetermined, NotExist, Running, Idle };
/// Go's trace.ResourceKind.
enum class ResourceKind : uint8_t { None, Goroutine, Proc, Thread };

std::string_view to_string(EventKind kind);
std::string_view to_string(GoState state);
std::string_view to_string(ProcState state);
std::string_view to_string(ResourceKind kind);

/// A fully ordered event. Which fields mean something depends on `kind`; the rest are zero.
/// Plain data: 96 bytes, cheap to copy, safe to keep after the reader moves on (strings and
/// stacks are IDs into tables that only grow). The fields are laid out for the reader, which
/// writes tens of millions of these a second: those every state transition sets come first,
/// the small ones share one word, and those a transition leaves zero sit together at the end.
struct Event {
  int64_t time = 0;          // nanoseconds, strictly increasing as in Go's Reader
  GoID g = kNoGoroutine;     // the goroutine running on this M when the event happened
  ProcID p = kNoProc;        // the P held by this M
  ThreadID m = kNoThread;    // the M (OS thread) that wrote the event

  // StateTransition: which resource changed, from what to what, why. For goroutines
  // `from`/`to` are GoState values; for procs ProcState values. Label: `resource` is
  // Goroutine and `resource_id` the labelled goroutine.
  int64_t resource_id = 0;
  StackID stack = 0;              // Go's Event.Stack(): the stack of whoever did this
  StackID transition_stack = 0;   // StateTransition.Stack: for GoCreate the new goroutine's
                                  // start stack; for status events the goroutine's stack
  StringID reason = 0;            // block/stop reason ("chan receive", "sleep", ...)
  EventKind kind = EventKind::Bad;
  uint8_t wire_type = 0;     // the wire event type (Ev* number of the format), for detail
  ResourceKind resource = ResourceKind::None;
  uint8_t from = 0;
  uint8_t to = 0;
  ResourceKind scope = ResourceKind::None;  // Range*: what the range is on (Goroutine, Proc, or None = global)

  // Range*, Task*, Region*, Log, Label, Metric, Sync, Experimental.
  StringID name = 0;    // range name, task/region type, log category, label, metric name,
                        // experimental event name
  StringID text = 0;    // log message
  uint64_t id = 0;      // task ID (Task*, Region*, Log); Sync: its N (1, 2, ...)
  uint64_t parent = 0;  // TaskBegin: parent task ID (kNoTask for none)
  uint64_t value = 0;   // Metric value; Range*: the scope's ID; Experimental: first argument

  GoState go_from() const { return static_cast<GoState>(from); }
  GoState go_to() const { return static_cast<GoState>(to); }
  ProcState proc_from() const { return static_cast<ProcState>(from); }
  ProcState proc_to() const { return static_cast<ProcState>(to); }
};

}  // namespace ctxtrail::trace
