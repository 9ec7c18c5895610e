/// `ctxtrail export TRACE --format perfetto|chrome-json|dot|mermaid -o FILE`; several traces (one
/// per process): Perfetto, each process in its own process track on the shared clock.
#include <CLI/CLI.hpp>

#include "cli/analysis.h"
#include "cli/commands.h"
#include "cli/diagnosis_flags.h"
#include "cli/processes_run.h"
#include "ctxtrail/render/export_formats.h"
#include "ctxtrail/render/export_output.h"
#include "ctxtrail/render/processes.h"

namespace ctxtrail::cli {
namespace {

struct ExportArgs {
  std::vector<std::string> paths;
  std::string path;
  std::string format;
  std::string output = "-";
  DiagnosisFlags diagnosis;
  size_t max_nodes = 150;
  size_t max_intervals = render::IntervalBudget::kDefaultMax;
};

// Several processes: each trace read once (its clock, requests and timeline in one pass),
// written as its own packet sequence and tracks, with flows across processes.
void run_export_processes(const ExportArgs& args, const std::vector<analysis::ProcessInputs>& inputs, Io& io) {
  if (args.format != "perfetto") {
    io.err << "ctxtrail export: several traces export to --format perfetto only\n";
    io.exit_code = kExitUsage;
    return;
  }
  auto t = run_timeline_processes(inputs, args.diagnosis.analysis_options(), args.max_intervals, io, "export");
  if (!t) return;
  const analysis::MultiAnalysis& m = t->m;
  std::vector<render::RenderInput> ins;
  for (size_t i = 0; i < m.processes.size(); ++i) {
    const analysis::Process& p = m.processes[i];
    ins.push_back(render::render_input(p.analysis, p.analysis.report.findings, p.trace_file, t->timelines[i]->plot(),
                                       &t->timelines[i]->detail()));
  }
  std::string err = render::write_output(args.output, render::export_processes_perfetto(m, ins), io.out);
  if (!err.empty()) {
    io.err << "ctxtrail export: " << err << "\n";
    io.exit_code = kExitUsage;
    return;
  }
  if (any_partial(m)) return;  // exit 3 already set: an input was malformed
  io.exit_code = args.diagnosis.exit_code(all_findings(m));
}

void run_export(const ExportArgs& args, Io& io) {
  analysis::Options options = args.diagnosis.analysis_options();
  auto t = run_timeline_analysis(args.path, std::move(options), args.max_intervals, io, "export");
  if (!t) return;
  const analysis::Analysis& a = t->analysis;
  const render::IntervalDetail& detail = t->timeline->detail();
  const bool timeline = args.format == "perfetto" || args.format == "chrome-json";
  if (timeline && detail.reduced()) io.err << "ctxtrail export: " << render::describe_reduction(detail) << "\n";
  render::RenderInput in = render::render_input(a, a.report.findings, args.path, t->timeline->plot(), &detail);
  render::ExportOptions eo;
  eo.max_graph_nodes = args.max_nodes;
  std::string data;
  if (args.format == "perfetto") {
    data = render::export_perfetto(in, eo);
  } else if (args.format == "chrome-json") {
    data = render::export_chrome_json(in, eo);
  } else if (args.format == "dot") {
    data = render::export_dot(in, eo);
  } else {
    data = render::export_mermaid(in, eo);
  }
  std::string err = render::write_output(args.output, data, io.out);
  if (!err.empty()) {
    io.err << "ctxtrail export: " << err << "\n";
    io.exit_code = kExitUsage;
    return;
  }
  if (a.tail_error) return;  // exit 3 already set: the input was malformed
  io.exit_code = args.diagnosis.exit_code(a.report.findings);
}

}  // namespace

void install_export_command(CLI::App& root, Io& io) {
  auto args = std::make_shared<ExportArgs>();
  auto* cmd = root.add_subcommand("export", "Export the timeline (Perfetto, Chrome JSON) or the termination DAG (DOT, Mermaid)");
  cmd->add_option("traces", args->paths,
                  "Go execution trace (\"-\" for standard input); several (one per process): --format perfetto, "
                  "a process track each on one clock")
      ->required();
  cmd->add_option("-f,--format", args->format, "perfetto, chrome-json, dot or mermaid")
      ->required()
      ->check(CLI::IsMember({"perfetto", "chrome-json", "dot", "mermaid"}));
  cmd->add_option("-o,--output", args->output, "File to write (\"-\", the default, for standard output)");
  cmd->add_option("--max-nodes", args->max_nodes, "DOT/Mermaid: group by start function above this many nodes");
  cmd->add_option("--max-intervals", args->max_intervals,
                  "perfetto, chrome-json: merge short state intervals into bands to keep about this many (0: keep all)");
  // Exporting is the job: findings do not fail it unless asked.
  args->diagnosis.fail_on = "never";
  add_diagnosis_flags(cmd, args->diagnosis, /*fail_on=*/true);
  cmd->callback([args, &io] {
    by_processes(
        args->paths, io, "export", [&](const auto& several) { run_export_processes(*args, several, io); },
        [&](const std::string& path) {
          args->path = path;
          run_export(*args, io);
        });
  });
}

}  // namespace ctxtrail::cli
