/// Wording and JSON shared by the multi-process outputs.
#include "render/processes_common.h"

#include <fmt/format.h>

#include <cstdlib>

#include "ctxtrail/model/naming.h"

namespace ctxtrail::render {

using model::format_duration;
using nlohmann::ordered_json;

std::string clock_text(const analysis::ClockAlignment& c) {
  using S = analysis::ClockAlignment::Source;
  switch (c.source) {
    case S::None: return "not aligned (no wall time, no request to an aligned process): its own clock";
    case S::Reference: return "reference (no process has wall time: the others are aligned to this clock)";
    default: break;
  }
  std::string text = fmt::format("{}, wall = trace time {} {}ns", to_string(c.source), c.offset_ns < 0 ? "-" : "+",
                                 c.offset_ns < 0 ? -c.offset_ns : c.offset_ns);
  if (c.uncertainty_ns)
    text += fmt::format(", ±{}", format_duration(*c.uncertainty_ns));
  else if (c.lower_ns)
    text += ", a lower bound (requests one way only: later by the unknown one-way delay)";
  else if (c.upper_ns)
    text += ", an upper bound (requests one way only)";
  if (c.source == S::Requests) text += fmt::format(" from {} pair{}", c.pairs, c.pairs == 1 ? "" : "s");
  if (c.cross_check_ns) text += fmt::format(" (trail's proc agrees within {})", format_duration(std::abs(*c.cross_check_ns)));
  return text;
}

std::string hop_text(const analysis::MultiAnalysis& m, const analysis::CancelHop& h) {
  const analysis::CrossEdge& e = m.edges[h.edge];
  std::string text = fmt::format("{} #{} -> {} #{}  {} ({}, {}): client side {}, network {}", m.processes[e.client].name,
                                 e.client_ctx, m.processes[e.server].name, e.server_ctx, e.target, e.transport, h.how,
                                 format_duration(h.client_side()), format_duration(h.network()));
  if (h.abort_logged_late())
    text += fmt::format(" (the client's abort was logged {} after the server learnt)", format_duration(h.aborted - h.learnt));
  if (auto s = h.server_side()) text += fmt::format(", server side {}", format_duration(*s));
  if (h.server_wave > 0) {
    text += fmt::format("; woke {} goroutine{} (wave #{})", h.woken, h.woken == 1 ? "" : "s", h.server_wave);
    if (h.woken_ended && h.server_done) text += fmt::format(", all ended within {}", format_duration(*h.woken_ended - *h.server_done));
  }
  return text;
}

std::string edge_text(const analysis::MultiAnalysis& m, const analysis::CrossEdge& e) {
  const analysis::Process& c = m.processes[e.client];
  const analysis::Process& s = m.processes[e.server];
  const model::RemoteSend& send = c.analysis.contexts.remote.sends[e.send];
  std::string deadline = send.deadline == 0 ? "no deadline" : fmt::format("deadline in {}", format_duration(send.timeout));
  return fmt::format("{} #{} -> {} #{}  {} ({}): {} later, {}", c.name, e.client_ctx, s.name, e.server_ctx, e.target,
                     e.transport, format_duration(e.latency_ns), deadline);
}

namespace {

// The arrows of one cancel hop: from the caller's context done (or, when it never was, its
// transport's abort) to the goroutines the server's cancel woke.
void hop_arrows(const analysis::MultiAnalysis& m, const analysis::CancelHop& h, std::vector<CrossArrow>& out) {
  const analysis::CrossEdge& e = m.edges[h.edge];
  const analysis::Analysis& client = m.processes[e.client].analysis;
  const analysis::Analysis& server = m.processes[e.server].analysis;
  const model::RemoteSend& send = client.contexts.remote.sends[e.send];
  const model::RemoteReceive& receive = server.contexts.remote.receives[e.receive];
  ArrowEnd from{e.client, trace::kNoGoroutine, 0};
  if (const model::Context* c = client.contexts.find(e.client_ctx); c != nullptr && c->done) {
    from.g = c->done->g;
    from.time = c->done->time;
  } else if (send.abort) {
    from.g = send.abort->g;
    from.time = send.abort->time;
  } else {
    return;
  }
  const std::string tip = hop_text(m, h);
  const model::Model& sm = server.model;
  if (h.server_wave > 0 && static_cast<size_t>(h.server_wave) <= sm.waves.size()) {
    for (int32_t wi : sm.waves[h.server_wave - 1].watchers) {
      const model::Watcher& w = sm.watchers[wi];
      out.push_back({CrossArrow::Cancel, from, {e.server, w.g, w.woken_at}, tip});
    }
    return;
  }
  if (receive.cancel) out.push_back({CrossArrow::Cancel, from, {e.server, receive.cancel->g, receive.cancel->time}, tip});
}

}  // namespace

std::vector<CrossArrow> cross_arrows(const analysis::MultiAnalysis& m) {
  std::vector<CrossArrow> out;
  for (const analysis::CrossEdge& e : m.edges) {
    const model::RemoteSend& s = m.processes[e.client].analysis.contexts.remote.sends[e.send];
    const model::RemoteReceive& r = m.processes[e.server].analysis.contexts.remote.receives[e.receive];
    out.push_back({CrossArrow::Request, {e.client, s.g, s.time}, {e.server, r.g, r.time}, edge_text(m, e)});
  }
  for (const analysis::CrossWave& w : m.waves)
    for (const analysis::CancelHop& h : w.hops) hop_arrows(m, h, out);
  return out;
}

ordered_json processes_json(const analysis::MultiAnalysis& m) {
  ordered_json out = ordered_json::array();
  for (const analysis::Process& p : m.processes) {
    ordered_json clock{{"source", to_string(p.clock.source)}, {"offset_ns", p.clock.offset_ns}};
    clock["uncertainty_ns"] = p.clock.uncertainty_ns ? ordered_json(*p.clock.uncertainty_ns) : ordered_json(nullptr);
    if (p.clock.lower_ns) clock["lower_ns"] = *p.clock.lower_ns;
    if (p.clock.upper_ns) clock["upper_ns"] = *p.clock.upper_ns;
    if (p.clock.source == analysis::ClockAlignment::Source::Requests) clock["pairs"] = p.clock.pairs;
    if (p.clock.cross_check_ns) clock["proc_minus_snapshot_ns"] = *p.clock.cross_check_ns;
    ordered_json pj{{"name", p.name}, {"trace", p.trace_file}};
    if (p.proc_id != 0) pj["proc_id"] = std::to_string(p.proc_id);  // a uint64: a string, as JSON numbers are doubles
    const auto& stamps = p.analysis.contexts.remote.stamps;
    if (!stamps.empty()) {
      pj["pid"] = stamps.front().pid;
      pj["host"] = stamps.front().host;
    }
    pj["clock"] = std::move(clock);
    out.push_back(std::move(pj));
  }
  return out;
}

ordered_json cross_process_json(const analysis::MultiAnalysis& m) {
  const int64_t t0 = m.start();
  ordered_json edges = ordered_json::array();
  for (const analysis::CrossEdge& e : m.edges)
    edges.push_back(ordered_json{{"client", m.processes[e.client].name},
                                 {"client_context", e.client_ctx},
                                 {"server", m.processes[e.server].name},
                                 {"server_context", e.server_ctx},
                                 {"request", std::to_string(e.req_id)},
                                 {"transport", e.transport},
                                 {"target", e.target},
                                 {"latency_ns", e.latency_ns}});
  ordered_json waves = ordered_json::array();
  for (const analysis::CrossWave& w : m.waves) {
    ordered_json hops = ordered_json::array();
    for (const analysis::CancelHop& h : w.hops) {
      const analysis::CrossEdge& e = m.edges[h.edge];
      ordered_json hj{{"client", m.processes[e.client].name},  {"client_context", e.client_ctx},
                      {"server", m.processes[e.server].name},  {"server_context", e.server_ctx},
                      {"request", std::to_string(e.req_id)},   {"how", h.how},
                      {"client_side_ns", h.client_side()},     {"network_ns", h.network()}};
      if (h.abort_logged_late()) hj["abort_logged_late_ns"] = h.aborted - h.learnt;
      hj["server_side_ns"] = h.server_side() ? ordered_json(*h.server_side()) : ordered_json(nullptr);
      if (h.server_wave > 0) {
        hj["server_wave"] = h.server_wave;
        hj["woken"] = h.woken;
      }
      hops.push_back(std::move(hj));
    }
    ordered_json wj{{"process", m.processes[w.origin_process].name},
                    {"context", w.origin_ctx},
                    {"context_done", w.origin_done},
                    {"time_ns", w.time - t0},
                    {"cause", w.cause}};
    if (!w.origin_site.empty())
      wj["location"] = ordered_json{{"function", w.origin_site.function}, {"file", w.origin_site.file}, {"line", w.origin_site.line}};
    wj["hops"] = std::move(hops);
    waves.push_back(std::move(wj));
  }
  return ordered_json{{"edges", std::move(edges)}, {"waves", std::move(waves)}};
}

}  // namespace ctxtrail::render
