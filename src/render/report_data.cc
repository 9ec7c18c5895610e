/// Packs the model into the report's JSON: interned strings and stacks, struct-of-arrays
/// goroutines, flat interval arrays, waves, the termination DAG, plots, findings and logs.
#include <algorithm>
#include <cmath>
#include <iterator>
#include <map>
#include <span>
#include <string_view>
#include <unordered_map>

#include <fmt/format.h>

#include "ctxtrail/model/naming.h"
#include "ctxtrail/render/report_html.h"
#include "render/context_data.h"
#include "render/lanes_data.h"
#include "render/page_parts.h"
#include "render/report_writer.h"
#include "render/state_plot.h"

namespace ctxtrail::render {
namespace {

using trace::GoState;

// The page's names for the numbers in `g.st` and `codes` (trace::GoState) and in `g.kind`
// (model::GoKind): the data carries them as "state_names" and "kind_names", indexed by value,
// so web/report/ keeps no copy of either enum. A new enumerator is a -Wswitch warning here (an
// error with CTXTRAIL_WERROR); one added after the last also needs kLastGoState / kLastGoKind.
constexpr std::string_view page_name(GoState s) {
  switch (s) {
    case GoState::Undetermined: return "undetermined";
    case GoState::NotExist: return "not exist";
    case GoState::Runnable: return "runnable";
    case GoState::Running: return "running";
    case GoState::Waiting: return "waiting";
    case GoState::Syscall: return "syscall";
  }
  return "?";
}
constexpr GoState kLastGoState = GoState::Syscall;

constexpr std::string_view page_name(model::GoKind k) {
  switch (k) {
    case model::GoKind::User: return "user";
    case model::GoKind::Main: return "main";
    case model::GoKind::Runtime: return "runtime";
    case model::GoKind::Testing: return "testing";
    case model::GoKind::TestRunner: return "test runner";
    case model::GoKind::Service: return "runtime service";
  }
  return "?";
}
constexpr model::GoKind kLastGoKind = model::GoKind::Service;

constexpr std::string_view page_name(model::DagNode::Kind k) {
  switch (k) {
    case model::DagNode::End: return "end";
    case model::DagNode::Cancel: return "cancel";
  }
  return "?";
}
constexpr model::DagNode::Kind kLastDagNode = model::DagNode::Cancel;

std::string_view page_name(model::DagEdge::Kind k) { return model::to_string(k); }
constexpr model::DagEdge::Kind kLastDagEdge = model::DagEdge::Woken;

// Writes page_name of every value of Enum up to `last`, as a JSON array of strings.
template <typename Enum>
void write_names(Writer& w, std::string_view key, Enum last) {
  w.key(key);
  w.open('[');
  for (int v = 0; v <= static_cast<int>(last); ++v) w.item_str(page_name(static_cast<Enum>(v)));
  w.close(']');
}

}  // namespace

std::string report_data_json(const RenderInput& in) {
  std::string out;
  append_report_data_json(in, out);
  return out;
}

void append_report_data_json(const RenderInput& in, std::string& page) {
  const model::Model& m = in.model;
  PagePart part;
  part.in = &in;
  part.t0 = m.trace_begin;
  append_page_data({&part, 1}, PageTop{in.trace_name, m.trace_end - m.trace_begin, m.events, in.detail, nullptr}, page);
}

void append_page_data(std::span<const PagePart> parts, const PageTop& top, std::string& page,
                      const std::function<void(Writer&, Interner&)>& more) {
  const bool several = parts.size() > 1;
  Interner intern(parts.front().in->frames);
  Writer w;
  w.out = std::move(page);

  w.open('{');
  w.field("v", 1);
  w.key("name");
  w.str(top.name);
  w.field("dur", top.dur);
  w.field("events", static_cast<int64_t>(top.events));
  // Whether the intervals were merged into bands to stay within the budget, and how.
  const IntervalDetail* detail = top.detail;
  w.key("detail");
  if (detail != nullptr && detail->reduced()) {
    w.open('{');
    w.field("q", detail->quantum);
    w.field("recorded", static_cast<int64_t>(detail->recorded));
    w.field("kept", static_cast<int64_t>(detail->kept));
    w.field("max", static_cast<int64_t>(detail->max_intervals));
    w.field("exact", static_cast<int64_t>(detail->exact_goroutines));
    w.close('}');
  } else {
    w.raw("null");
  }

  // Goroutines, struct of arrays, in model order (several processes: one after the other).
  std::vector<int64_t> id, fn, kind, cr, cs, ct, et, bs, rs, st, ww, wv, ls, gid, proc, mg;
  std::vector<std::unordered_map<trace::GoID, size_t>> row_of(parts.size());  // per part: its own rows
  bool reduced = false;
  for (size_t p = 0; p < parts.size(); ++p) {
    const PagePart& part = parts[p];
    const model::Model& m = part.in->model;
    intern.use(part.in->frames);
    auto rel = [&](int64_t t) { return t < 0 ? int64_t{-1} : t - part.t0; };
    for (size_t i = 0; i < m.goroutines.size(); ++i) {
      const model::Goroutine& g = m.goroutines[i];
      row_of[p].emplace(g.id, i);
      id.push_back(part.id(g.id));
      fn.push_back(intern.str(model::start_function(g, part.in->frames)));
      kind.push_back(static_cast<int64_t>(g.kind));
      cr.push_back(part.id(g.creator));
      cs.push_back(intern.stack(g.creation_stack));
      ct.push_back(rel(g.created_at));
      et.push_back(rel(g.ended_at));
      bs.push_back(intern.stack(g.state_stack));
      rs.push_back(intern.trace_str(g.reason));
      st.push_back(static_cast<int64_t>(g.state));
      const model::Wake& last = m.wakes_of(g).last_wake;
      ww.push_back(part.id(last.waker));
      wv.push_back(last.wave < 0 ? 0 : last.wave + 1 + part.wave_base);
      ls.push_back(intern.stack(g.last_stack));
      gid.push_back(g.id);
      proc.push_back(static_cast<int64_t>(p));
      const IntervalDetail* d = part.in->detail;
      const bool banded = d != nullptr && d->reduced() && d->banded.count(g.id);
      mg.push_back(banded ? 1 : 0);
      reduced = reduced || (d != nullptr && d->reduced());
    }
  }
  write_names(w, "state_names", kLastGoState);
  write_names(w, "kind_names", kLastGoKind);
  w.key("g");
  w.open('{');
  const std::pair<const char*, const std::vector<int64_t>*> cols[] = {
      {"id", &id}, {"fn", &fn}, {"kind", &kind}, {"cr", &cr}, {"cs", &cs}, {"ct", &ct}, {"et", &et},
      {"bs", &bs}, {"rs", &rs}, {"st", &st}, {"ww", &ww}, {"wv", &wv}, {"ls", &ls}};
  for (const auto& [k, v] : cols) {
    w.key(k);
    w.nums(*v);
  }
  // Reduced reports: 1 for the goroutines whose short intervals were merged into bands.
  if (reduced) {
    w.key("mg");
    w.nums(mg);
  }
  // Several processes: each goroutine's own ID (`id` is the page's) and its process.
  if (several) {
    w.key("gid");
    w.nums(gid);
    w.key("p");
    w.nums(proc);
  }
  w.close('}');

  // Intervals: per goroutine row, stride 5: begin delta (from the previous interval's end, or
  // trace start), duration (-1: open at trace end), state code, stack, waker (-1: none).
  // Model::intervals is grouped by goroutine ID: each row's are a range of it. A goroutine ID
  // met twice gets its intervals in its first row (row_of keeps the first).
  std::vector<std::span<const model::Interval>> per_row;
  for (size_t p = 0; p < parts.size(); ++p) {
    const model::Model& m = parts[p].in->model;
    for (size_t i = 0; i < m.goroutines.size(); ++i) {
      const trace::GoID g = m.goroutines[i].id;
      if (row_of[p].at(g) != i) {
        per_row.emplace_back();
        continue;
      }
      auto [lo, hi] = std::equal_range(m.intervals.begin(), m.intervals.end(), model::Interval{.g = g},
                                       [](const model::Interval& a, const model::Interval& b) { return a.g < b.g; });
      // From the vector's data, not &*lo: lo is end() for a goroutine with no interval.
      per_row.emplace_back(m.intervals.data() + (lo - m.intervals.begin()), static_cast<size_t>(hi - lo));
    }
  }
  std::vector<std::pair<int64_t, int64_t>> codes;  // (state, reason string)
  std::unordered_map<int64_t, int32_t> code_of;
  w.key("ivo");
  w.open('[');
  size_t off = 0;
  for (const auto& row : per_row) {
    w.item_num(static_cast<int64_t>(off));
    off += row.size();
  }
  w.item_num(static_cast<int64_t>(off));
  w.close(']');
  w.key("iv");
  w.open('[');
  for (size_t p = 0, row = 0; p < parts.size(); ++p) {
    const PagePart& part = parts[p];
    intern.use(part.in->frames);
    const int64_t t0 = part.t0;
    for (size_t i = 0; i < part.in->model.goroutines.size(); ++i, ++row) {
      int64_t prev = 0;
      for (const model::Interval& ivr : per_row[row]) {
        const model::Interval* iv = &ivr;
        int64_t reason = intern.trace_str(iv->reason);
        int64_t key = (reason << 3) | static_cast<int64_t>(iv->state);
        auto [cit, inserted] = code_of.try_emplace(key, static_cast<int32_t>(codes.size()));
        if (inserted) codes.emplace_back(static_cast<int64_t>(iv->state), reason);
        int64_t b = iv->begin - t0;
        int64_t dur = iv->end < 0 ? -1 : iv->end - iv->begin;
        w.item_num(b - prev);
        w.item_num(dur);
        w.item_num(cit->second);
        w.item_num(intern.stack(iv->stack));
        w.item_num(iv->waker < 0 ? -1 : part.id(iv->waker));  // not waker+1: goroutine 2^63-1 exists
        prev = iv->end < 0 ? b : iv->end - t0;
      }
    }
  }
  w.close(']');
  w.key("codes");
  w.open('[');
  for (const auto& [s, r] : codes) {
    w.item_num(s);
    w.item_num(r);
  }
  w.close(']');

  // Cancel waves and who they woke.
  w.key("waves");
  w.open('[');
  for (const PagePart& part : parts) {
    const model::Model& m = part.in->model;
    intern.use(part.in->frames);
    auto rel = [&](int64_t t) { return t < 0 ? int64_t{-1} : t - part.t0; };
    for (const model::CancelWave& wave : m.waves) {
      w.open('{');
      w.field("id", wave.id + part.wave_base);
      w.field("t", rel(wave.time));
      w.field("g", part.id(wave.canceller));
      w.field("stk", intern.stack(wave.stack));
      w.flag("timer", wave.timer);
      w.field("parent", wave.parent < 0 ? 0 : m.waves[wave.parent].id + part.wave_base);
      w.key("w");
      w.open('[');
      for (int32_t wi : wave.watchers) {
        const model::Watcher& wt = m.watchers[wi];
        w.item_num(part.id(wt.g));
        w.item_num(rel(wt.woken_at));
        w.item_num(rel(wt.ended_at));
      }
      w.close(']');
      w.key("spawned");
      w.open('[');
      for (model::GoID g : m.spawned_by(wave)) w.item_num(part.id(g));
      w.close(']');
      w.close('}');
    }
  }
  w.close(']');

  // Termination DAG: nodes (kind, time, goroutine, wave id), edges (kind, from, to, time), the
  // critical path of every wave as edge indexes. Several processes: each one's after the
  // other's, its node and edge indexes moved past them; the critical wave is the one that
  // ended last on the shared axis.
  w.key("dag");
  w.open('{');
  write_names(w, "node_kinds", kLastDagNode);
  write_names(w, "edge_kinds", kLastDagEdge);
  w.key("n");
  w.open('[');
  for (const PagePart& part : parts) {
    const model::Model& m = part.in->model;
    for (size_t i = 0; i < m.dag.node_count(); ++i) {
      const model::DagNode nd = m.dag.node(m, static_cast<int32_t>(i));
      w.item_num(nd.kind);
      w.item_num(nd.time < 0 ? -1 : nd.time - part.t0);
      w.item_num(part.id(nd.g));
      w.item_num(nd.wave < 0 ? 0 : m.waves[nd.wave].id + part.wave_base);
    }
  }
  w.close(']');
  w.key("e");
  w.open('[');
  int64_t node_base = 0;
  for (const PagePart& part : parts) {
    const model::TerminationDag& dag = part.in->model.dag;
    for (const model::DagEdge& e : dag.edges) {
      w.item_num(e.kind);
      w.item_num(e.from + node_base);
      w.item_num(e.to + node_base);
      w.item_num(e.time < 0 ? -1 : e.time - part.t0);
    }
    node_base += static_cast<int64_t>(dag.node_count());
  }
  w.close(']');
  w.key("cp");
  w.open('[');
  int64_t edge_base = 0, path_base = 0, crit = -1, crit_end = 0;
  for (const PagePart& part : parts) {
    const model::Model& m = part.in->model;
    for (const auto& path : m.dag.critical_path) {
      w.open('[');
      for (int32_t e : path) w.item_num(e + edge_base);
      w.close(']');
    }
    if (const int32_t c = model::critical_wave(m); c >= 0) {
      const int64_t end = m.dag.node(m, m.dag.edges[m.dag.critical_path[c].back()].to).time - part.t0;
      if (crit < 0 || end > crit_end) {
        crit = c + path_base;
        crit_end = end;
      }
    }
    edge_base += static_cast<int64_t>(m.dag.edges.size());
    path_base += static_cast<int64_t>(m.dag.critical_path.size());
  }
  w.close(']');
  w.field("crit", crit);
  bool acyclic = true;
  for (const PagePart& part : parts) acyclic = acyclic && part.in->model.dag.acyclic;
  w.flag("acyclic", acyclic);
  w.close('}');

  // Findings.
  w.key("fd");
  w.open('[');
  for (const PagePart& part : parts) {
    for (const diagnose::Finding& f : part.in->findings) {
      w.open('{');
      w.key("rule");
      w.str(f.rule);
      w.key("sev");
      w.str(diagnose::to_string(f.severity));
      w.key("msg");
      w.str(part.label.empty() ? f.message : part.label + ": " + f.message);
      w.key("gs");
      w.open('[');
      for (model::GoID g : f.goroutines) w.item_num(part.id(g));
      w.close(']');
      w.field("n", f.count);
      // time_ns counts from the trace's first event: on the page, from the page's 0.
      w.field("t", f.time_ns + (part.in->model.trace_begin - part.t0));
      w.key("waves");
      w.open('[');
      for (int32_t wid : f.waves) w.item_num(wid + part.wave_base);
      w.close(']');
      w.key("locs");
      w.open('[');
      for (const diagnose::Location& l : f.locations) {
        w.open('[');
        w.item_str(l.role);
        w.item_str(l.where.function);
        w.item_str(l.where.file);
        w.item_num(static_cast<int64_t>(l.where.line));
        w.close(']');
      }
      w.close(']');
      w.close('}');
    }
  }
  w.close(']');

  // Plots: goroutines by state (time-weighted averages per bin) and heap samples.
  // Fed with the intervals before any reduction when the caller has it; else from the model.
  const RenderInput& first = *parts.front().in;
  StatePlot plot = top.plot != nullptr      ? *top.plot
                   : first.plot != nullptr ? *first.plot
                                            : StatePlot::of(first.model);
  w.key("plot");
  w.open('{');
  w.field("bw", plot.bin_width);
  static constexpr const char* kSeries[] = {"running", "runnable", "waiting", "syscall"};
  for (int s = 0; s < 4; ++s) {
    w.key(kSeries[s]);
    w.open('[');
    for (double v : plot.series[s]) {
      w.comma();
      w.real(std::round(v * 100) / 100);
    }
    w.close(']');
  }
  w.close('}');
  // Heap samples: one process's. Several processes' heaps do not add up to one curve.
  w.key("heap");
  w.open('[');
  if (!several) {
    for (const MetricSample& s : first.extras.heap) {
      w.item_num(s.time < 0 ? -1 : s.time - parts.front().t0);
      w.item_num(static_cast<int64_t>(s.value));
    }
  }
  w.close(']');

  w.key("logs");
  w.open('[');
  size_t logs_dropped = 0;
  for (const PagePart& part : parts) {
    intern.use(part.in->frames);
    for (const LogRecord& l : part.in->extras.logs) {
      w.item_num(l.time < 0 ? -1 : l.time - part.t0);
      w.item_num(part.id(l.g));
      w.item_num(intern.trace_str(l.category));
      w.item_num(intern.trace_str(l.message));
    }
    logs_dropped += part.in->extras.logs_dropped;
  }
  w.close(']');
  w.field("logsDropped", static_cast<int64_t>(logs_dropped));
  // Ps, GC and stop-the-world, tasks and regions: one process's (several processes' Ps are
  // not one machine's).
  static const TraceExtras kNoExtras;
  intern.use(first.frames);
  w.key("lanes");
  write_lanes(w, intern, several ? kNoExtras : first.extras, parts.front().t0);
  // Context tree from the companion module's ctxtrail log events (several processes: the
  // cross-process links are drawn as arrows instead).
  w.key("ctx");
  write_context_tree(w, intern, several ? nullptr : first.contexts, parts.front().t0, first.slow_propagation_ns);
  if (more) more(w, intern);

  // The tables last: everything above interned into them.
  w.key("stk");
  w.open('[');
  for (const auto& s : intern.stacks()) w.nums(s);
  w.close(']');
  w.key("stkA");
  w.nums(intern.app_frames());
  w.key("str");
  w.open('[');
  for (const std::string* s : intern.strings()) w.item_str(*s);
  w.close(']');
  w.close('}');
  page = std::move(w.out);
}

}  // namespace ctxtrail::render
