/// The JSON report of docs/findings.md. Field names there are fixed; fields added here
/// (block_stack, timer, parent, summary) are extra.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <iterator>

#include "render/finding_json.h"
#include "render/renderers.h"

namespace ctxtrail::render {

using nlohmann::ordered_json;

namespace {

ordered_json loc_json(const model::SourceLoc& l) {
  return ordered_json{{"function", l.function}, {"file", l.file}, {"line", l.line}};
}

// The document is written a member at a time and its arrays an element at a time: a trace with
// a million waves must not need its whole JSON in memory. Each piece is laid out as
// nlohmann::json::dump(2) lays out the whole (scripts and golden files see the same bytes).
std::string dumped(const ordered_json& j, size_t indent) {
  // Trace strings need not be UTF-8: invalid bytes become U+FFFD rather than an exception.
  std::string text = j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
  std::string out;
  out.reserve(text.size() + indent * 8);
  for (char c : text) {
    out += c;
    if (c == '\n') out.append(indent, ' ');
  }
  return out;
}

class MemberWriter {
 public:
  explicit MemberWriter(std::ostream& out) : out_(out) { out_ << "{"; }
  void member(std::string_view key, const ordered_json& value) {
    start(key);
    out_ << dumped(value, 2);
  }
  // An array member written element by element: `each(emit)` calls emit(element) per element.
  template <typename Each>
  void array(std::string_view key, Each each) {
    start(key);
    bool empty = true;
    each([&](const ordered_json& element) { element_text(empty, dumped(element, 4)); });
    out_ << (empty ? "[]" : "\n  ]");
  }
  // The same with elements already laid out at indent 4.
  void element_text(bool& empty, std::string_view text) {
    out_ << (empty ? "[\n    " : ",\n    ") << text;
    empty = false;
  }
  void start(std::string_view key) {
    out_ << (first_ ? "\n  " : ",\n  ") << ordered_json(key).dump() << ": ";
    first_ = false;
  }
  void close() { out_ << (first_ ? "}\n" : "\n}\n"); }
  std::ostream& out() { return out_; }

 private:
  std::ostream& out_;
  bool first_ = true;
};

ordered_json snapshot_json(const diagnose::SnapshotSummary& s) {
  ordered_json sj{{"file", s.file},     {"kind", s.kind}, {"goroutines", s.goroutines}, {"leaked", s.leaked},
                  {"leaked_in_trace", s.leaked_in_trace}, {"groups", s.groups}};
  sj["largest_groups"] = ordered_json::array();
  for (const diagnose::StackGroupSummary& g : s.largest) {
    ordered_json gj{{"count", g.count}, {"operation", g.operation}, {"longest_wait_minutes", g.longest_wait_minutes}};
    if (!g.where.empty()) gj["where"] = loc_json(g.where);
    if (!g.created.empty()) gj["created"] = loc_json(g.created);
    sj["largest_groups"].push_back(std::move(gj));
  }
  return sj;
}

// One wave at indent 4, by hand: a million of them through nlohmann objects would take seconds.
// `sites` holds each cancel location's object already laid out at indent 6.
void write_wave(const diagnose::Report& r, const diagnose::WaveSummary& w, const std::vector<std::string>& sites,
                std::string& out) {
  auto it = std::back_inserter(out);
  fmt::format_to(it, "{{\n      \"id\": {},\n      \"time_ns\": {},\n      \"cancel_location\": {},\n      \"woken\": ",
                 w.id, w.time_ns, sites[w.site]);
  const auto woken = r.woken_by(w);
  if (woken.empty()) {
    out += "[]";
  } else {
    out += "[";
    for (size_t i = 0; i < woken.size(); ++i) fmt::format_to(it, "{}\n        {}", i ? "," : "", woken[i]);
    out += "\n      ]";
  }
  if (w.ended_within_ns)
    fmt::format_to(it, ",\n      \"ended_within_ns\": {}", *w.ended_within_ns);
  else
    out += ",\n      \"ended_within_ns\": null";
  fmt::format_to(it, ",\n      \"timer\": {},\n      \"canceller\": {}", w.timer, w.canceller);
  if (w.parent != 0) fmt::format_to(it, ",\n      \"parent\": {}", w.parent);
  if (const diagnose::WaveContext* c = r.context_of(w)) {
    ordered_json cj{{"id", c->id}, {"description", c->description}, {"location", loc_json(c->location)}};
    out += ",\n      \"context\": ";
    out += dumped(cj, 6);
  }
  out += "\n    }";
}

}  // namespace

ordered_json finding_json(const diagnose::Finding& f) {
  ordered_json fj;
  fj["rule"] = f.rule;
  fj["severity"] = diagnose::to_string(f.severity);
  fj["message"] = f.message;
  fj["goroutines"] = f.goroutines;
  fj["count"] = f.count;
  fj["time_ns"] = f.time_ns;
  fj["locations"] = ordered_json::array();
  for (const diagnose::Location& l : f.locations) {
    ordered_json lj{{"role", l.role}};
    lj.update(loc_json(l.where));
    fj["locations"].push_back(std::move(lj));
  }
  fj["waves"] = f.waves;
  if (f.proven) fj["proven_leak"] = true;
  if (!f.block_stack.empty()) {
    fj["block_stack"] = ordered_json::array();
    for (const auto& fr : f.block_stack) fj["block_stack"].push_back(loc_json(fr));
  }
  return fj;
}

namespace {

class JsonRenderer : public Renderer {
 public:
  explicit JsonRenderer(RenderOptions options) : options_(std::move(options)) {}

