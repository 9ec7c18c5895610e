/// Collects one trace's cross-process events; the joins across traces are analysis's.
#include "ctxtrail/model/remote_links.h"

namespace ctxtrail::model {

bool RemoteLinks::add(TrailEvent& e, int64_t time, trace::GoID g) {
  switch (e.kind) {
    case TrailEventKind::Proc:
      stamps.push_back(ProcessStamp{e.proc_id, e.version, std::move(e.name), std::move(e.host), e.pid, e.wall,
                                    e.mono, time});
      return true;
    case TrailEventKind::Send:
      sends.push_back(RemoteSend{e.req_id, e.id, std::move(e.transport), std::move(e.target), e.dest, e.deadline,
                                 e.timeout, e.sent, time, g, std::nullopt});
      return true;
    case TrailEventKind::Remote:
      receives.push_back(RemoteReceive{e.id, e.req_id, std::move(e.transport), std::move(e.target),
                                       std::move(e.flags), e.proc_id, e.remote_ctx, e.deadline, e.timeout, e.sent,
                                       time, g, std::nullopt});
      return true;
    case TrailEventKind::Abort: {
      // The latest send of that request by that context (a retry is a request of its own).
      for (auto it = sends.rbegin(); it != sends.rend(); ++it)
        if (it->req_id == e.req_id && !it->abort) {
          it->abort = RequestAbort{time, g, std::move(e.err), std::move(e.cause)};
          return true;
        }
      ++unmatched;
      return true;
    }
    case TrailEventKind::RemoteCancel: {
      for (auto it = receives.rbegin(); it != receives.rend(); ++it)
        if (it->ctx == e.id && it->req_id == e.req_id && !it->cancel) {
          it->cancel = RemoteCancel{time, g, std::move(e.how), e.sent, std::move(e.cause), 0, -1};
          pending_.push_back(static_cast<size_t>(receives.rend() - it) - 1);  // its index
          return true;
        }
      ++unmatched;
      return true;
    }
    default:
      return false;
  }
}

void RemoteLinks::on_transition(const trace::Event& ev) {
  if (ev.resource != trace::ResourceKind::Goroutine || ev.stack == 0) return;
  const auto to = ev.go_to();
  if (to != trace::GoState::Waiting && to != trace::GoState::Syscall) return;
  for (size_t k = 0; k < pending_.size(); ++k) {
    RemoteReceive& r = receives[pending_[k]];
    if (r.g != static_cast<trace::GoID>(ev.resource_id) || ev.time < r.cancel->time) continue;
    r.cancel->blocked_stack = ev.stack;
    r.cancel->blocked_at = ev.time;
    pending_.erase(pending_.begin() + static_cast<std::ptrdiff_t>(k));
    return;
  }
}

void RemoteLinks::add_clock(const trace::Event& sync) {
  if (sync.value == 0) return;
  clocks.push_back(ClockStamp{static_cast<int64_t>(sync.parent), static_cast<int64_t>(sync.value)});
}

}  // namespace ctxtrail::model
