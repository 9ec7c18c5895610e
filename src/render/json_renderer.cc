/// The JSON report of docs/findings.md. Field names there are fixed; fields added here
/// (block_stack, timer, parent, summary) are extra.
#include <nlohmann/json.hpp>

#include "render/renderers.h"

namespace ctxtrail::render {

using nlohmann::ordered_json;

namespace {

ordered_json loc_json(const model::SourceLoc& l) {
  return ordered_json{{"function", l.function}, {"file", l.file}, {"line", l.line}};
}

class JsonRenderer : public Renderer {
 public:
  void render(const diagnose::Report& r, std::ostream& out) override {
    ordered_json j;
    j["trace"] = r.trace;
    j["findings"] = ordered_json::array();
    for (const diagnose::Finding& f : r.findings) {
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
      j["findings"].push_back(std::move(fj));
    }
    if (!r.trace_given) j["trace_given"] = false;
    if (!r.snapshots.empty()) {
      j["snapshots"] = ordered_json::array();
      for (const diagnose::SnapshotSummary& s : r.snapshots) {
        ordered_json sj{{"file", s.file},     {"kind", s.kind}, {"goroutines", s.goroutines}, {"leaked", s.leaked},
                        {"leaked_in_trace", s.leaked_in_trace}, {"groups", s.groups}};
        sj["largest_groups"] = ordered_json::array();
        for (const diagnose::StackGroupSummary& g : s.largest) {
          ordered_json gj{{"count", g.count}, {"operation", g.operation}, {"longest_wait_minutes", g.longest_wait_minutes}};
          if (!g.where.empty()) gj["where"] = loc_json(g.where);
          if (!g.created.empty()) gj["created"] = loc_json(g.created);
          sj["largest_groups"].push_back(std::move(gj));
        }
        j["snapshots"].push_back(std::move(sj));
      }
    }
    j["waves"] = ordered_json::array();
    for (const diagnose::WaveSummary& w : r.waves) {
      ordered_json wj;
      wj["id"] = w.id;
      wj["time_ns"] = w.time_ns;
      wj["cancel_location"] = loc_json(w.cancel_location);
      wj["woken"] = w.woken;
      wj["ended_within_ns"] = w.ended_within_ns ? ordered_json(*w.ended_within_ns) : ordered_json(nullptr);
      wj["timer"] = w.timer;
      wj["canceller"] = w.canceller;
      if (w.parent != 0) wj["parent"] = w.parent;
      if (w.context_id != 0) {
        wj["context"] = ordered_json{{"id", w.context_id}, {"description", w.context},
                                     {"location", loc_json(w.context_location)}};
      }
      j["waves"].push_back(std::move(wj));
    }
    j["critical_path"] = ordered_json::array();
    for (const diagnose::PathStep& s : r.critical_path)
      j["critical_path"].push_back(ordered_json{{"edge", s.edge}, {"from", s.from}, {"to", s.to},
                                                {"from_goroutine", s.from_g}, {"to_goroutine", s.to_g},
                                                {"time_ns", s.time_ns}});
    j["summary"] = ordered_json{{"goroutines", r.goroutines},
                                {"duration_ns", r.duration_ns},
                                {"critical_wave", r.critical_wave},
                                {"dag_acyclic", r.dag_acyclic},
                                {"partial", r.partial}};
    if (r.propagation)
      j["summary"]["propagation_latency"] = ordered_json{{"edges", r.propagation->count},
                                                         {"p50_ns", r.propagation->p50},
                                                         {"p99_ns", r.propagation->p99},
                                                         {"max_ns", r.propagation->max}};
    // Trace strings need not be UTF-8: invalid bytes become U+FFFD rather than an exception.
    out << j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  }
};

}  // namespace

std::unique_ptr<Renderer> make_json_renderer() { return std::make_unique<JsonRenderer>(); }

}  // namespace ctxtrail::render
