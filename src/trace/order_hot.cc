/// The hot path's less common events (order_hot.h), out of line.
#include "trace/order_hot.h"

namespace ctxtrail::trace {

Ordering::Hot Ordering::advance_hot_rest(BatchCursor& cursor, const HotView& v, Event& out) {
  MState* ms = cursor.state;
  const RawEvent& ev = cursor.ev;
  const int64_t m = cursor.m;
  const int64_t p = ms->p;
  const int64_t g = ms->g;
  const uint8_t type = ev.type;
  if (type == wire::EvGoSyscallBegin) {
    // The running goroutine enters a syscall with its P, whose sequence number (args[0])
    // must follow.
    if (p == -1 || g == -1) return Hot::kDeclined;
    GState* gs = v.g_in(g, wire::GoRunning);
    PState* ps = v.p(p);
    if (gs == nullptr || ps == nullptr) return Hot::kDeclined;
    const SeqCounter pseq{v.gen, ev.args[0]};
    if (!pseq.follows(ps->seq)) return Hot::kDeclined;
    const uint32_t stack = v.stack(ev.args[1]);
    if (stack == IdMap::kAbsent) return Hot::kDeclined;
    gs->status = wire::GoSyscall;
    ps->status = wire::ProcSyscall;
    ps->seq = pseq;
    hot::transition(out, ev, g, p, m, stack, hot::kGo, g, hot::u8(GoState::Running),
                    hot::u8(GoState::Syscall), 0, stack);
    return Hot::kAdvanced;
  }
  if (type == wire::EvGoSyscallEnd) {
    // Back from a syscall that kept its P.
    if (p == -1 || g == -1) return Hot::kDeclined;
    GState* gs = v.g_in(g, wire::GoSyscall);
    PState* ps = v.p(p);
    if (gs == nullptr || ps == nullptr || ps->status != wire::ProcSyscall) return Hot::kDeclined;
    gs->status = wire::GoRunning;
    ps->status = wire::ProcRunning;
    hot::transition(out, ev, g, p, m, 0, hot::kGo, g, hot::u8(GoState::Syscall),
                    hot::u8(GoState::Running), 0, 0);
    return Hot::kAdvanced;
  }
  if (type == wire::EvHeapAlloc) {
    if (p == -1) return Hot::kDeclined;
    reset_event(out, ev.time, g, p, m, EventKind::Metric, ev.type);
    out.name = v.heap_alloc_metric;
    out.value = ev.args[0];
    return Hot::kAdvanced;
  }
  if (type == wire::EvGoCreate) {
    // A new goroutine, runnable, from a running one (or from none).
    if (p == -1) return Hot::kDeclined;
    if (g != -1 && v.g_in(g, wire::GoRunning) == nullptr) return Hot::kDeclined;
    const auto gid = static_cast<int64_t>(ev.args[0]);
    const auto k = static_cast<uint64_t>(gid);
    // Absent from the plain table (past it, the general path decides).
    if (k >= v.g_slots || v.g_slot[k] != IdIndex::kNone) return Hot::kDeclined;
    const uint32_t stack = v.stack(ev.args[2]);
    const uint32_t start_stack = v.stack(ev.args[1]);
    if (stack == IdMap::kAbsent || start_stack == IdMap::kAbsent) return Hot::kDeclined;
    add_g(gid, wire::GoRunnable, SeqCounter{v.gen, 0});
    hot::transition(out, ev, g, p, m, stack, hot::kGo, gid, hot::u8(GoState::NotExist),
                    hot::u8(GoState::Runnable), 0, start_stack);
    return Hot::kAdvancedTablesMoved;  // adding may have moved the tables
  }
  if (type == wire::EvGoDestroy) {
    if (p == -1 || g == -1) return Hot::kDeclined;
    if (v.g_in(g, wire::GoRunning) == nullptr) return Hot::kDeclined;
    remove_g(g);
    ms->g = -1;
    hot::transition(out, ev, g, p, m, 0, hot::kGo, g, hot::u8(GoState::Running),
                    hot::u8(GoState::NotExist), 0, 0);
    return Hot::kAdvanced;
  }
  if (type == wire::EvProcStart) {
    if (p != -1) return Hot::kDeclined;
    const auto pid = static_cast<int64_t>(ev.args[0]);
    PState* ps = v.p(pid);
    if (ps == nullptr) return Hot::kDeclined;
    const SeqCounter seq{v.gen, ev.args[1]};
    if (ps->status != wire::ProcIdle || !seq.follows(ps->seq)) return Hot::kDeclined;
    ps->status = wire::ProcRunning;
    ps->seq = seq;
    ms->p = pid;
    hot::transition(out, ev, g, p, m, 0, hot::kProc, pid, hot::u8(ProcState::Idle),
                    hot::u8(ProcState::Running), 0, 0);
    return Hot::kAdvanced;
  }
  if (type == wire::EvProcStop) {
    if (p == -1) return Hot::kDeclined;
    PState* ps = v.p(p);
    if (ps == nullptr) return Hot::kDeclined;
    if (ps->status != wire::ProcRunning && ps->status != wire::ProcSyscall) return Hot::kDeclined;
    ps->status = wire::ProcIdle;
    ms->p = -1;
    hot::transition(out, ev, g, p, m, 0, hot::kProc, p, hot::u8(ProcState::Running),
                    hot::u8(ProcState::Idle), 0, 0);
    return Hot::kAdvanced;
  }
  return Hot::kDeclined;
}

}  // namespace ctxtrail::trace
