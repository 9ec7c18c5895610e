/// slow-remote-propagation: a caller's cancel took more than --slow-propagation to end the
/// context its request made in another process (the caller's context done -> the server's
/// context done, on the shared clock). Only several traces show it; the clock's uncertainty is
/// taken off first, so that alignment error alone never makes a finding.
#include <fmt/format.h>

#include <algorithm>

#include "analysis/processes_stages.h"
#include "ctxtrail/model/naming.h"

namespace ctxtrail::analysis {
namespace {

constexpr std::string_view kRule = "slow-remote-propagation";

bool selected(const diagnose::Options& o) {
  return o.rules.empty() || std::find(o.rules.begin(), o.rules.end(), kRule) != o.rules.end();
}

// How far the two clocks may be off from each other (nothing: unknown on one side).
std::optional<int64_t> clock_error(const Process& a, const Process& b) {
  if (a.clock.source == ClockAlignment::Source::None || b.clock.source == ClockAlignment::Source::None)
    return std::nullopt;
  auto one = [](const Process& p) -> std::optional<int64_t> {
    if (p.clock.source == ClockAlignment::Source::Reference) return 0;
    return p.clock.uncertainty_ns;
  };
  auto ea = one(a), eb = one(b);
  // A one-sided request bound leaves a clock early by at most the one-way delay, which makes a
  // hop into that process look shorter, never longer: it adds nothing a finding must discount.
  return ea.value_or(0) + eb.value_or(0);
}

}  // namespace

void check_cross_rules(MultiAnalysis& m, const diagnose::Options& options) {
  if (!selected(options)) return;
  for (const CrossWave& w : m.waves) {
    for (const CancelHop& h : w.hops) {
      if (!h.server_done) continue;
      const CrossEdge& e = m.edges[h.edge];
      const Process& client = m.processes[e.client];
      const Process& server = m.processes[e.server];
      auto err = clock_error(client, server);
      if (!err) continue;
      const int64_t took = *h.server_done - h.caller_done;
      if (took - *err <= options.slow_propagation_ns) continue;
      const model::Context* caller = client.analysis.contexts.find(e.client_ctx);
      const model::Context* callee = server.analysis.contexts.find(e.server_ctx);
      diagnose::Finding f;
      f.rule = std::string(kRule);
      f.severity = diagnose::Severity::Warning;
      f.time_ns = *h.server_done - server.clock.offset_ns - server.analysis.model.trace_begin;
      f.message = fmt::format(
          "{}'s cancel of context #{} reached {}'s context #{} ({} {}) {} later (client side {}, network {}, "
          "server side {}; clocks aligned within {})",
          client.name, e.client_ctx, server.name, e.server_ctx, e.transport, e.target, model::format_duration(took),
          model::format_duration(h.client_side()), model::format_duration(h.network()),
          model::format_duration(*h.server_side()), model::format_duration(*err));
      if (caller != nullptr && caller->done && caller->done->reason == "own")
        f.locations.push_back({std::string(diagnose::role::kCancel), caller->done->site});
      if (callee != nullptr) f.locations.push_back({std::string(diagnose::role::kContext), callee->site});
      if (h.server_wave > 0) f.waves = {h.server_wave};
      m.cross_findings.emplace_back(e.server, std::move(f));
    }
  }
}

}  // namespace ctxtrail::analysis
