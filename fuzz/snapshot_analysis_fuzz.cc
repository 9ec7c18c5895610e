/// Fuzz target: any bytes read as a goroutine dump or pprof profile (whichever parses), then
/// through the analysis of snapshots alone (the join to an empty model and every rule, the
/// leak findings built from the snapshot's stacks) and the JSON and text renderers: no crash,
/// no out-of-bounds read, no unbounded allocation. Seeds: real dumps and profiles.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "ctxtrail/analysis/analysis.h"
#include "ctxtrail/render/render.h"
#include "ctxtrail/snapshot/snapshot.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  using namespace ctxtrail;
  Result<snapshot::Snapshot> s = snapshot::parse_dump(bytes, "fuzz");
  if (!s.ok()) s = snapshot::parse_profile(bytes, "fuzz");
  if (!s.ok()) return 0;
  std::vector<snapshot::Snapshot> snapshots;
  snapshots.push_back(std::move(s.value()));
  auto a = analysis::analyze_snapshots(std::move(snapshots), "fuzz", analysis::Options{});
  if (!a.ok()) return 0;
  for (render::Format f : {render::Format::Text, render::Format::Json, render::Format::Sarif}) {
    std::ostringstream out;
    render::make_renderer(f, render::RenderOptions{})->render(a->report, out);
  }
  return 0;
}
