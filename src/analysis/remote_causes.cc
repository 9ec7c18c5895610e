/// The existing rules across processes: a finding of one process whose goroutines served a
/// request its caller cancelled (the request's handler, or a goroutine it started) names the
/// caller's side too: which process and context cancelled the request, and where the cancel
/// began (the cross-process wave's origin). A backend goroutine leaked by the gateway's cancel
/// is then reported with both ends.
#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "analysis/processes_stages.h"
#include "ctxtrail/model/naming.h"

namespace ctxtrail::analysis {
namespace {

// Whether goroutine g is `handler` or was started by it, directly or through others.
bool served_by(const model::Model& m, model::GoID g, model::GoID handler) {
  for (int depth = 0; depth < 64 && g != trace::kNoGoroutine; ++depth) {
    if (g == handler) return true;
    const model::Goroutine* gr = m.find(g);
    if (gr == nullptr) return false;
    g = gr->creator;
  }
  return false;
}

// The cross-process wave one of whose hops is edge e, or null.
const CrossWave* wave_of_edge(const MultiAnalysis& m, size_t e) {
  for (const CrossWave& w : m.waves)
    for (const CancelHop& h : w.hops)
      if (h.edge == e) return &w;
  return nullptr;
}

// The rules that already speak of the remote caller.
bool names_the_caller(const std::string& rule) {
  return rule == "remote-cancel-ignored" || rule == "deadline-dropped" || rule == "slow-remote-propagation";
}

}  // namespace

void name_remote_causes(MultiAnalysis& m) {
  std::set<const diagnose::Finding*> named;  // each finding names its first such request only
  for (size_t e = 0; e < m.edges.size(); ++e) {
    const CrossEdge& edge = m.edges[e];
    Process& server = m.processes[edge.server];
    const model::RemoteReceive& r = server.analysis.contexts.remote.receives[edge.receive];
    if (!r.cancel) continue;
    const CrossWave* wave = wave_of_edge(m, e);
    for (diagnose::Finding& f : server.analysis.report.findings) {
      if (names_the_caller(f.rule) || named.count(&f)) continue;
      const bool serves = std::any_of(f.goroutines.begin(), f.goroutines.end(),
                                      [&](model::GoID g) { return served_by(server.analysis.model, g, r.g); });
      if (!serves) continue;
      named.insert(&f);
      f.message += fmt::format("; it served {}'s request {} ({}), cancelled by {}'s context #{}", m.processes[edge.client].name,
                               edge.target, edge.transport, m.processes[edge.client].name, edge.client_ctx);
      if (wave != nullptr && wave->origin_process != edge.client)
        f.message += fmt::format(", a cancel that began in {} (context #{})", m.processes[wave->origin_process].name,
                                 wave->origin_ctx);
      if (wave != nullptr && !wave->origin_site.empty()) {
        f.message += fmt::format(" at {}", model::short_location(wave->origin_site));
        f.locations.push_back({"remote-cancel", wave->origin_site});
      }
      if (wave != nullptr && !wave->cause.empty()) f.message += fmt::format(" (\"{}\")", wave->cause);
      f.message += ".";
    }
  }
}

}  // namespace ctxtrail::analysis
