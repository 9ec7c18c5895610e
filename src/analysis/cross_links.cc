/// The context tree across processes: a server's `remote` joined to the client's `send` of the
/// same request id (docs/trail-events.md: random, unique across processes with high
/// probability), the caller's procid, when the server received one, naming the client.
#include <unordered_map>

#include "analysis/processes_stages.h"

namespace ctxtrail::analysis {

void join_requests(MultiAnalysis& m) {
  struct At {
    size_t process, send;
  };
  std::unordered_multimap<uint64_t, At> sends;  // req_id -> where it was sent
  for (size_t p = 0; p < m.processes.size(); ++p) {
    const auto& s = m.processes[p].analysis.contexts.remote.sends;
    for (size_t i = 0; i < s.size(); ++i)
      if (s[i].req_id != 0) sends.emplace(s[i].req_id, At{p, i});
  }
  for (size_t p = 0; p < m.processes.size(); ++p) {
    const auto& rs = m.processes[p].analysis.contexts.remote.receives;
    for (size_t i = 0; i < rs.size(); ++i) {
      const model::RemoteReceive& r = rs[i];
      if (r.req_id == 0) continue;  // a caller without trail's transports
      auto [lo, hi] = sends.equal_range(r.req_id);
      for (auto it = lo; it != hi; ++it) {
        const Process& client = m.processes[it->second.process];
        if (it->second.process == p) continue;
        if (r.caller_proc != 0 && client.proc_id != 0 && client.proc_id != r.caller_proc) continue;
        const model::RemoteSend& s = client.analysis.contexts.remote.sends[it->second.send];
        CrossEdge e;
        e.client = it->second.process;
        e.server = p;
        e.send = it->second.send;
        e.receive = i;
        e.req_id = r.req_id;
        e.client_ctx = s.ctx;
        e.server_ctx = r.ctx;
        e.transport = r.transport;
        e.target = s.target;
        m.edges.push_back(std::move(e));
        break;
      }
    }
  }
}

}  // namespace ctxtrail::analysis
