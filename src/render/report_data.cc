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
  Interner intern(in.frames);
  Writer w;
  w.out = std::move(page);
  const int64_t t0 = m.trace_begin;
  auto rel = [t0](int64_t t) { return t < 0 ? int64_t{-1} : t - t0; };

  w.open('{');
  w.field("v", 1);
  w.key("name");
  w.str(in.trace_name);
  w.field("dur", m.trace_end - t0);
  w.field("events", static_cast<int64_t>(m.events));
  // Whether the intervals were merged into bands to stay within the budget, and how.
  w.key("detail");
  if (in.detail != nullptr && in.detail->reduced()) {
    w.open('{');
    w.field("q", in.detail->quantum);
    w.field("recorded", static_cast<int64_t>(in.detail->recorded));
    w.field("kept", static_cast<int64_t>(in.detail->kept));
    w.field("max", static_cast<int64_t>(in.detail->max_intervals));
    w.field("exact", static_cast<int64_t>(in.detail->exact_goroutines));
    w.close('}');
  } else {
    w.raw("null");
  }

  // Goroutines, struct of arrays, in model order.
  const size_t n = m.goroutines.size();
  std::vector<int64_t> id(n), fn(n), kind(n), cr(n), cs(n), ct(n), et(n), bs(n), rs(n), st(n),
      ww(n), wv(n), ls(n);
  std::unordered_map<trace::GoID, size_t> row_of;
  for (size_t i = 0; i < n; ++i) {
    const model::Goroutine& g = m.goroutines[i];
    row_of.emplace(g.id, i);
    id[i] = g.id;
    fn[i] = intern.str(model::start_function(g, in.frames));
    kind[i] = static_cast<int64_t>(g.kind);
    cr[i] = g.creator;
    cs[i] = intern.stack(g.creation_stack);
    ct[i] = rel(g.created_at);
    et[i] = rel(g.ended_at);
    bs[i] = intern.stack(g.state_stack);
    rs[i] = intern.trace_str(g.reason);
    st[i] = static_cast<int64_t>(g.state);
    const model::Wake& last = m.wakes_of(g).last_wake;
    ww[i] = last.waker;
    wv[i] = last.wave < 0 ? 0 : last.wave + 1;
    ls[i] = intern.stack(g.last_stack);
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
  if (in.detail != nullptr && in.detail->reduced()) {
    std::vector<int64_t> mg(n);
    for (size_t i = 0; i < n; ++i) mg[i] = in.detail->banded.count(id[i]) ? 1 : 0;
    w.key("mg");
    w.nums(mg);
  }
  w.close('}');

  // Intervals: per goroutine row, stride 5: begin delta (from the previous interval's end, or
  // trace start), duration (-1: open at trace end), state code, stack, waker (-1: none).
  // Model::intervals is grouped by goroutine ID: each row's are a range of it. A goroutine ID
  // met twice gets its intervals in its first row (row_of keeps the first).
  std::vector<std::span<const model::Interval>> per_row(n);
  for (size_t i = 0; i < n; ++i) {
    if (row_of.at(id[i]) != i) continue;
    auto [lo, hi] = std::equal_range(m.intervals.begin(), m.intervals.end(), model::Interval{.g = id[i]},
                                     [](const model::Interval& a, const model::Interval& b) { return a.g < b.g; });
    // From the vector's data, not &*lo: lo is end() for a goroutine with no interval.
    per_row[i] = std::span<const model::Interval>(m.intervals.data() + (lo - m.intervals.begin()),
                                                  static_cast<size_t>(hi - lo));
  }
  std::vector<std::pair<int64_t, int64_t>> codes;  // (state, reason string)
  std::unordered_map<int64_t, int32_t> code_of;
  w.key("ivo");
  w.open('[');
  size_t off = 0;
  for (size_t i = 0; i < n; ++i) {
    w.item_num(static_cast<int64_t>(off));
    off += per_row[i].size();
  }
  w.item_num(static_cast<int64_t>(off));
  w.close(']');
  w.key("iv");
  w.open('[');
  for (size_t i = 0; i < n; ++i) {
    int64_t prev = 0;
    for (const model::Interval& ivr : per_row[i]) {
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
      w.item_num(iv->waker < 0 ? -1 : iv->waker);  // not waker+1: goroutine 2^63-1 exists
      prev = iv->end < 0 ? b : iv->end - t0;
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
  for (const model::CancelWave& wave : m.waves) {
    w.open('{');
    w.field("id", wave.id);
    w.field("t", rel(wave.time));
    w.field("g", wave.canceller);
    w.field("stk", intern.stack(wave.stack));
    w.flag("timer", wave.timer);
    w.field("parent", wave.parent < 0 ? 0 : m.waves[wave.parent].id);
    w.key("w");
    w.open('[');
    for (int32_t wi : wave.watchers) {
      const model::Watcher& wt = m.watchers[wi];
      w.item_num(wt.g);
      w.item_num(rel(wt.woken_at));
      w.item_num(rel(wt.ended_at));
    }
    w.close(']');
    w.key("spawned");
    w.nums(m.spawned_by(wave));
    w.close('}');
  }
  w.close(']');

  // Termination DAG: nodes (kind, time, goroutine, wave id), edges (kind, from, to, time), the
  // critical path of every wave as edge indexes.
  const model::TerminationDag& dag = m.dag;
  w.key("dag");
  w.open('{');
  write_names(w, "node_kinds", kLastDagNode);
  write_names(w, "edge_kinds", kLastDagEdge);
  w.key("n");
  w.open('[');
  for (size_t i = 0; i < dag.node_count(); ++i) {
    const model::DagNode nd = dag.node(m, static_cast<int32_t>(i));
    w.item_num(nd.kind);
    w.item_num(rel(nd.time));
    w.item_num(nd.g);
    w.item_num(nd.wave < 0 ? 0 : m.waves[nd.wave].id);
  }
  w.close(']');
  w.key("e");
  w.open('[');
  for (const model::DagEdge& e : dag.edges) {
    w.item_num(e.kind);
    w.item_num(e.from);
    w.item_num(e.to);
    w.item_num(rel(e.time));
  }
  w.close(']');
  w.key("cp");
  w.open('[');
  for (const auto& path : dag.critical_path) w.nums(path);
  w.close(']');
  w.field("crit", model::critical_wave(m));
  w.flag("acyclic", dag.acyclic);
  w.close('}');

  // Findings.
  w.key("fd");
  w.open('[');
  for (const diagnose::Finding& f : in.findings) {
    w.open('{');
    w.key("rule");
    w.str(f.rule);
    w.key("sev");
    w.str(diagnose::to_string(f.severity));
    w.key("msg");
    w.str(f.message);
    w.key("gs");
    w.nums(f.goroutines);
    w.field("n", f.count);
    w.field("t", f.time_ns);
    w.key("waves");
    w.nums(f.waves);
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
  w.close(']');

  // Plots: goroutines by state (time-weighted averages per bin) and heap samples.
  // Fed with the intervals before any reduction when the caller has it; else from the model.
  StatePlot plot = in.plot != nullptr ? *in.plot : StatePlot::of(m);
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
  w.key("heap");
  w.open('[');
  for (const MetricSample& s : in.extras.heap) {
    w.item_num(rel(s.time));
    w.item_num(static_cast<int64_t>(s.value));
  }
  w.close(']');

  w.key("logs");
  w.open('[');
  for (const LogRecord& l : in.extras.logs) {
    w.item_num(rel(l.time));
    w.item_num(l.g);
    w.item_num(intern.trace_str(l.category));
    w.item_num(intern.trace_str(l.message));
  }
  w.close(']');
  w.field("logsDropped", static_cast<int64_t>(in.extras.logs_dropped));
  // Ps, GC and stop-the-world, tasks and regions.
  w.key("lanes");
  write_lanes(w, intern, in.extras, t0);
  // Context tree from the companion module's ctxtrail log events.
  w.key("ctx");
  write_context_tree(w, intern, in.contexts, t0, in.slow_propagation_ns);

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