  void render(const diagnose::Report& r, std::ostream& out) override {
    MemberWriter doc(out);
    doc.member("tool", ordered_json{{"name", "ctxtrail"}, {"version", options_.tool_version}});
    doc.member("trace", r.trace);
    doc.array("findings", [&](auto emit) {
      for (const diagnose::Finding& f : r.findings) emit(finding_json(f));
    });
    if (!r.trace_given) doc.member("trace_given", false);
    if (!r.snapshots.empty())
      doc.array("snapshots", [&](auto emit) {
        for (const diagnose::SnapshotSummary& s : r.snapshots) emit(snapshot_json(s));
      });
    std::vector<std::string> sites;
    sites.reserve(r.wave_sites.size());
    for (const model::SourceLoc& l : r.wave_sites) sites.push_back(dumped(loc_json(l), 6));
    doc.start("waves");
    bool empty = true;
    std::string text;
    for (const diagnose::WaveSummary& w : r.waves) {
      text.clear();
      write_wave(r, w, sites, text);
      doc.element_text(empty, text);
    }
    out << (empty ? "[]" : "\n  ]");
    doc.array("critical_path", [&](auto emit) {
      for (const diagnose::PathStep& s : r.critical_path)
        emit(ordered_json{{"edge", s.edge}, {"from", s.from}, {"to", s.to}, {"from_goroutine", s.from_g},
                          {"to_goroutine", s.to_g}, {"time_ns", s.time_ns}});
    });
    ordered_json summary{{"goroutines", r.goroutines},
                         {"duration_ns", r.duration_ns},
                         {"critical_wave", r.critical_wave},
                         {"dag_acyclic", r.dag_acyclic},
                         {"partial", r.partial}};
    if (r.propagation)
      summary["propagation_latency"] = ordered_json{{"edges", r.propagation->count},
                                                    {"p50_ns", r.propagation->p50},
                                                    {"p99_ns", r.propagation->p99},
                                                    {"max_ns", r.propagation->max}};
    doc.member("summary", summary);
    doc.close();
  }

 private:
  RenderOptions options_;
};

}  // namespace

std::unique_ptr<Renderer> make_json_renderer(RenderOptions options) {
  return std::make_unique<JsonRenderer>(std::move(options));
}

}  // namespace ctxtrail::render
