/// `export --format perfetto A B ...`: each process its own Perfetto process track on the
/// shared clock, and the requests and cancels across processes as flows between their tracks.
#include "ctxtrail/render/export_formats.h"
#include "ctxtrail/render/processes.h"
#include "render/processes_common.h"

namespace ctxtrail::render {

std::string export_processes_perfetto(const analysis::MultiAnalysis& m, std::span<const RenderInput> inputs) {
  // Flow IDs of their own, above every process's range (perfetto_export.cc: process << 40).
  constexpr uint64_t kCrossFlows = uint64_t{1} << 62;
  static constexpr const char* kName[] = {"request to", "cancel to"};      // by CrossArrow::Kind
  static constexpr const char* kFromName[] = {"request from", "cancel from"};
  std::vector<ExportOptions> options(m.processes.size());
  const std::vector<CrossArrow> arrows = cross_arrows(m);
  for (size_t i = 0; i < arrows.size(); ++i) {
    const CrossArrow& a = arrows[i];
    const uint64_t id = kCrossFlows + i;
    options[a.from.process].cross_flows.push_back(
        {id, a.from.time, a.from.g, true, std::string(kName[a.kind]) + " " + m.processes[a.to.process].name});
    options[a.to.process].cross_flows.push_back(
        {id, a.to.time, a.to.g, false, std::string(kFromName[a.kind]) + " " + m.processes[a.from.process].name});
  }
  std::string data;
  for (size_t i = 0; i < m.processes.size(); ++i) {
    const analysis::Process& p = m.processes[i];
    ExportOptions& eo = options[i];
    eo.process = static_cast<uint32_t>(i);
    eo.process_name = p.name;
    if (p.clock.source != analysis::ClockAlignment::Source::None)
      eo.process_start = p.to_shared(inputs[i].model.trace_begin) - m.start();
    data += export_perfetto(inputs[i], eo);
  }
  return data;
}

}  // namespace ctxtrail::render
