/// The outputs of several processes read as one (analysis/processes.h): the findings report in
/// text and JSON, and the context trees joined across processes. One process never comes here:
/// its outputs are the single-trace ones, byte for byte.
#pragma once

#include <ostream>

#include "ctxtrail/analysis/processes.h"
#include "ctxtrail/render/render.h"

namespace ctxtrail::render {

/// Text: the processes and their clocks, the cancels that crossed processes with each hop's
/// latency, then each process's own report, every finding naming its process.
void render_processes_text(const analysis::MultiAnalysis& m, std::ostream& out);
/// JSON (docs/cross-process.md): `processes[]`, every finding and wave with its `process`,
/// `cross_process` (edges and waves).
void render_processes_json(const analysis::MultiAnalysis& m, const RenderOptions& options, std::ostream& out);

/// `contexts A B ...`: each process's tree, and the edges between them with their latency.
void render_process_contexts_text(const analysis::MultiAnalysis& m, std::ostream& out);
void render_process_contexts_json(const analysis::MultiAnalysis& m, std::ostream& out);

}  // namespace ctxtrail::render
