/// The spec table: one row per wire event type, as Go's tracev2 spec lists them.
#include "trace/spec.h"

namespace ctxtrail::trace::wire {
namespace {

using K = EventKind;

constexpr Spec row(std::string_view name, uint8_t nargs, K kind, int8_t stack = -1,
                   int8_t string = -1, uint8_t start = EvNone) {
  Spec s;
  s.name = name;
  s.nargs = nargs;
  s.timed = true;
  s.stack_arg = stack;
  s.string_arg = string;
  s.start_ev = start;
  s.kind = kind;
  return s;
}

constexpr Spec structural(std::string_view name) {
  Spec s;
  s.name = name;
  return s;
}

constexpr std::array<Spec, 256> make_specs() {
  std::array<Spec, 256> t{};
  t[EvEventBatch] = structural("EventBatch");
  t[EvStacks] = structural("Stacks");
  t[EvStack] = structural("Stack");
  t[EvStrings] = structural("Strings");
  t[EvString] = structural("String");
  t[EvCPUSamples] = structural("CPUSamples");
  t[EvCPUSample] = structural("CPUSample");
  t[EvCPUSample].kind = K::StackSample;
  t[EvFrequency] = structural("Frequency");
  t[EvExperimentalBatch] = structural("ExperimentalBatch");
  t[EvSync] = structural("Sync");
  t[EvEndOfGeneration] = structural("EndOfGeneration");

  t[EvProcsChange] = row("ProcsChange", 2, K::Metric, 1);
  t[EvProcStart] = row("ProcStart", 2, K::StateTransition);
  t[EvProcStop] = row("ProcStop", 0, K::StateTransition);
  t[EvProcSteal] = row("ProcSteal", 3, K::StateTransition);
  t[EvProcStatus] = row("ProcStatus", 2, K::StateTransition);
  t[EvGoCreate] = row("GoCreate", 3, K::StateTransition, 2);
  t[EvGoCreate].stack_arg2 = 1;
  t[EvGoCreateSyscall] = row("GoCreateSyscall", 1, K::StateTransition);
  t[EvGoStart] = row("GoStart", 2, K::StateTransition);
  t[EvGoDestroy] = row("GoDestroy", 0, K::StateTransition);
  t[EvGoDestroySyscall] = row("GoDestroySyscall", 0, K::StateTransition);
  t[EvGoStop] = row("GoStop", 2, K::StateTransition, 1, 0);
  t[EvGoBlock] = row("GoBlock", 2, K::StateTransition, 1, 0);
  t[EvGoUnblock] = row("GoUnblock", 3, K::StateTransition, 2);
  t[EvGoSyscallBegin] = row("GoSyscallBegin", 2, K::StateTransition, 1);
  t[EvGoSyscallEnd] = row("GoSyscallEnd", 0, K::StateTransition, -1, -1, EvGoSyscallBegin);
  t[EvGoSyscallEndBlocked] =
      row("GoSyscallEndBlocked", 0, K::StateTransition, -1, -1, EvGoSyscallBegin);
  t[EvGoStatus] = row("GoStatus", 3, K::StateTransition);
  t[EvSTWBegin] = row("STWBegin", 2, K::RangeBegin, 1, 0);
  t[EvSTWEnd] = row("STWEnd", 0, K::RangeEnd, -1, -1, EvSTWBegin);
  t[EvGCActive] = row("GCActive", 1, K::RangeActive, -1, -1, EvGCBegin);
  t[EvGCBegin] = row("GCBegin", 2, K::RangeBegin, 1);
  t[EvGCEnd] = row("GCEnd", 1, K::RangeEnd, -1, -1, EvGCBegin);
  t[EvGCSweepActive] = row("GCSweepActive", 1, K::RangeActive, -1, -1, EvGCSweepBegin);
  t[EvGCSweepBegin] = row("GCSweepBegin", 1, K::RangeBegin, 0);
  t[EvGCSweepEnd] = row("GCSweepEnd", 2, K::RangeEnd, -1, -1, EvGCSweepBegin);
  t[EvGCMarkAssistActive] =
      row("GCMarkAssistActive", 1, K::RangeActive, -1, -1, EvGCMarkAssistBegin);
  t[EvGCMarkAssistBegin] = row("GCMarkAssistBegin", 1, K::RangeBegin, 0);
  t[EvGCMarkAssistEnd] = row("GCMarkAssistEnd", 0, K::RangeEnd, -1, -1, EvGCMarkAssistBegin);
  t[EvHeapAlloc] = row("HeapAlloc", 1, K::Metric);
  t[EvHeapGoal] = row("HeapGoal", 1, K::Metric);
  t[EvGoLabel] = row("GoLabel", 1, K::Label, -1, 0);
  t[EvUserTaskBegin] = row("UserTaskBegin", 4, K::TaskBegin, 3, 2);
  t[EvUserTaskEnd] = row("UserTaskEnd", 2, K::TaskEnd, 1);
  t[EvUserRegionBegin] = row("UserRegionBegin", 3, K::RegionBegin, 2, 1);
  t[EvUserRegionEnd] = row("UserRegionEnd", 3, K::RegionEnd, 2, 1, EvUserRegionBegin);
  t[EvUserLog] = row("UserLog", 4, K::Log, 3, 1);
  t[EvUserLog].string_arg2 = 2;
  t[EvGoSwitch] = row("GoSwitch", 2, K::StateTransition);
  t[EvGoSwitchDestroy] = row("GoSwitchDestroy", 2, K::StateTransition);
  t[EvGoCreateBlocked] = row("GoCreateBlocked", 3, K::StateTransition, 2);
  t[EvGoCreateBlocked].stack_arg2 = 1;
  t[EvGoStatusStack] = row("GoStatusStack", 4, K::StateTransition, 3);
  t[EvClockSnapshot] = row("ClockSnapshot", 3, K::Bad);

  t[EvSpan] = row("Span", 3, K::Experimental);
  t[EvSpanAlloc] = row("SpanAlloc", 3, K::Experimental);
  t[EvSpanFree] = row("SpanFree", 1, K::Experimental);
  t[EvHeapObject] = row("HeapObject", 2, K::Experimental);
  t[EvHeapObjectAlloc] = row("HeapObjectAlloc", 2, K::Experimental);
  t[EvHeapObjectFree] = row("HeapObjectFree", 1, K::Experimental);
  t[EvGoroutineStack] = row("GoroutineStack", 2, K::Experimental);
  t[EvGoroutineStackAlloc] = row("GoroutineStackAlloc", 2, K::Experimental);
  t[EvGoroutineStackFree] = row("GoroutineStackFree", 1, K::Experimental);
  t[EvSyncSynthetic] = structural("Sync");
  t[EvSyncSynthetic].kind = K::Sync;
  return t;
}

}  // namespace

constinit const std::array<Spec, 256> kSpecs = make_specs();

constinit const std::array<uint8_t, 256> kTimedArgs = [] {
  const std::array<Spec, 256> specs = make_specs();
  std::array<uint8_t, 256> t{};
  for (size_t i = 0; i < t.size(); i++) t[i] = specs[i].timed ? specs[i].nargs : kNotTimed;
  return t;
}();

GoState go_state_of(uint64_t status) {
  switch (status) {
    case GoRunnable: return GoState::Runnable;
    case GoRunning: return GoState::Running;
    case GoSyscall: return GoState::Syscall;
    case GoWaiting: return GoState::Waiting;
    default: return GoState::Undetermined;
  }
}

ProcState proc_state_of(uint64_t status) {
  switch (status) {
    case ProcRunning:
    case ProcSyscall: return ProcState::Running;
    case ProcIdle:
    case ProcSyscallAbandoned: return ProcState::Idle;
    default: return ProcState::Undetermined;
  }
}

std::string_view go_status_name(uint64_t status) {
  switch (status) {
    case GoRunnable: return "Runnable";
    case GoRunning: return "Running";
    case GoSyscall: return "Syscall";
    case GoWaiting: return "Waiting";
    default: return "Bad";
  }
}

std::string_view proc_status_name(uint64_t status) {
  switch (status) {
    case ProcRunning: return "Running";
    case ProcIdle: return "Idle";
    case ProcSyscall: return "Syscall";
    default: return "Bad";
  }
}

}  // namespace ctxtrail::trace::wire
