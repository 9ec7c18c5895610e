/// The report of several processes (docs/cross-process.md, "Report"): one page, each process's
/// goroutines under a header of its own (name, trace, clock), and the arrows across processes.
/// The page data is the single-trace layout (render/page_parts.h) with each process's goroutine
/// and wave IDs moved into a range of their own and its times onto the shared axis, plus
/// `procs` and `xarrows`.
#include <algorithm>

#include "ctxtrail/render/processes.h"
#include "render/page_parts.h"
#include "render/processes_common.h"
#include "render/state_plot.h"

namespace ctxtrail::render {
namespace {

// Goroutine IDs of process p on the page: p * kIdRange + ID. Go numbers goroutines from 1 up
// by one; no trace comes near 2^40 of them, and 2^40 times a few processes stays an exact
// JavaScript number.
constexpr int64_t kIdRange = int64_t{1} << 40;

// Where each process's trace time 0 of the page is: the shared axis's start for the aligned,
// its own first event for a process with nothing to align it.
int64_t page_origin(const analysis::MultiAnalysis& m, const analysis::Process& p) {
  if (p.clock.source == analysis::ClockAlignment::Source::None) return p.analysis.model.trace_begin;
  return m.start() - p.clock.offset_ns;
}

// The goroutines by state of all processes on the page's axis, summed.
StatePlot summed_plot(std::span<const PagePart> parts, int64_t dur) {
  StatePlot plot(0, dur);
  for (const PagePart& part : parts)
    for (model::Interval iv : part.in->model.intervals) {
      iv.begin -= part.t0;
      if (iv.end >= 0) iv.end -= part.t0;
      plot.add(iv);
    }
  plot.finish();
  return plot;
}

void write_processes(Writer& w, const analysis::MultiAnalysis& m, std::span<const PagePart> parts) {
  w.key("procs");
  w.open('[');
  for (size_t i = 0; i < m.processes.size(); ++i) {
    const analysis::Process& p = m.processes[i];
    w.open('{');
    w.key("name");
    w.str(p.name);
    w.key("trace");
    w.str(p.trace_file);
    w.key("source");
    w.str(to_string(p.clock.source));
    w.field("offset", p.clock.offset_ns);
    w.key("unc");
    if (p.clock.uncertainty_ns)
      w.num(*p.clock.uncertainty_ns);
    else
      w.raw("null");
    w.key("clock");
    w.str(clock_text(p.clock));
    w.field("base", parts[i].id_base);
    w.field("wbase", parts[i].wave_base);
    w.close('}');
  }
  w.close(']');
}

void write_arrows(Writer& w, const analysis::MultiAnalysis& m, std::span<const PagePart> parts) {
  static constexpr const char* kKind[] = {"request", "cancel"};  // by CrossArrow::Kind
  w.key("xarrows");
  w.open('[');
  for (const CrossArrow& a : cross_arrows(m)) {
    const PagePart& from = parts[a.from.process];
    const PagePart& to = parts[a.to.process];
    w.open('{');
    w.key("k");
    w.str(kKind[a.kind]);
    w.field("a", from.id(a.from.g));
    w.field("ta", a.from.time - from.t0);
    w.field("b", to.id(a.to.g));
    w.field("tb", a.to.time - to.t0);
    w.key("tip");
    w.str(a.tip);
    w.close('}');
  }
  w.close(']');
}

}  // namespace

std::string render_processes_html_report(const analysis::MultiAnalysis& m, std::span<const RenderInput> inputs) {
  std::vector<PagePart> parts;
  int64_t wave_base = 0, dur = 1;
  uint64_t events = 0;
  IntervalDetail detail;
  std::string name;
  for (size_t i = 0; i < m.processes.size(); ++i) {
    const analysis::Process& p = m.processes[i];
    const RenderInput& in = inputs[i];
    PagePart part{.in = &in, .t0 = page_origin(m, p), .id_base = static_cast<int64_t>(i) * kIdRange,
                  .wave_base = wave_base, .label = p.name};
    for (const model::CancelWave& w : in.model.waves) wave_base = std::max<int64_t>(wave_base, part.wave_base + w.id);
    dur = std::max(dur, in.model.trace_end - part.t0);
    events += in.model.events;
    name += (name.empty() ? "" : " + ") + p.name;
    if (in.detail != nullptr && in.detail->reduced()) {
      detail.quantum = std::max(detail.quantum, in.detail->quantum);
      detail.max_intervals = in.detail->max_intervals;
      detail.exact_goroutines += in.detail->exact_goroutines;
    }
    detail.recorded += in.detail != nullptr ? in.detail->recorded : in.model.intervals.size();
    detail.kept += in.model.intervals.size();
    parts.push_back(std::move(part));
  }
  const StatePlot plot = summed_plot(parts, dur);
  const PageTop top{name, dur, events, &detail, &plot};
  auto more = [&](Writer& w, Interner&) {
    write_processes(w, m, parts);
    write_arrows(w, m, parts);
  };
  return fill_report_page(name, [&](std::string& page) { append_page_data(parts, top, page, more); });
}

}  // namespace ctxtrail::render
