/// The report data's `lanes` field: what ran on each P, GC and stop-the-world phases, and
/// runtime/trace tasks and regions (docs/report.md, "Data layout").
#pragma once

#include <cstdint>

#include "ctxtrail/analysis/trace_extras.h"
#include "render/report_writer.h"

namespace ctxtrail::render {

/// Writes the value of `lanes`, times relative to `t0`.
void write_lanes(Writer& w, Interner& intern, const analysis::TraceExtras& extras, int64_t t0);

}  // namespace ctxtrail::render
