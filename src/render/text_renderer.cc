/// The text report: findings grouped by rule, most severe first, each with its source lines;
/// then a one-screen summary of the cancel waves and the shutdown critical path.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "ctxtrail/model/naming.h"
#include "render/renderers.h"
#include "render/wave_digest.h"

namespace ctxtrail::render {

namespace {

std::string dur(int64_t ns) {
  if (ns < 1000) return fmt::format("{}ns", ns);
  if (ns < 1'000'000) return fmt::format("{:.3g}µs", ns / 1e3);
  if (ns < 1'000'000'000) return fmt::format("{:.3g}ms", ns / 1e6);
  return fmt::format("{:.3g}s", ns / 1e9);
}

// A finding may name thousands of goroutines (a pile-up, a profile's stack): the text shows the
// first ones and how many there are; JSON and SARIF keep them all.
constexpr size_t kListShown = 10;


// "G12, G13, … and 31,045 more" past kListShown items, each written `prefix` + ID.
template <typename Id>
std::string summarised_list(const std::vector<Id>& ids, std::string_view prefix) {
  std::string out;
  for (size_t i = 0; i < ids.size() && i < kListShown; ++i)
    out += fmt::format("{}{}{}", i ? ", " : "", prefix, ids[i]);
  if (ids.size() > kListShown) out += fmt::format(", … and {} more", model::format_count(ids.size() - kListShown));
  return out;
}

std::string where(const model::SourceLoc& l) {
  return fmt::format("{}:{} ({})", l.file, l.line, l.function);
}

// One line per wave.
void write_wave(const diagnose::Report& r, const diagnose::WaveSummary& w, std::ostream& out) {
  const model::SourceLoc& at = r.cancel_location(w);
  // Not all ended: those alive at the end are "not ended"; the rest ended after a later cancel
  // woke them again.
  std::string ended = w.woken_count == 0 ? std::string("nobody to end")
                      : w.ended_within_ns ? "all ended within " + dur(*w.ended_within_ns)
                      : w.not_ended > 0   ? fmt::format("{} not ended", w.not_ended)
                                          : std::string("woken again by a later cancel before ending");
  std::string what = w.timer ? "deadline timer " + where(at) : "cancel at " + where(at);
  if (const diagnose::WaveContext* c = r.context_of(w))  // trail events name the context
    what = w.timer ? "deadline of " + c->description : "cancel at " + where(at) + " of " + c->description;
  out << fmt::format("  #{:<3} at {:<9} {}  woke {}: {}{}\n", w.id, dur(w.time_ns), what, w.woken_count, ended,
                     w.parent ? fmt::format("  (relayed from #{})", w.parent) : "");
}

// A trace of a busy service holds a million waves: past kWavesListed the text shows the most
// telling ones and a line per cancel site (JSON lists them all).
constexpr size_t kWavesListed = 20;
constexpr size_t kSitesListed = 20;

void write_waves(const diagnose::Report& r, std::ostream& out) {
  if (r.waves.size() <= kWavesListed) {
    out << "\ncancel waves:\n";
    for (const diagnose::WaveSummary& w : r.waves) write_wave(r, w, out);
    return;
  }
  const WaveDigest d = digest_waves(r, kWavesListed);
  out << fmt::format("\ncancel waves: {} in all; the {} most telling (named by a finding, most woken goroutines "
                     "left alive, slowest to end, most woken; --format json lists every wave):\n",
                     model::format_count(r.waves.size()), d.shown.size());
  for (const diagnose::WaveSummary& w : d.shown) write_wave(r, w, out);
  out << fmt::format("\ncancel sites ({}):\n", model::format_count(d.sites.size()));
  for (size_t i = 0; i < d.sites.size() && i < kSitesListed; ++i) {
    const SiteTotals& t = d.sites[i];
    std::string timer = t.timer_waves == 0 ? ""
                        : t.timer_waves == t.waves ? " (deadline timers)"
                                                   : fmt::format(" ({} by deadline timers)", model::format_count(t.timer_waves));
    std::string outcome = fmt::format("woke {}", model::format_count(t.woken));
    if (t.not_ended > 0) outcome += fmt::format(", {} not ended", model::format_count(t.not_ended));
    if (t.slowest_ns) outcome += ", slowest all ended within " + dur(*t.slowest_ns);
    out << fmt::format("  {:>9} wave{}{} at {}: {}\n", model::format_count(t.waves), t.waves == 1 ? "" : "s", timer,
                       where(r.wave_sites[t.site]), outcome);
  }
  if (d.sites.size() > kSitesListed)
    out << fmt::format("  … and {} more sites\n", model::format_count(d.sites.size() - kSitesListed));
}

class TextRenderer : public Renderer {
 public:
  void render(const diagnose::Report& r, std::ostream& out) override {
    size_t errors = 0, warnings = 0;
    for (const auto& f : r.findings) (f.severity == diagnose::Severity::Error ? errors : warnings) += 1;
    const std::string counts = fmt::format("{} finding{} ({} error{}, {} warning{})", r.findings.size(),
                                           r.findings.size() == 1 ? "" : "s", errors, errors == 1 ? "" : "s",
                                           warnings, warnings == 1 ? "" : "s");
    if (r.trace_given)
      out << fmt::format("{}: {}; {} goroutines, {} cancel wave{}, {} traced{}\n", r.trace, counts, r.goroutines,
                         r.waves.size(), r.waves.size() == 1 ? "" : "s", dur(r.duration_ns),
                         r.partial ? " (partial: the trace is truncated or malformed)" : "");
    else
      out << fmt::format("{}: {}; no trace: from goroutine snapshots alone\n", r.trace, counts);
    for (const diagnose::SnapshotSummary& s : r.snapshots) {
      out << fmt::format("  + {}: {}, {} goroutine{}", s.file, s.kind, s.goroutines, s.goroutines == 1 ? "" : "s");
      if (s.leaked > 0) {
        out << fmt::format(", {} marked leaked", s.leaked);
        if (r.trace_given) out << fmt::format(" ({} found in the trace)", s.leaked_in_trace);
      }
      out << "\n";
      // Without a trace, the dump's own picture: the largest groups of goroutines parked alike.
      if (r.trace_given || s.largest.empty()) continue;
      out << fmt::format("    {} group{} by state, stack and creation; the largest:\n", s.groups, s.groups == 1 ? "" : "s");
      for (const diagnose::StackGroupSummary& g : s.largest) {
        out << fmt::format("    {:>7}  {}", g.count, g.operation.empty() ? "?" : g.operation);
        if (g.longest_wait_minutes > 0) out << fmt::format(" (up to {} minutes)", g.longest_wait_minutes);
        if (!g.where.empty()) out << fmt::format("  {} ({})", model::short_location(g.where), g.where.function);
        if (!g.created.empty()) out << fmt::format("  started at {}", model::short_location(g.created));
        out << "\n";
      }
    }
    std::string rule;
    for (const diagnose::Finding& f : r.findings) {
      if (f.rule != rule) {
        rule = f.rule;
        const diagnose::RuleInfo* info = diagnose::find_rule(rule);
        out << fmt::format("\n{}[{}]: {}\n", diagnose::to_string(f.severity), rule,
                           info ? info->summary : "");
      }
      out << fmt::format("  * {}\n", f.message);
      // A finding from a profile alone has no goroutine IDs and no time in a trace.
      if (f.goroutines.empty())
        out << "    from a profile (no goroutine IDs, no trace time)\n";
      else
        out << fmt::format("    {}goroutine{} {}{}\n", r.trace_given ? fmt::format("at {}  ", dur(f.time_ns)) : "",
                         f.goroutines.size() == 1 ? "" : "s", summarised_list(f.goroutines, "G"),
                         f.waves.empty() ? "" : fmt::format("  wave{} {}", f.waves.size() == 1 ? "" : "s",
                                                            summarised_list(f.waves, "#")));
      for (const diagnose::Location& l : f.locations)
        out << fmt::format("    {:<9} {}\n", l.role, where(l.where));
      if (!f.block_stack.empty()) {
        out << "    blocked in:\n";
        for (const auto& fr : f.block_stack) out << fmt::format("      {}\n", where(fr));
      }
    }
    if (r.findings.empty()) out << "\nno findings\n";
    if (!r.waves.empty()) write_waves(r, out);
    if (r.propagation && r.propagation->count > 0)
      out << fmt::format("\ncontext propagation latency over {} edge{}: p50 {}, p99 {}, max {}\n",
                         r.propagation->count, r.propagation->count == 1 ? "" : "s", dur(r.propagation->p50),
                         dur(r.propagation->p99), dur(r.propagation->max));
    if (!r.critical_path.empty()) {
      out << fmt::format("\nshutdown critical path (wave #{}):\n", r.critical_wave);
      for (const diagnose::PathStep& s : r.critical_path) {
        out << fmt::format("  {:<9} {} --{}--> {}\n", dur(s.time_ns), s.from, s.edge, s.to);
        // An "after" step is no event of the trace: say what it stands for.
        if (s.edge == "after")
          out << "            (ended after its creator's cancel, no wake edge seen: it noticed on its own, polling ctx.Err() or after a sleep?)\n";
        if (s.edge == "woken")
          out << "            (woken by this cancel, it went on and ended later, after wakes traced to no cancel or end)\n";
      }
    }
  }
};

}  // namespace

std::unique_ptr<Renderer> make_text_renderer() { return std::make_unique<TextRenderer>(); }

}  // namespace ctxtrail::render
