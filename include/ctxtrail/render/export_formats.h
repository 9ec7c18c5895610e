/// `ctxtrail export`: the timeline as a Perfetto protobuf trace or Chrome trace JSON, and the
/// termination DAG as Graphviz DOT or Mermaid with the shutdown critical path emphasised.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "ctxtrail/render/report_data.h"

namespace ctxtrail::render {

struct ExportOptions {
  /// DOT / Mermaid: above this many DAG nodes, nodes are grouped by start function.
  size_t max_graph_nodes = 150;
  /// Perfetto / Chrome JSON: at most this many wake flows (spawn and cancel flows are kept).
  size_t max_wake_flows = 200000;
  /// Perfetto, several processes in one file (`export A.trace B.trace`): this process's index
  /// (its tracks, pid, flows and packet sequence are told apart by it), its name, and where its
  /// trace starts on the shared time axis (ns after the earliest process's start). Files written
  /// one per process concatenate into one Perfetto trace (a Trace is its repeated packets).
  uint32_t process = 0;
  std::string process_name;
  int64_t process_start = 0;
  /// Perfetto, several processes: the flows between this process's goroutines and another's
  /// (a request, a cancel across processes). Each end is an instant named `name` on the
  /// goroutine's track at `time` (this trace's clock) that starts (`out`) or ends flow `id`.
  struct CrossFlow {
    uint64_t id = 0;
    int64_t time = 0;
    int64_t g = -1;
    bool out = true;
    std::string name;
  };
  std::vector<CrossFlow> cross_flows;
};

/// Perfetto: one process track, a track per start function, a track per goroutine under it;
/// states as slices, cancels as instants, flows for spawn, wake and cancel edges.
std::string export_perfetto(const RenderInput& in, const ExportOptions& options = {});
/// Chrome Trace Event JSON: pid per start function, tid per goroutine, X / i / s / f / M events.
std::string export_chrome_json(const RenderInput& in, const ExportOptions& options = {});
std::string export_dot(const RenderInput& in, const ExportOptions& options = {});
std::string export_mermaid(const RenderInput& in, const ExportOptions& options = {});

/// The name a state interval is shown with: "running", "runnable", "syscall",
/// "waiting: chan receive".
std::string state_label(trace::GoState state, std::string_view reason);

}  // namespace ctxtrail::render
