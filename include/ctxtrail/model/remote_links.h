/// One process's half of its cross-process links (docs/trail-events.md, "Across processes"):
/// which process wrote the trace (`proc`), the requests it sent with a context (`send`, and the
/// `abort` when the caller gave up first) and the contexts it derived from a remote caller
/// (`remote`, and the `remotecancel` when it learnt the caller cancelled). A reader given the
/// traces of several processes joins the halves by request id (analysis/processes.h).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ctxtrail/model/context_events.h"
#include "ctxtrail/trace/event.h"

namespace ctxtrail::model {

/// A `proc` event: the process's identity and a wall/trace clock pair read together.
struct ProcessStamp {
  uint64_t proc_id = 0;
  uint64_t version = 0;
  std::string name, host;
  uint64_t pid = 0;
  int64_t wall = 0;  // ns since the Unix epoch
  int64_t mono = 0;  // ns since trail's start
  int64_t time = 0;  // the event's trace time (the same moment as `wall`)
};

/// A Go 1.25+ trace's clock snapshot (one per generation, on its Sync event): the same moment
/// on the trace's clock and on the wall clock.
struct ClockStamp {
  int64_t time = 0;  // trace time, ns
  int64_t wall = 0;  // ns since the Unix epoch
};

/// When a caller learnt its request's context ended first (`abort`).
struct RequestAbort {
  int64_t time = 0;
  trace::GoID g = trace::kNoGoroutine;
  std::string err, cause;
};

/// A request sent with a context (`send`, client side).
struct RemoteSend {
  uint64_t req_id = 0;
  uint64_t ctx = 0;  // the request's context, 0 untraced
  std::string transport, target;
  uint64_t dest = 0;
  int64_t deadline = 0;  // wall ns sent, 0 none
  int64_t timeout = 0;
  int64_t sent = 0;      // wall ns stamped
  int64_t time = 0;
  trace::GoID g = trace::kNoGoroutine;
  std::optional<RequestAbort> abort;
};

/// When a server learnt its caller cancelled (`remotecancel`).
struct RemoteCancel {
  int64_t time = 0;
  trace::GoID g = trace::kNoGoroutine;
  std::string how;   // close, reset, annotation
  int64_t sent = 0;  // annotations: when the caller stamped its cancel
  std::string cause;
  /// Where the goroutine that derived the context next blocked after learning (its stack, at
  /// `blocked_at`): the line a server that works on after the cancel is at. 0: not seen.
  trace::StackID blocked_stack = 0;
  int64_t blocked_at = -1;
};

/// A context derived from a remote caller (`remote`, server side).
struct RemoteReceive {
  uint64_t ctx = 0;  // the server's context
  uint64_t req_id = 0;
  std::string transport, target, flags;
  uint64_t caller_proc = 0, caller_ctx = 0;
  int64_t deadline = 0;  // wall ns received, 0 none
  int64_t timeout = 0;
  int64_t sent = 0;
  int64_t time = 0;
  trace::GoID g = trace::kNoGoroutine;
  std::optional<RemoteCancel> cancel;
};

struct RemoteLinks {
  std::vector<ProcessStamp> stamps;  // in trace order
  std::vector<ClockStamp> clocks;    // the trace's clock snapshots, in order
  std::vector<RemoteSend> sends;
  std::vector<RemoteReceive> receives;
  uint64_t unmatched = 0;  // abort/remotecancel without their send/remote in this trace

  bool empty() const { return stamps.empty() && sends.empty() && receives.empty(); }
  /// Every event of the trace, in order: the Sync events' clock snapshots (trace/reader.cc),
  /// and where each remotely cancelled server goroutine blocks next. One branch per event while
  /// no such goroutine is pending.
  void on_event(const trace::Event& ev) {
    if (ev.kind == trace::EventKind::Sync) add_clock(ev);
    if (!pending_.empty() && ev.kind == trace::EventKind::StateTransition) on_transition(ev);
  }
  /// The process's identity (the first `proc`'s), 0 when the trace holds none.
  uint64_t proc_id() const { return stamps.empty() ? 0 : stamps.front().proc_id; }
  /// Adds a decoded version 2 event logged at `time` by `g`; false for other kinds.
  bool add(TrailEvent& e, int64_t time, trace::GoID g);

 private:
  void add_clock(const trace::Event& sync);
  void on_transition(const trace::Event& ev);
  std::vector<size_t> pending_;  // receives whose goroutine has not blocked since its cancel
};

}  // namespace ctxtrail::model
