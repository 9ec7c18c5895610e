/// `ctxtrail report TRACE -o report.html`: the self-contained interactive HTML report.
#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/trace_input.h"
#include "ctxtrail/diagnose/rules.h"
#include "ctxtrail/render/export_output.h"
#include "ctxtrail/render/report_html.h"

namespace ctxtrail::cli {
namespace {

struct ReportArgs {
  std::string path;
  std::string output = "report.html";
  bool partial = false;
  bool include_runtime = false;
  size_t max_intervals = render::IntervalBudget::kDefaultMax;
};

/// The diagnose layer's findings, as the report shows them.
std::vector<render::ReportFinding> report_findings(const diagnose::Report& report) {
  std::vector<render::ReportFinding> out;
  for (const diagnose::Finding& f : report.findings) {
    render::ReportFinding r;
    r.rule = f.rule;
    r.severity = std::string(diagnose::to_string(f.severity));
    r.message = f.message;
    r.goroutines = f.goroutines;
    r.count = f.count;
    r.time_ns = f.time_ns;
    r.waves = f.waves;
    for (const diagnose::Location& l : f.locations) r.locations.push_back({l.role, l.where});
    out.push_back(std::move(r));
  }
  return out;
}

/// Pass 1 over a file: the model without intervals (as `analyze`), its findings, and which
/// goroutines keep every interval in a reduced report. Answers false after printing an error.
bool first_pass(const ReportArgs& args, const diagnose::Options& options, Io& io,
                std::vector<render::ReportFinding>& findings, render::RenderModelOptions& ro) {
  auto reader = open_trace(args.path, io);
  if (!reader) return false;
  model::FrameClassifier frames(reader->strings(), reader->stacks());
  model::ContextTreeBuilder contexts(reader->strings());
  std::optional<Error> tail;
  auto m = model::build_model(*reader, frames, {}, args.partial, &tail,
                              [&](const trace::Event& ev) { contexts.on_event(ev); });
  end_progress();
  if (!m.ok()) {
    report_input_error(m.error(), io);
    return false;
  }
  if (tail) report_partial_tail(*tail, io, "report", "reporting");
  model::ContextTree tree = contexts.finish(*m);
  findings = report_findings(diagnose::diagnose(*m, frames, options, tree.empty() ? nullptr : &tree));
  ro.budget.exact = render::exact_goroutines(*m, findings);
  ro.span = {m->trace_begin, m->trace_end};
  return true;
}

// Two passes when the trace is a file: the first decides which goroutines keep exact
// intervals, so that the second holds only the kept intervals (memory bounded by the budget,
// not by the trace). Standard input is read once: the budget then exempts no goroutine.
void run_report(const ReportArgs& args, Io& io) {
  diagnose::Options options;
  options.include_runtime = args.include_runtime;
  render::RenderModelOptions ro;
  ro.budget.max_intervals = args.max_intervals;
  std::vector<render::ReportFinding> findings;
  const bool two_pass = args.path != "-";
  if (two_pass && !first_pass(args, options, io, findings, ro)) return;
  auto reader = open_trace(args.path, io);
  if (!reader) return;
  model::FrameClassifier frames(reader->strings(), reader->stacks());
  auto rm = render::build_render_model(*reader, frames, args.partial, ro);
  end_progress();
  if (!rm.ok()) {
    report_input_error(rm.error(), io);
    return;
  }
  // The first pass already reported a malformed tail.
  if (rm->tail_error && !two_pass) report_partial_tail(*rm->tail_error, io, "report", "reporting");
  const model::ContextTree* contexts = rm->contexts.empty() ? nullptr : &rm->contexts;
  if (!two_pass) findings = report_findings(diagnose::diagnose(rm->model, frames, options, contexts));
  render::RenderInput in{rm->model, frames, rm->extras, findings, args.path};
  in.contexts = contexts;
  in.slow_propagation_ns = options.slow_propagation_ns;
  in.plot = rm->plot.get();
  in.detail = &rm->detail;
  std::string html = render::render_html_report(in);
  std::string err = render::write_output(args.output, html, io.out);
  if (!err.empty()) {
    io.err << "ctxtrail report: " << err << "\n";
    io.exit_code = kExitUsage;
  }
}

}  // namespace

void install_report_command(CLI::App& root, Io& io) {
  auto args = std::make_shared<ReportArgs>();
  auto* cmd = root.add_subcommand("report", "Write a self-contained interactive HTML report");
  cmd->add_option("trace", args->path, "Go execution trace (\"-\" for standard input)")->required();
  cmd->add_option("-o,--output", args->output, "HTML file to write (\"-\" for standard output)");
  cmd->add_flag("--partial", args->partial, "Report what was read before a malformed tail");
  cmd->add_flag("--include-runtime", args->include_runtime,
                "Also diagnose runtime-internal, library-internal and testing goroutines");
  cmd->add_option("--max-intervals", args->max_intervals,
                  "Merge short state intervals into bands to keep about this many (0: keep all); "
                  "goroutines of findings, cancel waves and critical paths keep every interval");
  cmd->callback([args, &io] { run_report(*args, io); });
}

}  // namespace ctxtrail::cli
