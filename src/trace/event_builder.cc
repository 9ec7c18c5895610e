/// What each wire event means as a public Event (Go's Event.Kind/Stack/StateTransition/Range/
/// Task/Region/Log/Label/Metric/Experimental accessors).
#include "trace/event_builder.h"

#include <fmt/format.h>

namespace ctxtrail::trace {
namespace {

/// A stack ID that was validated (or is known valid): its global ID, 0 when absent.
StackID stack_of(const Generation& g, uint64_t wire_id) {
  uint32_t id = g.stacks.get(wire_id);
  return id == IdMap::kAbsent ? 0 : id;
}

StringID string_of(const Generation& g, uint64_t wire_id) {
  uint32_t id = g.strings.get(wire_id);
  return id == IdMap::kAbsent ? 0 : id;
}

void go_transition(Event& out, int64_t id, GoState from, GoState to) {
  out.resource = ResourceKind::Goroutine;
  out.resource_id = id;
  out.from = static_cast<uint8_t>(from);
  out.to = static_cast<uint8_t>(to);
}

void proc_transition(Event& out, int64_t id, ProcState from, ProcState to) {
  out.resource = ResourceKind::Proc;
  out.resource_id = id;
  out.from = static_cast<uint8_t>(from);
  out.to = static_cast<uint8_t>(to);
}

bool bad_id(const wire::Spec& spec, const char* what, uint64_t id, std::string* err) {
  *err = fmt::format("found invalid {} ID {} for event {}", what, id, spec.name);
  return false;
}

}  // namespace

EventBuilder::EventBuilder(InternedStrings& strings) : strings_(strings) {
  gc_mark_ = strings_.intern("GC concurrent mark phase");
  gc_sweep_ = strings_.intern("GC incremental sweep");
  gc_assist_ = strings_.intern("GC mark assist");
  metric_procs_ = strings_.intern("/sched/gomaxprocs:threads");
  metric_heap_alloc_ = strings_.intern("/memory/classes/heap/objects:bytes");
  metric_heap_goal_ = strings_.intern("/gc/heap/goal:bytes");
}

bool EventBuilder::build_sample(const CpuSample& s, const Generation& gen, Event& out, std::string* err) {
  // Go's parser does not check a sample's stack ID up front (and then fails when the stack is
  // looked at); a sample naming a stack the generation lacks is a broken trace.
  const uint32_t stack = gen.stacks.get(s.stack);
  if (stack == IdMap::kAbsent) {
    *err = fmt::format("found invalid stack ID {} for CPU sample", s.stack);
    return false;
  }
  reset_event(out, s.time, s.g, s.p, s.m, EventKind::StackSample, wire::EvCPUSample);
  out.stack = stack;
  return true;
}

bool EventBuilder::build(const QueuedEvent& q, const Generation& gen, Event& out, std::string* err) {
  const RawEvent& e = q.base;
  const wire::Spec& spec = wire::spec(e.type);
  // Every stack and string ID argument must exist in this generation's tables.
  uint32_t stack = 0;
  if (spec.stack_arg >= 0) {
    stack = gen.stacks.get(e.args[spec.stack_arg]);
    if (stack == IdMap::kAbsent) return bad_id(spec, "stack", e.args[spec.stack_arg], err);
  }
  if (spec.stack_arg2 >= 0 && !gen.stacks.contains(e.args[spec.stack_arg2])) {
    return bad_id(spec, "stack", e.args[spec.stack_arg2], err);
  }
  if (spec.string_arg >= 0 && !gen.strings.contains(e.args[spec.string_arg])) {
    return bad_id(spec, "string", e.args[spec.string_arg], err);
  }
  if (spec.string_arg2 >= 0 && !gen.strings.contains(e.args[spec.string_arg2])) {
    return bad_id(spec, "string", e.args[spec.string_arg2], err);
  }
  reset_event(out, e.time, q.ctx.g, q.ctx.p, q.ctx.m, spec.kind, e.type);
  out.stack = stack;
  switch (spec.kind) {
    case EventKind::StateTransition: fill_state_transition(q, gen, out); break;
    case EventKind::RangeBegin:
    case EventKind::RangeActive:
    case EventKind::RangeEnd: fill_range(q, gen, out); break;
    case EventKind::Metric:
      out.name = e.type == wire::EvProcsChange ? metric_procs_
                 : e.type == wire::EvHeapAlloc ? metric_heap_alloc_
                                               : metric_heap_goal_;
      out.value = e.args[0];
      break;
    case EventKind::Label:
      out.name = string_of(gen, e.args[0]);
      out.resource = ResourceKind::Goroutine;
      out.resource_id = q.ctx.g;
      break;
    case EventKind::TaskBegin:
      out.id = e.args[0];
      out.parent = e.args[1];
      out.name = string_of(gen, e.args[2]);
      break;
    case EventKind::TaskEnd:
      out.id = e.args[0];
      out.parent = e.args[2];
      out.name = static_cast<StringID>(e.args[3]);  // smuggled by the ordering, already global
      break;
    case EventKind::RegionBegin:
    case EventKind::RegionEnd:
      out.id = e.args[0];
      out.name = string_of(gen, e.args[1]);
      break;
    case EventKind::Log:
      out.id = e.args[0];
      out.name = string_of(gen, e.args[1]);
      out.text = string_of(gen, e.args[2]);
      break;
    case EventKind::Experimental:
      out.name = strings_.intern(spec.name);
      out.value = e.args[0];
      break;
    default: break;
  }
  return true;
}

void EventBuilder::fill_state_transition(const QueuedEvent& q, const Generation& gen, Event& out) {
  const RawEvent& e = q.base;
  const auto arg_g = static_cast<int64_t>(e.args[0]);
  switch (e.type) {
    case wire::EvProcStart:
      proc_transition(out, arg_g, ProcState::Idle, ProcState::Running);
      break;
    case wire::EvProcStop:
      proc_transition(out, q.ctx.p, ProcState::Running, ProcState::Idle);
      break;
    case wire::EvProcSteal:
      // After an abandoned syscall the P already counts as idle.
      proc_transition(out, arg_g,
                      e.args[3] == wire::ProcSyscallAbandoned ? ProcState::Idle : ProcState::Running,
                      ProcState::Idle);
      break;
    case wire::EvProcStatus:
      proc_transition(out, arg_g, static_cast<ProcState>(e.args[2]), wire::proc_state_of(e.args[1]));
      break;
    case wire::EvGoCreate:
    case wire::EvGoCreateBlocked:
      go_transition(out, arg_g, GoState::NotExist,
                    e.type == wire::EvGoCreateBlocked ? GoState::Waiting : GoState::Runnable);
      out.transition_stack = stack_of(gen, e.args[1]);
      break;
    case wire::EvGoCreateSyscall:
      go_transition(out, arg_g, GoState::NotExist, GoState::Syscall);
      break;
    case wire::EvGoStart:
      go_transition(out, arg_g, GoState::Runnable, GoState::Running);
      break;
    case wire::EvGoDestroy:
      go_transition(out, q.ctx.g, GoState::Running, GoState::NotExist);
      break;
    case wire::EvGoDestroySyscall:
      go_transition(out, q.ctx.g, GoState::Syscall, GoState::NotExist);
      break;
    case wire::EvGoStop:
    case wire::EvGoBlock:
      go_transition(out, q.ctx.g, GoState::Running,
                    e.type == wire::EvGoStop ? GoState::Runnable : GoState::Waiting);
      out.reason = string_of(gen, e.args[0]);
      out.transition_stack = out.stack;
      break;
    case wire::EvGoUnblock:
    case wire::EvGoSwitch:
    case wire::EvGoSwitchDestroy:
      go_transition(out, arg_g, GoState::Waiting, GoState::Runnable);
      break;
    case wire::EvGoSyscallBegin:
      go_transition(out, q.ctx.g, GoState::Running, GoState::Syscall);
      out.transition_stack = out.stack;
      break;
    case wire::EvGoSyscallEnd:
      go_transition(out, q.ctx.g, GoState::Syscall, GoState::Running);
      break;
    case wire::EvGoSyscallEndBlocked:
      go_transition(out, q.ctx.g, GoState::Syscall, GoState::Runnable);
      break;
    case wire::EvGoStatus:
    case wire::EvGoStatusStack:
      go_transition(out, arg_g, static_cast<GoState>(e.args[2] >> 32),
                    wire::go_state_of(e.args[2] & 0xffffffffu));
      out.transition_stack = out.stack;
      break;
    default: break;
  }
}

void EventBuilder::fill_range(const QueuedEvent& q, const Generation& gen, Event& out) {
  const RawEvent& e = q.base;
  switch (e.type) {
    case wire::EvSTWBegin:
    case wire::EvSTWEnd: {
      // STWEnd carries its begin's kind string ID (of the generation the range began in).
      std::string name = "stop-the-world (";
      name += strings_.get(string_of(gen, e.args[0]));
      name += ")";
      out.name = strings_.intern(name);
      out.scope = ResourceKind::Goroutine;
      out.value = static_cast<uint64_t>(q.ctx.g);
      break;
    }
    case wire::EvGCBegin:
    case wire::EvGCActive:
    case wire::EvGCEnd:
      out.name = gc_mark_;
      out.scope = ResourceKind::None;
      break;
    case wire::EvGCSweepBegin:
    case wire::EvGCSweepActive:
    case wire::EvGCSweepEnd:
      out.name = gc_sweep_;
      out.scope = ResourceKind::Proc;
      out.value = e.type == wire::EvGCSweepActive ? e.args[0] : static_cast<uint64_t>(q.ctx.p);
      break;
    default:  // GC mark assist
      out.name = gc_assist_;
      out.scope = ResourceKind::Goroutine;
      out.value = e.type == wire::EvGCMarkAssistActive ? e.args[0] : static_cast<uint64_t>(q.ctx.g);
      break;
  }
}

}  // namespace ctxtrail::trace
