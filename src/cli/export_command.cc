/// `ctxtrail export TRACE --format perfetto|chrome-json|dot|mermaid -o FILE`.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/commands.h"
#include "cli/trace_input.h"
#include "ctxtrail/render/export_formats.h"
#include "ctxtrail/render/export_output.h"

namespace ctxtrail::cli {
namespace {

struct ExportArgs {
  std::string path;
  std::string format;
  std::string output = "-";
  bool partial = false;
  size_t max_nodes = 150;
  size_t max_intervals = render::IntervalBudget::kDefaultMax;
};

void run_export(const ExportArgs& args, Io& io) {
  auto reader = open_trace(args.path, io);
  if (!reader) return;
  model::FrameClassifier frames(reader->strings(), reader->stacks());
  render::RenderModelOptions ro;
  ro.budget.max_intervals = args.max_intervals;
  auto rm = render::build_render_model(*reader, frames, args.partial, ro);
  end_progress();
  if (!rm.ok()) {
    report_input_error(rm.error(), io);
    return;
  }
  if (rm->tail_error) report_partial_tail(*rm->tail_error, io, "export", "exporting");
  const bool timeline = args.format == "perfetto" || args.format == "chrome-json";
  if (timeline && rm->detail.reduced())
    io.err << fmt::format(
        "ctxtrail export: note: {} state intervals merged into {} (--max-intervals {}): intervals "
        "shorter than {} ns are bands showing their most telling state\n",
        rm->detail.recorded, rm->detail.kept, rm->detail.max_intervals, rm->detail.quantum);
  std::vector<render::ReportFinding> no_findings;
  render::RenderInput in{rm->model, frames, rm->extras, no_findings, args.path};
  render::ExportOptions options;
  options.max_graph_nodes = args.max_nodes;
  std::string data;
  if (args.format == "perfetto") {
    data = render::export_perfetto(in, options);
  } else if (args.format == "chrome-json") {
    data = render::export_chrome_json(in, options);
  } else if (args.format == "dot") {
    data = render::export_dot(in, options);
  } else {
    data = render::export_mermaid(in, options);
  }
  std::string err = render::write_output(args.output, data, io.out);
  if (!err.empty()) {
    io.err << "ctxtrail export: " << err << "\n";
    io.exit_code = kExitUsage;
  }
}

}  // namespace

void install_export_command(CLI::App& root, Io& io) {
  auto args = std::make_shared<ExportArgs>();
  auto* cmd = root.add_subcommand("export", "Export the timeline (Perfetto, Chrome JSON) or the termination DAG (DOT, Mermaid)");
  cmd->add_option("trace", args->path, "Go execution trace (\"-\" for standard input)")->required();
  cmd->add_option("-f,--format", args->format, "perfetto, chrome-json, dot or mermaid")
      ->required()
      ->check(CLI::IsMember({"perfetto", "chrome-json", "dot", "mermaid"}));
  cmd->add_option("-o,--output", args->output, "File to write (\"-\", the default, for standard output)");
  cmd->add_option("--max-nodes", args->max_nodes, "DOT/Mermaid: group by start function above this many nodes");
  cmd->add_option("--max-intervals", args->max_intervals,
                  "perfetto, chrome-json: merge short state intervals into bands to keep about this many (0: keep all)");
  cmd->add_flag("--partial", args->partial, "Export what was read before a malformed tail");
  cmd->callback([args, &io] { run_export(*args, io); });
}

}  // namespace ctxtrail::cli
