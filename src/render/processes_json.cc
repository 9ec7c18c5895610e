/// The JSON of several processes: the single-trace document's members, each finding and wave
/// with its `process`, the processes and their clocks, and what crossed between them. Each
/// process's part is its single-trace JSON, re-read: one renderer decides what a finding says.
#include <nlohmann/json.hpp>

#include <sstream>

#include "ctxtrail/render/processes.h"
#include "ctxtrail/render/views.h"
#include "render/finding_json.h"
#include "render/processes_common.h"

namespace ctxtrail::render {

using nlohmann::ordered_json;

namespace {

ordered_json parsed(const std::string& text) { return ordered_json::parse(text, nullptr, false); }

}  // namespace

void render_processes_json(const analysis::MultiAnalysis& m, const RenderOptions& options, std::ostream& out) {
  ordered_json doc;
  doc["tool"] = ordered_json{{"name", "ctxtrail"}, {"version", options.tool_version}};
  doc["traces"] = ordered_json::array();
  for (const analysis::Process& p : m.processes) doc["traces"].push_back(p.trace_file);
  doc["processes"] = processes_json(m);
  ordered_json findings = ordered_json::array(), waves = ordered_json::array();
  for (const auto& [p, f] : m.cross_findings) {
    ordered_json fj = finding_json(f);
    fj["process"] = m.processes[p].name;
    findings.push_back(std::move(fj));
  }
  for (size_t i = 0; i < m.processes.size(); ++i) {
    const analysis::Process& p = m.processes[i];
    std::ostringstream s;
    make_renderer(Format::Json, options)->render(p.analysis.report, s);
    ordered_json one = parsed(s.str());
    for (auto& f : one["findings"]) {
      f["process"] = p.name;
      findings.push_back(std::move(f));
    }
    for (auto& w : one["waves"]) {
      w["process"] = p.name;
      waves.push_back(std::move(w));
    }
    doc["processes"][i]["critical_path"] = std::move(one["critical_path"]);
    doc["processes"][i]["summary"] = std::move(one["summary"]);
    if (one.contains("snapshots")) doc["processes"][i]["snapshots"] = std::move(one["snapshots"]);
  }
  doc["findings"] = std::move(findings);
  doc["waves"] = std::move(waves);
  doc["cross_process"] = cross_process_json(m);
  out << doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
}

void render_process_contexts_json(const analysis::MultiAnalysis& m, std::ostream& out) {
  ordered_json doc;
  doc["processes"] = processes_json(m);
  for (size_t i = 0; i < m.processes.size(); ++i) {
    std::ostringstream s;
    render_contexts_json(m.processes[i].analysis, s);
    doc["processes"][i]["contexts"] = parsed(s.str());
  }
  doc["cross_process"] = cross_process_json(m);
  out << doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
}

}  // namespace ctxtrail::render
