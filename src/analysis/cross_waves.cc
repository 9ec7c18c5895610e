/// A cancel followed across processes: the caller's context done, its transport's `abort`, the
/// server's `remotecancel`, the server's context done and the goroutines that woke; then on from
/// the server, as a caller of its own requests. Each hop's latency is split where the events
/// fall: client side (done -> abort), network (abort -> remotecancel, across clocks) and server
/// side (remotecancel -> the server's context done).
#include <algorithm>
#include <functional>
#include <optional>

#include "analysis/processes_stages.h"

namespace ctxtrail::analysis {
namespace {

// The hop of edge `e`, when its server learnt of the cancel.
std::optional<CancelHop> hop_of(const MultiAnalysis& m, size_t e_index) {
  const CrossEdge& e = m.edges[e_index];
  const Process& client = m.processes[e.client];
  const Process& server = m.processes[e.server];
  const model::RemoteSend& s = client.analysis.contexts.remote.sends[e.send];
  const model::RemoteReceive& r = server.analysis.contexts.remote.receives[e.receive];
  if (!r.cancel) return std::nullopt;
  CancelHop h;
  h.edge = e_index;
  h.learnt = server.to_shared(r.cancel->time);
  h.how = r.cancel->how;
  h.cause = r.cancel->cause;
  const model::Context* caller = client.analysis.contexts.find(s.ctx);
  if (s.abort) {
    h.aborted = client.to_shared(s.abort->time);
    if (!s.abort->cause.empty()) h.cause = s.abort->cause;
  }
  if (caller != nullptr && caller->done)
    h.caller_done = client.to_shared(caller->done->time);
  else
    h.caller_done = s.abort ? h.aborted : h.learnt;
  if (!s.abort) h.aborted = h.caller_done;
  const model::Context* mine = server.analysis.contexts.find(r.ctx);
  if (mine != nullptr && mine->done) {
    h.server_done = server.to_shared(mine->done->time);
    if (mine->done->wave >= 0) {
      const auto& waves = server.analysis.report.waves;
      const int32_t id = mine->done->wave + 1;
      // Wave IDs are 1-based positions (CancelWave::id).
      std::optional<diagnose::WaveSummary> w;
      if (static_cast<size_t>(id) <= waves.size()) w = waves[static_cast<size_t>(id - 1)];
      if (w && w->id == id) {
        h.server_wave = id;
        h.woken = w->woken_count;
        if (w->ended_within_ns)
          h.woken_ended = server.to_shared(server.analysis.model.trace_begin + w->time_ns + *w->ended_within_ns);
      }
    }
  }
  return h;
}

// The hop whose server context is `ctx` of process `p`, cancelled remotely: the hop before.
std::optional<size_t> hop_into(const MultiAnalysis& m, const std::vector<CancelHop>& hops, size_t p, uint64_t ctx) {
  for (size_t i = 0; i < hops.size(); ++i) {
    const CrossEdge& e = m.edges[hops[i].edge];
    if (e.server == p && e.server_ctx == ctx) return i;
  }
  return std::nullopt;
}

}  // namespace

void follow_cancels(MultiAnalysis& m) {
  std::vector<CancelHop> hops;
  for (size_t i = 0; i < m.edges.size(); ++i)
    if (auto h = hop_of(m, i)) hops.push_back(std::move(*h));
  // Each hop's predecessor: the hop that cancelled the remote context its caller's cancel came
  // from; a hop without one starts a wave at its caller's origin.
  std::vector<std::optional<size_t>> before(hops.size());
  std::vector<std::vector<size_t>> after(hops.size());
  for (size_t i = 0; i < hops.size(); ++i) {
    const CrossEdge& e = m.edges[hops[i].edge];
    const model::ContextTree& t = m.processes[e.client].analysis.contexts;
    const model::Context* c = t.find(e.client_ctx);
    if (c == nullptr || !c->done) continue;
    before[i] = hop_into(m, hops, e.client, t.origin_of(*c)->id);
    if (before[i] == i) before[i].reset();
    if (before[i]) after[*before[i]].push_back(i);
  }
  for (size_t i = 0; i < hops.size(); ++i) {
    if (before[i]) continue;
    const CrossEdge& e = m.edges[hops[i].edge];
    const Process& p = m.processes[e.client];
    CrossWave w;
    w.origin_process = e.client;
    w.time = hops[i].caller_done;
    w.cause = hops[i].cause;
    w.origin_ctx = e.client_ctx;
    w.origin_done = false;
    if (const model::Context* c = p.analysis.contexts.find(e.client_ctx); c != nullptr && c->done) {
      const model::Context* o = p.analysis.contexts.origin_of(*c);
      w.origin_ctx = o->id;
      w.origin_done = true;
      w.time = p.to_shared(o->done->time);
      w.origin_site = o->done->reason == "own" ? o->done->site : o->site;
      if (!o->done->cause.empty()) w.cause = o->done->cause;
    }
    // Depth first: each hop, then the hops it caused, in time order.
    std::function<void(size_t, int)> visit = [&](size_t h, int depth) {
      if (depth > 64) return;
      w.hops.push_back(hops[h]);
      std::vector<size_t> next = after[h];
      std::sort(next.begin(), next.end(), [&](size_t a, size_t b) { return hops[a].learnt < hops[b].learnt; });
      for (size_t n : next) visit(n, depth + 1);
    };
    visit(i, 0);
    m.waves.push_back(std::move(w));
  }
  std::sort(m.waves.begin(), m.waves.end(), [](const CrossWave& a, const CrossWave& b) { return a.time < b.time; });
}

}  // namespace ctxtrail::analysis
