/// The outputs of several processes read as one (analysis/processes.h): the findings report in
/// text and JSON, and the context trees joined across processes. One process never comes here:
/// its outputs are the single-trace ones, byte for byte.
#pragma once

#include <ostream>
#include <span>

#include "ctxtrail/analysis/processes.h"
#include "ctxtrail/render/render.h"
#include "ctxtrail/render/report_data.h"

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

/// `report A B ...`: one page, each process's goroutines under a header of its own (name, trace,
/// clock), the requests and the cancels across processes as arrows. `inputs`: per process, in
/// m.processes order, its timeline and findings.
std::string render_processes_html_report(const analysis::MultiAnalysis& m, std::span<const RenderInput> inputs);

/// `export --format perfetto A B ...`: each process its own process track (pid, tracks and
/// packet sequence) on the shared clock; each request and cancel across processes a flow from
/// the client goroutine's track to the server goroutine's. `inputs` as for the report.
std::string export_processes_perfetto(const analysis::MultiAnalysis& m, std::span<const RenderInput> inputs);

}  // namespace ctxtrail::render
