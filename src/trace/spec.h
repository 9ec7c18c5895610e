/// The wire format's event types and their spec table (names, arguments, which arguments are
/// stack or string IDs, which kind of high-level event they become), as in Go's tracev2.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

#include "ctxtrail/trace/event.h"

namespace ctxtrail::trace::wire {

/// Header versions of the v2 format ("go 1.N trace").
enum Version : int { kGo122 = 22, kGo123 = 23, kGo125 = 25, kGo126 = 26 };

/// Wire event type numbers (Go's tracev2.Ev*).
enum Type : uint8_t {
  EvNone = 0,
  EvEventBatch = 1,
  EvStacks = 2,
  EvStack = 3,
  EvStrings = 4,
  EvString = 5,
  EvCPUSamples = 6,
  EvCPUSample = 7,
  EvFrequency = 8,
  EvProcsChange = 9,
  EvProcStart = 10,
  EvProcStop = 11,
  EvProcSteal = 12,
  EvProcStatus = 13,
  EvGoCreate = 14,
  EvGoCreateSyscall = 15,
  EvGoStart = 16,
  EvGoDestroy = 17,
  EvGoDestroySyscall = 18,
  EvGoStop = 19,
  EvGoBlock = 20,
  EvGoUnblock = 21,
  EvGoSyscallBegin = 22,
  EvGoSyscallEnd = 23,
  EvGoSyscallEndBlocked = 24,
  EvGoStatus = 25,
  EvSTWBegin = 26,
  EvSTWEnd = 27,
  EvGCActive = 28,
  EvGCBegin = 29,
  EvGCEnd = 30,
  EvGCSweepActive = 31,
  EvGCSweepBegin = 32,
  EvGCSweepEnd = 33,
  EvGCMarkAssistActive = 34,
  EvGCMarkAssistBegin = 35,
  EvGCMarkAssistEnd = 36,
  EvHeapAlloc = 37,
  EvHeapGoal = 38,
  EvGoLabel = 39,
  EvUserTaskBegin = 40,
  EvUserTaskEnd = 41,
  EvUserRegionBegin = 42,
  EvUserRegionEnd = 43,
  EvUserLog = 44,
  EvGoSwitch = 45,
  EvGoSwitchDestroy = 46,
  EvGoCreateBlocked = 47,
  EvGoStatusStack = 48,
  EvExperimentalBatch = 49,
  EvSync = 50,
  EvClockSnapshot = 51,
  EvEndOfGeneration = 52,
  // Experimental events (AllocFree experiment) live above MaxEvent = 127.
  EvSpan = 128,
  EvSpanAlloc = 129,
  EvSpanFree = 130,
  EvHeapObject = 131,
  EvHeapObjectAlloc = 132,
  EvHeapObjectFree = 133,
  EvGoroutineStack = 134,
  EvGoroutineStackAlloc = 135,
  EvGoroutineStackFree = 136,
  kNumSpecs = 137,
  // Not a wire type: the parser's own Sync event (Go's evSync = ^EventType(0)).
  EvSyncSynthetic = 255,
};

/// Go's tracev2.GoStatus and tracev2.ProcStatus numbers on the wire.
enum GoStatus : uint8_t { GoBad = 0, GoRunnable = 1, GoRunning = 2, GoSyscall = 3, GoWaiting = 4 };
enum ProcStatus : uint8_t {
  ProcBad = 0,
  ProcRunning = 1,
  ProcIdle = 2,
  ProcSyscall = 3,
  ProcSyscallAbandoned = 4,
};

inline constexpr uint64_t kMaxBatchSize = 64 << 10;
inline constexpr uint64_t kMaxFramesPerStack = 128;
inline constexpr uint64_t kMaxStringSize = 1 << 10;
/// Timed events carry the time delta plus at most four arguments.
inline constexpr int kMaxArgs = 4;

/// One row of the spec table. Argument indices count from the first argument after the time
/// delta; -1 means none.
struct Spec {
  std::string_view name;
  uint8_t nargs = 0;        // arguments after the time delta
  bool timed = false;       // an ordinary per-M event with a time delta
  int8_t stack_arg = -1;    // Event.Stack(): the first stack ID argument
  int8_t stack_arg2 = -1;   // a second stack ID argument (GoCreate's new goroutine stack)
  int8_t string_arg = -1;   // string ID arguments, validated per event
  int8_t string_arg2 = -1;
  uint8_t start_ev = EvNone;  // for *End/*Active events: the Begin event of the range
  EventKind kind = EventKind::Bad;
};

/// The spec table, indexed by wire type; rows of undefined types have an empty name.
extern const std::array<Spec, 256> kSpecs;
/// The argument count of each timed wire type, kNotTimed for the others: the decoder's one
/// lookup per event (one byte per type: the table is four cache lines).
inline constexpr uint8_t kNotTimed = 0xff;
extern const std::array<uint8_t, 256> kTimedArgs;
/// The spec of `type`.
inline const Spec& spec(uint8_t type) { return kSpecs[type]; }

/// Go's tracev2.GoStatus -> trace.GoState and ProcStatus -> ProcState (index 0 maps to
/// Undetermined, as Go's arrays do).
GoState go_state_of(uint64_t status);
ProcState proc_state_of(uint64_t status);
std::string_view go_status_name(uint64_t status);
std::string_view proc_status_name(uint64_t status);

}  // namespace ctxtrail::trace::wire
