/// One time axis for several processes (docs/cross-process.md, "Clocks"): each process's trace
/// time mapped onto Unix wall time, by the best evidence its trace holds.
///  1. the trace's own clock snapshots (Go 1.25+: one per generation, wall and trace time);
///  2. else trail's `proc` event: the wall clock and the trace time of one moment (any Go
///     version). With both, `proc` checks the snapshots (ClockAlignment::cross_check_ns);
///  3. else the requests joined to processes already aligned: a server's `remote` comes after its
///     client's `send`, its `remotecancel` after the cancel that caused it. Each pair bounds the
///     offset from one side; requests both ways bound it from both (the midpoint, +- half the
///     gap); one way only gives a lower (or upper) bound, off by the unknown one-way delay.
/// With no wall time anywhere, the process with the most requests is the reference clock.
#include <algorithm>
#include <cstdlib>
#include <limits>

#include "analysis/processes_stages.h"

namespace ctxtrail::analysis {
namespace {

// The time of the cancel that ended `ctx` at its origin (an own cancel or a deadline: their
// events are written when it happens; a `parent` cancel's event may be written later).
std::optional<int64_t> cause_time(const model::ContextTree& t, uint64_t ctx) {
  const model::Context* c = t.find(ctx);
  if (c == nullptr || !c->done) return std::nullopt;
  const model::Context* o = t.origin_of(*c);
  if (!o->done || o->done->reason == "parent") return std::nullopt;
  return o->done->time;
}

// "b's offset >= a's offset + (t_a - t_b)" for each happened-before pair (event at t_a in a,
// then event at t_b in b) the edge holds.
template <typename Fn>
void causal_pairs(const MultiAnalysis& m, const CrossEdge& e, Fn each) {
  const model::ContextTree& ct = m.processes[e.client].analysis.contexts;
  const model::ContextTree& st = m.processes[e.server].analysis.contexts;
  const model::RemoteSend& s = ct.remote.sends[e.send];
  const model::RemoteReceive& r = st.remote.receives[e.receive];
  each(s.time, r.time);
  if (r.cancel)
    if (auto t = cause_time(ct, s.ctx)) each(*t, r.cancel->time);
}

// The offset of the first of `pairs` (wall, trace time) and how far the others stray from it:
// the wall clock moving against the trace's (NTP steps or slews).
template <typename Stamps>
std::optional<std::pair<int64_t, int64_t>> offset_of(const Stamps& pairs) {
  if (pairs.empty()) return std::nullopt;
  const int64_t first = pairs.front().wall - pairs.front().time;
  int64_t spread = 0;
  for (const auto& s : pairs) spread = std::max(spread, std::abs(s.wall - s.time - first));
  return std::pair{first, spread};
}

// What a single stamp can be off by. A clock snapshot reads the two clocks back to back in the
// runtime; trail reads the wall clock, then formats and logs the `proc` event, whose trace time
// comes later (on the 15 traces of testdata/xproc, 2-core and loaded, proc and the snapshots
// differ by 3 to 39 µs).
constexpr int64_t kSnapshotSlack = 1'000;
constexpr int64_t kProcSlack = 100'000;

void align_by_wall(Process& p) {
  const model::RemoteLinks& links = p.analysis.contexts.remote;
  const auto snapshots = offset_of(links.clocks);
  const auto proc = offset_of(links.stamps);
  const auto& best = snapshots ? snapshots : proc;
  if (!best) return;
  p.clock.source = snapshots ? ClockAlignment::Source::ClockSnapshot : ClockAlignment::Source::Proc;
  p.clock.offset_ns = best->first;
  p.clock.uncertainty_ns = std::max(best->second, snapshots ? kSnapshotSlack : kProcSlack);
  if (snapshots && proc) p.clock.cross_check_ns = proc->first - snapshots->first;
}

bool aligned(const Process& p) {
  return p.clock.source != ClockAlignment::Source::None;
}

// Aligns process `b` to the aligned processes it exchanged requests with; false when none.
bool align_by_requests(MultiAnalysis& m, size_t b) {
  std::optional<int64_t> lower, upper;
  size_t pairs = 0;
  for (const CrossEdge& e : m.edges) {
    const bool b_server = e.server == b && aligned(m.processes[e.client]);
    const bool b_client = e.client == b && aligned(m.processes[e.server]);
    if (!b_server && !b_client) continue;
    const Process& a = m.processes[b_server ? e.client : e.server];
    causal_pairs(m, e, [&](int64_t t_first, int64_t t_then) {
      ++pairs;
      if (b_server) {  // a's event, then b's: off_b >= off_a + t_first - t_then
        const int64_t bound = a.clock.offset_ns + t_first - t_then;
        lower = lower ? std::max(*lower, bound) : bound;
      } else {  // b's event, then a's: off_b <= off_a + t_then - t_first
        const int64_t bound = a.clock.offset_ns + t_then - t_first;
        upper = upper ? std::min(*upper, bound) : bound;
      }
    });
  }
  if (pairs == 0) return false;
  ClockAlignment& c = m.processes[b].clock;
  c.source = ClockAlignment::Source::Requests;
  c.pairs = pairs;
  c.lower_ns = lower;
  c.upper_ns = upper;
  if (lower && upper) {
    // Bounds that cross say the processes' own clocks disagree (or a pair is not causal):
    // the midpoint still, and the gap as the uncertainty.
    c.offset_ns = *lower + (*upper - *lower) / 2;
    c.uncertainty_ns = (*upper >= *lower ? *upper - *lower : *lower - *upper) / 2;
  } else {
    c.offset_ns = lower ? *lower : *upper;
  }
  return true;
}

}  // namespace

void align_clocks(MultiAnalysis& m) {
  bool any = false;
  for (Process& p : m.processes) {
    align_by_wall(p);
    any = any || aligned(p);
  }
  if (!any) {
    // No wall time anywhere: the clock of the process with the most requests is the axis.
    std::vector<size_t> links(m.processes.size());
    for (const CrossEdge& e : m.edges) ++links[e.client], ++links[e.server];
    const size_t ref = static_cast<size_t>(std::max_element(links.begin(), links.end()) - links.begin());
    m.processes[ref].clock.source = ClockAlignment::Source::Reference;
  }
  for (bool progress = true; progress;) {
    progress = false;
    for (size_t b = 0; b < m.processes.size(); ++b)
      if (!aligned(m.processes[b]) && align_by_requests(m, b)) progress = true;
  }
  for (CrossEdge& e : m.edges) {
    const Process& c = m.processes[e.client];
    const Process& s = m.processes[e.server];
    e.latency_ns = s.to_shared(s.analysis.contexts.remote.receives[e.receive].time) -
                   c.to_shared(c.analysis.contexts.remote.sends[e.send].time);
  }
}

}  // namespace ctxtrail::analysis
