/// The ordering handlers, one per wire event type (or family), mirroring the scheduler facts
/// of the format:
///  - a running G is bound to an M, a running P too; events that need them check the context;
///  - GoStart/GoUnblock/GoSwitch carry the goroutine's sequence number, ProcStart/ProcSteal and
///    GoSyscallBegin the P's, GCBegin/GCActive/GCEnd the GC's: an event whose number is not the
///    successor of the resource's current one cannot happen yet (another M must go first);
///  - sequence numbers are per generation; status events reset them to 0 each generation;
///  - only the first generation may introduce goroutines by status event.
/// Smuggled values (Go's "extra" arguments): ProcStatus args[2] = old ProcState; ProcSteal
/// args[3] = the P's old ProcStatus; GoStatus args[2] = oldGoState<<32 | status; STWEnd
/// args[0] = the kind string of its STWBegin; UserTaskBegin args[1] = kNoTask for no parent;
/// UserTaskEnd args[2] = parent, args[3] = global StringID of the task type.
#include "trace/order.h"

#include <fmt/format.h>

#include <algorithm>

namespace ctxtrail::trace {
namespace {

using wire::Spec;

enum class Need : uint8_t { MustNot, May, Must };
struct Reqs {
  Need m, p, g;
};
constexpr Reqs kUserGo{Need::Must, Need::Must, Need::Must};

/// Go's validateCtx: answers an empty string when ctx meets reqs.
const char* check_ctx(const SchedCtx& c, Reqs r) {
  if (r.m == Need::Must && c.m == -1) return "expected a thread but didn't have one";
  if (r.m == Need::MustNot && c.m != -1) return "expected no thread but had one";
  if (r.p == Need::Must && c.p == -1) return "expected a proc but didn't have one";
  if (r.p == Need::MustNot && c.p != -1) return "expected no proc but had one";
  if (r.g == Need::Must && c.g == -1) return "expected a goroutine but didn't have one";
  if (r.g == Need::MustNot && c.g != -1) return "expected no goroutine but had one";
  return nullptr;
}

std::string seq_str(Ordering::SeqCounter s) { return fmt::format("{} (gen={})", s.seq, s.gen); }

Ordering::RangeType range_type(uint8_t typ, uint64_t desc) {
  const uint8_t start = wire::spec(typ).start_ev;
  return Ordering::RangeType{start != wire::EvNone ? start : typ, desc};
}

bool has_range(const std::vector<Ordering::RangeType>& v, Ordering::RangeType t) {
  return std::find(v.begin(), v.end(), t) != v.end();
}

std::string range_name(Ordering::RangeType t) { return std::string(wire::spec(t.typ).name); }

const char* begin_range(std::vector<Ordering::RangeType>& v, Ordering::RangeType t, std::string* err) {
  if (has_range(v, t)) {
    *err = "discovered event already in-flight for when starting event " + range_name(t);
    return err->c_str();
  }
  v.push_back(t);
  return nullptr;
}

const char* active_range(std::vector<Ordering::RangeType>& v, Ordering::RangeType t, bool initial,
                         std::string* err) {
  if (initial) {
    if (has_range(v, t)) {
      *err = "found named active range already in first gen: " + range_name(t);
      return err->c_str();
    }
    v.push_back(t);
  } else if (!has_range(v, t)) {
    *err = "resource is missing active range: " + range_name(t);
    return err->c_str();
  }
  return nullptr;
}

/// Ends the first in-flight range begun by typ's start event; answers its desc.
bool end_range(std::vector<Ordering::RangeType>& v, uint8_t typ, uint64_t* desc, std::string* err) {
  const uint8_t st = wire::spec(typ).start_ev;
  auto it = std::find_if(v.begin(), v.end(), [&](const Ordering::RangeType& r) { return r.typ == st; });
  if (it == v.end()) {
    *err = fmt::format("tried to end event {}, but not in-flight", wire::spec(st).name);
    return false;
  }
  *desc = it->desc;
  std::swap(*it, v.back());
  v.pop_back();
  return true;
}

RawEvent make_event(uint8_t type, int64_t time, uint64_t a0 = 0, uint64_t a1 = 0) {
  RawEvent e;
  e.type = type;
  e.time = time;
  e.args[0] = a0;
  e.args[1] = a1;
  return e;
}

}  // namespace

Ordering::Ordering() = default;

constinit const std::array<Ordering::Handler, 256> Ordering::kDispatch = [] {
  std::array<Handler, 256> t{};
  using O = Ordering;
  // Procs.
  t[wire::EvProcsChange] = &O::annotation;
  t[wire::EvProcStart] = &O::proc_start;
  t[wire::EvProcStop] = &O::proc_stop;
  t[wire::EvProcSteal] = &O::proc_steal;
  t[wire::EvProcStatus] = &O::proc_status;
  // Goroutines.
  t[wire::EvGoCreate] = &O::go_create;
  t[wire::EvGoCreateSyscall] = &O::go_create_syscall;
  t[wire::EvGoStart] = &O::go_start;
  t[wire::EvGoDestroy] = &O::go_stop_exec;
  t[wire::EvGoDestroySyscall] = &O::go_destroy_syscall;
  t[wire::EvGoStop] = &O::go_stop_exec;
  t[wire::EvGoBlock] = &O::go_stop_exec;
  t[wire::EvGoUnblock] = &O::go_unblock;
  t[wire::EvGoSyscallBegin] = &O::go_syscall_begin;
  t[wire::EvGoSyscallEnd] = &O::go_syscall_end;
  t[wire::EvGoSyscallEndBlocked] = &O::go_syscall_end_blocked;
  t[wire::EvGoStatus] = &O::go_status;
  // STW.
  t[wire::EvSTWBegin] = &O::go_range_begin;
  t[wire::EvSTWEnd] = &O::go_range_end;
  // GC.
  t[wire::EvGCActive] = &O::gc_active;
  t[wire::EvGCBegin] = &O::gc_begin;
  t[wire::EvGCEnd] = &O::gc_end;
  t[wire::EvGCSweepActive] = &O::gc_sweep_active;
  t[wire::EvGCSweepBegin] = &O::gc_sweep_begin;
  t[wire::EvGCSweepEnd] = &O::gc_sweep_end;
  t[wire::EvGCMarkAssistActive] = &O::go_range_active;
  t[wire::EvGCMarkAssistBegin] = &O::go_range_begin;
  t[wire::EvGCMarkAssistEnd] = &O::go_range_end;
  t[wire::EvHeapAlloc] = &O::heap_metric;
  t[wire::EvHeapGoal] = &O::heap_metric;
  // Annotations.
  t[wire::EvGoLabel] = &O::annotation;
  t[wire::EvUserTaskBegin] = &O::user_task_begin;
  t[wire::EvUserTaskEnd] = &O::user_task_end;
  t[wire::EvUserRegionBegin] = &O::user_region_begin;
  t[wire::EvUserRegionEnd] = &O::user_region_end;
  t[wire::EvUserLog] = &O::annotation;
  // Coroutines (Go 1.23+).
  t[wire::EvGoSwitch] = &O::go_switch;
  t[wire::EvGoSwitchDestroy] = &O::go_switch;
  t[wire::EvGoCreateBlocked] = &O::go_create;
  t[wire::EvGoStatusStack] = &O::go_status;
  // Experimental AllocFree events.
  for (int e = wire::EvSpan; e <= wire::EvGoroutineStackFree; e++) t[e] = &O::alloc_free;
  return t;
}();

std::string_view Ordering::name_of(uint8_t type) const { return wire::spec(type).name; }

Ordering::Outcome Ordering::advance(RawEvent& ev, const Generation& gen, BatchCursor& cursor,
                                    std::string* err) {
  if (initial_gen_ == 0) initial_gen_ = gen.gen;
  SchedCtx cur;
  cur.m = cursor.m;
  MState* ms = nullptr;
  if (cursor.m != -1) {
    if (cursor.state == nullptr) cursor.state = &m_states_[cursor.m];
    ms = cursor.state;
    cur.p = ms->p;
    cur.g = ms->g;
  }
  Handler h = kDispatch[ev.type];
  if (h == nullptr) {
    *err = fmt::format("bad event type found while ordering: {}", ev.type);
    return kError;
  }
  Step s{ev, gen, cur, cur, err};
  const uint32_t first = tail_;
  Outcome out = (this->*h)(s);
  if (out == kAdvanced && ms != nullptr) {
    ms->p = s.next.p;
    ms->g = s.next.g;
  }
  for (uint32_t i = first; i != tail_; i++) queue_[i & (kQueueSize - 1)].offset = cursor.ev_offset();
  return out;
}

[[gnu::always_inline]] inline Ordering::GState* Ordering::find_g(int64_t id) {
  uint32_t i = g_index_.find(id);
  return i == IdIndex::kNone ? nullptr : &g_pool_[i];
}

Ordering::GState& Ordering::add_g(int64_t id, uint8_t status, SeqCounter seq) {
  uint32_t i;
  if (!g_free_.empty()) {
    i = g_free_.back();
    g_free_.pop_back();
  } else {
    i = static_cast<uint32_t>(g_pool_.size());
    g_pool_.emplace_back();
    g_notes_.emplace_back();
  }
  GState& g = g_pool_[i];
  g.id = id;
  g.status = status;
  g.seq = seq;
  g_notes_[i].regions.clear();
  g_notes_[i].ranges.clear();
  g_index_.insert(id, i);
  return g;
}

void Ordering::remove_g(int64_t id) {
  uint32_t i = g_index_.erase(id);
  if (i != IdIndex::kNone) g_free_.push_back(i);
}

Ordering::PState* Ordering::find_p(int64_t id) {
  uint32_t i = p_index_.find(id);
  return i == IdIndex::kNone ? nullptr : &p_pool_[i];
}

Ordering::PState& Ordering::add_p(int64_t id, uint8_t status, SeqCounter seq) {
  auto i = static_cast<uint32_t>(p_pool_.size());
  p_pool_.push_back(PState{id, status, seq, {}});
  p_index_.insert(id, i);
  return p_pool_[i];
}

Ordering::GState* Ordering::current_g(Step& s, uint8_t status) {
  GState* gs = find_g(s.cur.g);
  if (gs == nullptr) {
    fail(s, fmt::format("event {} for goroutine ({}) that doesn't exist", name_of(s.ev.type), s.cur.g));
  } else if (gs->status != status) {
    fail(s, fmt::format("{} event for goroutine that's not {}", name_of(s.ev.type), wire::go_status_name(status)));
    gs = nullptr;
  }
  return gs;
}

Ordering::PState* Ordering::current_p(Step& s) {
  PState* ps = find_p(s.cur.p);
  if (ps == nullptr) fail(s, fmt::format("uninitialized proc {} found during {}", s.cur.p, name_of(s.ev.type)));
  return ps;
}

// ---- Procs ----

Ordering::Outcome Ordering::proc_status(Step& s) {
  const auto pid = static_cast<int64_t>(s.ev.args[0]);
  const uint64_t status = s.ev.args[1];
  if (status > wire::ProcSyscallAbandoned) {
    return fail(s, fmt::format("invalid status for proc {}: {}", pid, status));
  }
  ProcState old = wire::proc_state_of(status);
  if (PState* ps = find_p(pid)) {
    if (status == wire::ProcSyscallAbandoned && ps->status == wire::ProcSyscall) {
      // Abandoned while we know it is in a syscall: no information lost, promote.
      old = ProcState::Running;
      s.ev.args[1] = wire::ProcSyscall;
    } else if (status == wire::ProcSyscallAbandoned && ps->status == wire::ProcSyscallAbandoned) {
      old = ProcState::Idle;
      s.ev.args[1] = wire::ProcSyscallAbandoned;
    } else if (ps->status != status) {
      return fail(s, fmt::format("inconsistent status for proc {}: old {} vs. new {}", pid,
                                 wire::proc_status_name(ps->status), wire::proc_status_name(status)));
    }
    ps->seq = SeqCounter{s.gen.gen, 0};
  } else {
    add_p(pid, static_cast<uint8_t>(status), SeqCounter{s.gen.gen, 0});
    old = s.gen.gen == initial_gen_ ? ProcState::Undetermined : ProcState::NotExist;
  }
  s.ev.args[2] = static_cast<uint64_t>(old);
  if (status == wire::ProcRunning || status == wire::ProcSyscall) s.next.p = pid;
  if (status == wire::ProcSyscallAbandoned && old == ProcState::Running) {
    // The P is about to be stolen; the status is emitted on the M it is bound to.
    bool found = false;
    for (const auto& [mid, ms] : m_states_) {
      if (ms.p == pid) {
        s.cur.m = mid;
        s.cur.p = pid;
        s.cur.g = ms.g;
        found = true;
      }
    }
    if (!found) {
      return fail(s, fmt::format("failed to find sched context for proc {} that's about to be stolen", pid));
    }
  }
  push(s.ev, s.cur);
  return kAdvanced;
}

Ordering::Outcome Ordering::proc_start(Step& s) {
  const auto pid = static_cast<int64_t>(s.ev.args[0]);
  const SeqCounter seq{s.gen.gen, s.ev.args[1]};
  PState* ps = find_p(pid);
  if (ps == nullptr || ps->status != wire::ProcIdle || !seq.follows(ps->seq) || s.cur.p != -1) {
    return kNotYet;
  }
  if (const char* e = check_ctx(s.cur, {Need::Must, Need::MustNot, Need::May})) return fail(s, e);
  ps->status = wire::ProcRunning;
  ps->seq = seq;
  s.next.p = pid;
  push(s.ev, s.cur);
  return kAdvanced;
}

Ordering::Outcome Ordering::proc_stop(Step& s) {
  PState* ps = find_p(s.cur.p);
  if (ps == nullptr) {
    return fail(s, fmt::format("event {} for proc ({}) that doesn't exist", name_of(s.ev.type), s.cur.p));
  }
  if (ps->status != wire::ProcRunning && ps->status != wire::ProcSyscall) {
    return fail(s, fmt::format("{} event for proc that's not Running or Syscall", name_of(s.ev.type)));
  }
  if (const char* e = check_ctx(s.cur, {Need::Must, Need::Must, Need::May})) return fail(s, e);
  ps->status = wire::ProcIdle;
  s.next.p = -1;
  push(s.ev, s.cur);
  return kAdvanced;
}

Ordering::Outcome Ordering::proc_steal(Step& s) {
  const auto pid = static_cast<int64_t>(s.ev.args[0]);
  const SeqCounter seq{s.gen.gen, s.ev.args[1]};
  PState* ps = find_p(pid);
  if (ps == nullptr ||
      (ps->status != wire::ProcSyscall && ps->status != wire::ProcSyscallAbandoned) ||
      !seq.follows(ps->seq)) {
    return kNotYet;
  }
  if (const char* e = check_ctx(s.cur, {Need::Must, Need::May, Need::May})) return fail(s, e);
  const uint8_t old = ps->status;
  s.ev.args[3] = old;
  ps->status = wire::ProcIdle;
  ps->seq = seq;
  if (old == wire::ProcSyscallAbandoned) {
    // Information was lost: leave the M alone, it may have moved on.
    push(s.ev, s.cur);
    return kAdvanced;
  }
  const auto mid = static_cast<int64_t>(s.ev.args[2]);
  if (mid == s.cur.m) {
    // Stealing from ourselves: like a ProcStop.
    if (s.cur.p != pid) {
      return fail(s, fmt::format("tried to self-steal proc {} (thread {}), but got proc {} instead",
                                 pid, mid, s.cur.p));
    }
    s.next.p = -1;
    push(s.ev, s.cur);
    return kAdvanced;
  }
  auto it = m_states_.find(mid);
  if (it == m_states_.end()) return fail(s, fmt::format("stole proc from non-existent thread {}", mid));
  if (it->second.p != pid) {
    return fail(s, fmt::format("tried to steal proc {} from thread {}, but got proc {} instead", pid,
                               mid, it->second.p));
  }
  // The victim M was in a syscall and is trying to get out: it has no P any more.
  it->second.p = -1;
  push(s.ev, s.cur);
  return kAdvanced;
}

// ---- Goroutines ----

Ordering::Outcome Ordering::go_status(Step& s) {
  const auto gid = static_cast<int64_t>(s.ev.args[0]);
  const auto mid = static_cast<int64_t>(s.ev.args[1]);
  const uint64_t status = s.ev.args[2];
  if (status > wire::GoWaiting) {
    return fail(s, fmt::format("invalid status for goroutine {}: {}", gid, status));
  }
  GoState old = wire::go_state_of(status);
  if (GState* gs = find_g(gid)) {
    if (gs->status != status) {
      return fail(s, fmt::format("inconsistent status for goroutine {}: old {} vs. new {}", gid,
                                 wire::go_status_name(gs->status), wire::go_status_name(status)));
    }
    gs->seq = SeqCounter{s.gen.gen, 0};
  } else if (s.gen.gen == initial_gen_) {
    add_g(gid, static_cast<uint8_t>(status), SeqCounter{s.gen.gen, 0});
    old = GoState::Undetermined;
  } else {
    return fail(s, fmt::format("found goroutine status for new goroutine after the first "
                               "generation: id={} status={}", gid, wire::go_status_name(status)));
  }
  s.ev.args[2] = static_cast<uint64_t>(old) << 32 | status;
  if (status == wire::GoRunning) {
    s.next.g = gid;
  } else if (status == wire::GoSyscall) {
    if (mid == -1) return fail(s, fmt::format("found goroutine {} in syscall without a thread", gid));
    if (mid == s.cur.m) {
      if (s.gen.gen != initial_gen_ && s.cur.g != gid) {
        return fail(s, fmt::format("inconsistent thread for syscalling goroutine {}: thread has "
                                   "goroutine {}", gid, s.cur.g));
      }
      s.next.g = gid;
    } else {
      // A goroutine sitting in a syscall on another M for the whole generation.
      auto it = m_states_.find(mid);
      if (it != m_states_.end()) {
        if (it->second.g != gid) {
          return fail(s, fmt::format("inconsistent thread for syscalling goroutine {}: thread has "
                                     "goroutine {}", gid, it->second.g));
        }
        s.cur.g = it->second.g;
      } else {
        m_states_.emplace(mid, MState{gid, -1});
      }
      s.cur.m = mid;
    }
  }
  push(s.ev, s.cur);
  return kAdvanced;
}

Ordering::Outcome Ordering::go_create(Step& s) {
  if (const char* e = check_ctx(s.cur, {Need::Must, Need::Must, Need::May})) return fail(s, e);
  if (GState* cur = find_g(s.cur.g); cur != nullptr && cur->status != wire::GoRunning) {
    return fail(s, fmt::format("{} event for goroutine that's not Running", name_of(s.ev.type)));
  }
  const auto gid = static_cast<int64_t>(s.ev.args[0]);
  if (find_g(gid) != nullptr) {
    return fail(s, fmt::format("tried to create goroutine ({}) that already exists", gid));
  }
  const uint8_t status = s.ev.type == wire::EvGoCreateBlocked ? wire::GoWaiting : wire::GoRunnable;
  add_g(gid, status, SeqCounter{s.gen.gen, 0});
  push(s.ev, s.cur);
  return kAdvanced;
}

Ordering::Outcome Ordering::go_stop_exec(Step& s) {
  if (const char* e = check_ctx(s.cur, kUserGo)) return fail(s, e);
  GState* gs = current_g(s, wire::GoRunning);
  if (gs == nullptr) return kError;
  switch (s.ev.type) {
    case wire::EvGoDestroy: remove_g(s.cur.g); break;
    case wire::EvGoStop: gs->status = wire::GoRunnable; break;
    default: gs->status = wire::GoWaiting; break;  // GoBlock
  }
  s.next.g = -1;
  push(s.ev, s.cur);
  return kAdvanced;
}

Ordering::Outcome Ordering::go_start(Step& s) {
  const auto gid = static_cast<int64_t>(s.ev.args[0]);
  const SeqCounter seq{s.gen.gen, s.ev.args[1]};
  GState* gs = find_g(gid);
  if (gs == nullptr || gs->status != wire::GoRunnable || !seq.follows(gs->seq)) return kNotYet;
  if (const char* e = check_ctx(s.cur, {Need::Must, Need::Must, Need::MustNot})) return fail(s, e);
  gs->status = wire::GoRunning;
  gs->seq = seq;
  s.next.g = gid;
  push(s.ev, s.cur);
  return kAdvanced;
}

Ordering::Outcome Ordering::go_unblock(Step& s) {
  const auto gid = static_cast<int64_t>(s.ev.args[0]);
  const SeqCounter seq{s.gen.gen, s.ev.args[1]};
  GState* gs = find_g(gid);
  if (gs == nullptr || gs->status != wire::GoWaiting || !seq.follows(gs->seq)) return kNotYet;
  gs->status = wire::GoRunnable;
  gs->seq = seq;
  // Anything may unblock a goroutine (even sysmon): no context to check.
  push(s.ev, s.cur);
  return kAdvanced;
}

Ordering::Outcome Ordering::go_switch(Step& s) {
  // GoSwitch(Destroy) = unblock the next goroutine, block (destroy) this one, start the next.
  if (const char* e = check_ctx(s.cur, kUserGo)) return fail(s, e);
  GState* cur = current_g(s, wire::GoRunning);
  if (cur == nullptr) return kError;
  const auto next_g = static_cast<int64_t>(s.ev.args[0]);
  const SeqCounter seq{s.gen.gen, s.ev.args[1]};
  GState* next = find_g(next_g);
  if (next == nullptr || next->status != wire::GoWaiting || !seq.follows(next->seq)) return kNotYet;
  push(s.ev, s.cur);
  if (s.ev.type == wire::EvGoSwitch) {
    cur->status = wire::GoWaiting;
    push(make_event(wire::EvGoBlock, s.ev.time), s.cur);
  } else {
    remove_g(s.cur.g);
    push(make_event(wire::EvGoDestroy, s.ev.time), s.cur);
  }
  next->status = wire::GoRunning;
  next->seq = seq;
  s.next.g = next_g;
  SchedCtx start = s.cur;
  start.g = -1;
  push(make_event(wire::EvGoStart, s.ev.time, static_cast<uint64_t>(next_g), s.ev.args[1]), start);
  return kAdvanced;
}

Ordering::Outcome Ordering::go_syscall_begin(Step& s) {
  if (const char* e = check_ctx(s.cur, kUserGo)) return fail(s, e);
  GState* gs = current_g(s, wire::GoRunning);
  if (gs == nullptr) return kError;
  gs->status = wire::GoSyscall;
  PState* ps = current_p(s);
  if (ps == nullptr) return kError;
  ps->status = wire::ProcSyscall;
  // The P sequence number disambiguates which syscall a later ProcSteal takes the P from.
  const SeqCounter pseq{s.gen.gen, s.ev.args[0]};
  if (!pseq.follows(ps->seq)) {
    return fail(s, fmt::format("failed to advance {}: can't make sequence: {} -> {}",
                               name_of(s.ev.type), seq_str(ps->seq), seq_str(pseq)));
  }
  ps->seq = pseq;
  push(s.ev, s.cur);
  return kAdvanced;
}

Ordering::Outcome Ordering::go_syscall_end(Step& s) {
  if (const char* e = check_ctx(s.cur, kUserGo)) return fail(s, e);
  GState* gs = current_g(s, wire::GoSyscall);
  if (gs == nullptr) return kError;
  gs->status = wire::GoRunning;
  PState* ps = current_p(s);
  if (ps == nullptr) return kError;
  if (ps->status != wire::ProcSyscall) {
    return fail(s, fmt::format("expected proc {} in state Syscall, but got {} instead", s.cur.p,
                               wire::proc_status_name(ps->status)));
  }
  ps->status = wire::ProcRunning;
  push(s.ev, s.cur);
  return kAdvanced;
}

Ordering::Outcome Ordering::go_syscall_end_blocked(Step& s) {
  // Only once the P left the syscall state (ProcStop or ProcSteal) may this advance.
  if (s.cur.p != -1) {
    PState* ps = find_p(s.cur.p);
    if (ps == nullptr) {
      return fail(s, fmt::format("uninitialized proc {} found during {}", s.cur.p, name_of(s.ev.type)));
    }
    if (ps->status == wire::ProcSyscall) return kNotYet;
  }
  if (const char* e = check_ctx(s.cur, {Need::Must, Need::May, Need::Must})) return fail(s, e);
  GState* gs = current_g(s, wire::GoSyscall);
  if (gs == nullptr) return kError;
  s.next.g = -1;
  gs->status = wire::GoRunnable;
  push(s.ev, s.cur);
  return kAdvanced;
}

Ordering::Outcome Ordering::go_create_syscall(Step& s) {
  // A goroutine appearing out of a cgo callback: created in the syscall state, bound to this M.
  if (const char* e = check_ctx(s.cur, {Need::Must, Need::May, Need::MustNot})) return fail(s, e);
  const auto gid = static_cast<int64_t>(s.ev.args[0]);
  if (find_g(gid) != nullptr) {
    return fail(s, fmt::format("tried to create goroutine ({}) in syscall that already exists", gid));
  }
  add_g(gid, wire::GoSyscall, SeqCounter{s.gen.gen, 0});
  s.next.g = gid;
  push(s.ev, s.cur);
  return kAdvanced;
}

Ordering::Outcome Ordering::go_destroy_syscall(Step& s) {
  // A cgo-callback goroutine goes away; its M also gives up its P (the thread ID may be reused).
  if (const char* e = check_ctx(s.cur, {Need::Must, Need::May, Need::Must})) return fail(s, e);
  GState* gs = current_g(s, wire::GoSyscall);
  if (gs == nullptr) return kError;
  remove_g(s.cur.g);
  s.next.g = -1;
  if (s.cur.p != -1) {
    PState* ps = find_p(s.cur.p);
    if (ps == nullptr) {
      return fail(s, fmt::format("found invalid proc {} during {}", s.cur.p, name_of(s.ev.type)));
    }
    if (ps->status != wire::ProcSyscall) {
      return fail(s, fmt::format("proc {} in unexpected state {} during {}", s.cur.p,
                                 wire::proc_status_name(ps->status), name_of(s.ev.type)));
    }
    ps->status = wire::ProcSyscallAbandoned;
    s.next.p = -1;
    // An extra self-steal of the P, as Go's parser emits.
    RawEvent steal = make_event(wire::EvProcSteal, s.ev.time, static_cast<uint64_t>(s.cur.p));
    steal.args[3] = wire::ProcSyscall;
    push(steal, s.cur);
  }
  push(s.ev, s.cur);
  return kAdvanced;
}

// ---- Annotations ----

Ordering::Outcome Ordering::user_task_begin(Step& s) {
  // Tasks may be referenced without a begin and ended many times; only a second begin of an
  // active task is an error.
  const uint64_t id = s.ev.args[0];
  if (active_tasks_.count(id) != 0) return fail(s, fmt::format("task ID conflict: {}", id));
  uint64_t parent = s.ev.args[1];
  if (parent == kBackgroundTask) {
    parent = kNoTask;  // 0 means no parent here, not the background task
    s.ev.args[1] = kNoTask;
  }
  const uint32_t name = s.gen.strings.get(s.ev.args[2]);
  if (name == IdMap::kAbsent) {
    return fail(s, fmt::format("invalid string ID {} for {} event", s.ev.args[2], name_of(s.ev.type)));
  }
  active_tasks_[id] = TaskState{name, parent};
  if (const char* e = check_ctx(s.cur, kUserGo)) return fail(s, e);
  push(s.ev, s.cur);
  return kAdvanced;
}

Ordering::Outcome Ordering::user_task_end(Step& s) {
  const uint64_t id = s.ev.args[0];
  if (auto it = active_tasks_.find(id); it != active_tasks_.end()) {
    s.ev.args[2] = it->second.parent;
    s.ev.args[3] = it->second.name;
    active_tasks_.erase(it);
  } else {
    s.ev.args[2] = kNoTask;
    s.ev.args[3] = 0;
  }
  if (const char* e = check_ctx(s.cur, kUserGo)) return fail(s, e);
  push(s.ev, s.cur);
  return kAdvanced;
}

Ordering::Outcome Ordering::region_subject(Step& s, uint32_t* name, GState** gs) {
  if (const char* e = check_ctx(s.cur, kUserGo)) return fail(s, e);
  *name = s.gen.strings.get(s.ev.args[1]);
  if (*name == IdMap::kAbsent) {
    return fail(s, fmt::format("invalid string ID {} for {} event", s.ev.args[1], name_of(s.ev.type)));
  }
  *gs = find_g(s.cur.g);
  if (*gs == nullptr) {
    return fail(s, fmt::format("encountered Ev{} without known state for current goroutine {}",
                               name_of(s.ev.type), s.cur.g));
  }
  return kAdvanced;
}

Ordering::Outcome Ordering::user_region_begin(Step& s) {
  uint32_t name = 0;
  GState* gs = nullptr;
  if (Outcome o = region_subject(s, &name, &gs); o != kAdvanced) return o;
  notes(gs).regions.push_back(Region{s.ev.args[0], name});
  push(s.ev, s.cur);
  return kAdvanced;
}

Ordering::Outcome Ordering::user_region_end(Step& s) {
  uint32_t name = 0;
  GState* gs = nullptr;
  if (Outcome o = region_subject(s, &name, &gs); o != kAdvanced) return o;
  // Regions begun before tracing started are unknown: an end with none open is fine.
  if (!notes(gs).regions.empty()) {
    const Region r{s.ev.args[0], name};
    if (!(notes(gs).regions.back() == r)) {
      return fail(s, fmt::format("misuse of region in goroutine {}: region end (task {}) when the "
                                 "inner-most active region start event is (task {})",
                                 gs->id, r.task, notes(gs).regions.back().task));
    }
    notes(gs).regions.pop_back();
  }
  push(s.ev, s.cur);
  return kAdvanced;
}

Ordering::Outcome Ordering::annotation(Step& s) {
  if (const char* e = check_ctx(s.cur, kUserGo)) return fail(s, e);
  push(s.ev, s.cur);
  return kAdvanced;
}

Ordering::Outcome Ordering::heap_metric(Step& s) {
  if (const char* e = check_ctx(s.cur, {Need::Must, Need::Must, Need::May})) return fail(s, e);
  push(s.ev, s.cur);
  return kAdvanced;
}

Ordering::Outcome Ordering::alloc_free(Step& s) {
  if (const char* e = check_ctx(s.cur, {Need::Must, Need::May, Need::May})) return fail(s, e);
  push(s.ev, s.cur);
  return kAdvanced;
}

// ---- GC ----
// The mark phase has sequence numbers on begin, active and end, since they can happen on
// different threads.

Ordering::Outcome Ordering::gc_active(Step& s) {
  const uint64_t seq = s.ev.args[0];
  if (s.gen.gen == initial_gen_) {
    if (gc_state_ != GcState::Undetermined) {
      return fail(s, "GCActive in the first generation isn't first GC event");
    }
    gc_seq_ = seq;
    gc_state_ = GcState::Running;
    push(s.ev, s.cur);
    return kAdvanced;
  }
  if (seq != gc_seq_ + 1) return kNotYet;
  if (gc_state_ != GcState::Running) return fail(s, "encountered GCActive while GC was not in progress");
  gc_seq_ = seq;
  if (const char* e = check_ctx(s.cur, kUserGo)) return fail(s, e);
  push(s.ev, s.cur);
  return kAdvanced;
}

Ordering::Outcome Ordering::gc_begin(Step& s) {
  const uint64_t seq = s.ev.args[0];
  if (gc_state_ == GcState::Undetermined) {
    gc_seq_ = seq;
    gc_state_ = GcState::Running;
    push(s.ev, s.cur);
    return kAdvanced;
  }
  if (seq != gc_seq_ + 1) return kNotYet;
  if (gc_state_ == GcState::Running) return fail(s, "encountered GCBegin while GC was already in progress");
  gc_seq_ = seq;
  gc_state_ = GcState::Running;
  if (const char* e = check_ctx(s.cur, kUserGo)) return fail(s, e);
  push(s.ev, s.cur);
  return kAdvanced;
}

Ordering::Outcome Ordering::gc_end(Step& s) {
  const uint64_t seq = s.ev.args[0];
  if (seq != gc_seq_ + 1) return kNotYet;
  if (gc_state_ == GcState::NotRunning) return fail(s, "encountered GCEnd when GC was not in progress");
  if (gc_state_ == GcState::Undetermined) {
    return fail(s, "encountered GCEnd when GC was in an undetermined state");
  }
  gc_seq_ = seq;
  gc_state_ = GcState::NotRunning;
  if (const char* e = check_ctx(s.cur, kUserGo)) return fail(s, e);
  push(s.ev, s.cur);
  return kAdvanced;
}

Ordering::Outcome Ordering::gc_sweep_begin(Step& s) {
  if (const char* e = check_ctx(s.cur, {Need::Must, Need::Must, Need::May})) return fail(s, e);
  PState* ps = find_p(s.cur.p);
  if (ps == nullptr) return fail(s, fmt::format("encountered GCSweepBegin for unknown proc {}", s.cur.p));
  if (begin_range(ps->ranges, range_type(s.ev.type, 0), s.err)) return kError;
  push(s.ev, s.cur);
  return kAdvanced;
}

Ordering::Outcome Ordering::gc_sweep_active(Step& s) {
  // Lenient like GCMarkAssistActive: may name a P other than the current one.
  const auto pid = static_cast<int64_t>(s.ev.args[0]);
  PState* ps = find_p(pid);
  if (ps == nullptr) return fail(s, fmt::format("encountered GCSweepActive for unknown proc {}", pid));
  if (active_range(ps->ranges, range_type(s.ev.type, 0), s.gen.gen == initial_gen_, s.err)) return kError;
  push(s.ev, s.cur);
  return kAdvanced;
}

Ordering::Outcome Ordering::gc_sweep_end(Step& s) {
  if (const char* e = check_ctx(s.cur, {Need::Must, Need::Must, Need::May})) return fail(s, e);
  PState* ps = find_p(s.cur.p);
  if (ps == nullptr) return fail(s, fmt::format("encountered GCSweepEnd for unknown proc {}", s.cur.p));
  uint64_t desc = 0;
  if (!end_range(ps->ranges, s.ev.type, &desc, s.err)) return kError;
  push(s.ev, s.cur);
  return kAdvanced;
}

Ordering::Outcome Ordering::go_range_begin(Step& s) {
  if (const char* e = check_ctx(s.cur, kUserGo)) return fail(s, e);
  const uint64_t desc = s.ev.type == wire::EvSTWBegin ? s.ev.args[0] : 0;
  GState* gs = find_g(s.cur.g);
  if (gs == nullptr) {
    return fail(s, fmt::format("encountered event of type {} without known state for current goroutine {}",
                               s.ev.type, s.cur.g));
  }
  if (begin_range(notes(gs).ranges, range_type(s.ev.type, desc), s.err)) return kError;
  push(s.ev, s.cur);
  return kAdvanced;
}

Ordering::Outcome Ordering::go_range_active(Step& s) {
  // Like a status event: may name a goroutine that is not running; no context check.
  const auto gid = static_cast<int64_t>(s.ev.args[0]);
  GState* gs = find_g(gid);
  if (gs == nullptr) {
    return fail(s, fmt::format("uninitialized goroutine {} found during {}", gid, name_of(s.ev.type)));
  }
  if (active_range(notes(gs).ranges, range_type(s.ev.type, 0), s.gen.gen == initial_gen_, s.err)) return kError;
  push(s.ev, s.cur);
  return kAdvanced;
}

Ordering::Outcome Ordering::go_range_end(Step& s) {
  if (const char* e = check_ctx(s.cur, kUserGo)) return fail(s, e);
  GState* gs = find_g(s.cur.g);
  if (gs == nullptr) {
    return fail(s, fmt::format("encountered event of type {} without known state for current goroutine {}",
                               s.ev.type, s.cur.g));
  }
  uint64_t desc = 0;
  if (!end_range(notes(gs).ranges, s.ev.type, &desc, s.err)) return kError;
  if (s.ev.type == wire::EvSTWEnd) s.ev.args[0] = desc;
  push(s.ev, s.cur);
  return kAdvanced;
}

std::string Ordering::dump() const {
  // At most kMaxLines entries per section, so a broken huge trace still gives a readable message.
  constexpr size_t kMaxLines = 32;
  std::string out;
  size_t n = 0;
  g_index_.for_each([&](int64_t id, uint32_t i) {
    const GState& g = g_pool_[i];
    if (n++ < kMaxLines) {
      out += fmt::format("G {} [status={} seq={}]\n", id, wire::go_status_name(g.status), seq_str(g.seq));
    }
  });
  if (n > kMaxLines) out += fmt::format("... and {} more goroutines\n", n - kMaxLines);
  out += "\n";
  n = 0;
  p_index_.for_each([&](int64_t id, uint32_t i) {
    const PState& p = p_pool_[i];
    if (n++ < kMaxLines) {
      out += fmt::format("P {} [status={} seq={}]\n", id, wire::proc_status_name(p.status), seq_str(p.seq));
    }
  });
  if (n > kMaxLines) out += fmt::format("... and {} more procs\n", n - kMaxLines);
  out += "\n";
  n = 0;
  for (const auto& [id, m] : m_states_) {
    if (n++ < kMaxLines) out += fmt::format("M {} [g={} p={}]\n", id, m.g, m.p);
  }
  if (n > kMaxLines) out += fmt::format("... and {} more threads\n", n - kMaxLines);
  out += "\n";
  static constexpr const char* kGc[] = {"Undetermined", "NotRunning", "Running"};
  out += fmt::format("GC {} {}\n", gc_seq_, kGc[static_cast<int>(gc_state_)]);
  return out;
}

}  // namespace ctxtrail::trace
