/// The hot path of ordering: the scheduler events that make up nearly every trace (a goroutine
/// starts, blocks, stops or is unblocked; a P starts or stops) checked against the
/// scheduler state and written straight into the public Event, in one step and with no queue.
/// It answers false, having changed nothing, for any other event and whenever a check does
/// not pass; the general path (Ordering::advance + EventBuilder) then takes the same event and
/// decides it (not yet, or the exact error Go's parser gives).
#pragma once

#include "ctxtrail/trace/event.h"
#include "trace/event_builder.h"
#include "trace/order.h"

namespace ctxtrail::trace {

namespace hot {

/// A state transition event, every field written.
[[gnu::always_inline]] inline void transition(Event& out, const RawEvent& ev, int64_t g, int64_t p,
                                              int64_t m, StackID stack, ResourceKind resource,
                                              int64_t id, uint8_t from, uint8_t to, StringID reason,
                                              StackID transition_stack) {
  reset_event(out, ev.time, g, p, m, EventKind::StateTransition, ev.type);
  out.resource_id = id;
  out.stack = stack;
  out.transition_stack = transition_stack;
  out.reason = reason;
  out.resource = resource;
  out.from = from;
  out.to = to;
}

constexpr auto kGo = ResourceKind::Goroutine;
constexpr auto kProc = ResourceKind::Proc;
constexpr auto u8 = [](auto state) { return static_cast<uint8_t>(state); };

}  // namespace hot

inline bool Ordering::advance_hot(BatchCursor& cursor, const Generation& gen, Event& out) {
  MState* ms = cursor.state;
  if (ms == nullptr || initial_gen_ == 0) return false;  // the general path sets both up
  const RawEvent& ev = cursor.ev;
  const int64_t m = cursor.m;
  const int64_t p = ms->p;
  const int64_t g = ms->g;
  // An if-chain, not a switch: a jump table's one indirect branch is mispredicted far more
  // often than these well-patterned compares.
  const uint8_t type = ev.type;
  if (type == wire::EvGoBlock || type == wire::EvGoStop) {
    // Needs a thread, a proc and a goroutine, which must be running.
    if (p == -1 || g == -1) return false;
    const uint32_t gi = g_index_.find(g);
    if (gi == IdIndex::kNone || g_pool_[gi].status != wire::GoRunning) return false;
    const uint32_t stack = gen.stacks.get(ev.args[1]);
    const uint32_t reason = gen.strings.get(ev.args[0]);
    if (stack == IdMap::kAbsent || reason == IdMap::kAbsent) return false;
    const bool block = type == wire::EvGoBlock;
    g_pool_[gi].status = block ? wire::GoWaiting : wire::GoRunnable;
    ms->g = -1;
    hot::transition(out, ev, g, p, m, stack, hot::kGo, g, hot::u8(GoState::Running),
                    hot::u8(block ? GoState::Waiting : GoState::Runnable), reason, stack);
    return true;
  }
  if (type == wire::EvGoUnblock) {
    const auto gid = static_cast<int64_t>(ev.args[0]);
    const uint32_t gi = g_index_.find(gid);
    if (gi == IdIndex::kNone) return false;
    GState& gs = g_pool_[gi];
    const SeqCounter seq{gen.gen, ev.args[1]};
    if (gs.status != wire::GoWaiting || !seq.follows(gs.seq)) return false;
    const uint32_t stack = gen.stacks.get(ev.args[2]);
    if (stack == IdMap::kAbsent) return false;
    gs.status = wire::GoRunnable;
    gs.seq = seq;
    hot::transition(out, ev, g, p, m, stack, hot::kGo, gid, hot::u8(GoState::Waiting),
                    hot::u8(GoState::Runnable), 0, 0);
    return true;
  }
  if (type == wire::EvGoStart) {
    if (p == -1 || g != -1) return false;
    const auto gid = static_cast<int64_t>(ev.args[0]);
    const uint32_t gi = g_index_.find(gid);
    if (gi == IdIndex::kNone) return false;
    GState& gs = g_pool_[gi];
    const SeqCounter seq{gen.gen, ev.args[1]};
    if (gs.status != wire::GoRunnable || !seq.follows(gs.seq)) return false;
    gs.status = wire::GoRunning;
    gs.seq = seq;
    ms->g = gid;
    hot::transition(out, ev, g, p, m, 0, hot::kGo, gid, hot::u8(GoState::Runnable),
                    hot::u8(GoState::Running), 0, 0);
    return true;
  }
  if (type == wire::EvProcStart) {
    if (p != -1) return false;
    const auto pid = static_cast<int64_t>(ev.args[0]);
    const uint32_t pi = p_index_.find(pid);
    if (pi == IdIndex::kNone) return false;
    PState& ps = p_pool_[pi];
    const SeqCounter seq{gen.gen, ev.args[1]};
    if (ps.status != wire::ProcIdle || !seq.follows(ps.seq)) return false;
    ps.status = wire::ProcRunning;
    ps.seq = seq;
    ms->p = pid;
    hot::transition(out, ev, g, p, m, 0, hot::kProc, pid, hot::u8(ProcState::Idle),
                    hot::u8(ProcState::Running), 0, 0);
    return true;
  }
  if (type == wire::EvProcStop) {
    if (p == -1) return false;
    const uint32_t pi = p_index_.find(p);
    if (pi == IdIndex::kNone) return false;
    PState& ps = p_pool_[pi];
    if (ps.status != wire::ProcRunning && ps.status != wire::ProcSyscall) return false;
    ps.status = wire::ProcIdle;
    ms->p = -1;
    hot::transition(out, ev, g, p, m, 0, hot::kProc, p, hot::u8(ProcState::Running),
                    hot::u8(ProcState::Idle), 0, 0);
    return true;
  }
  return false;
}

}  // namespace ctxtrail::trace
