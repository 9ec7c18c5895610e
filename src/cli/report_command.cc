/// `ctxtrail report TRACE -o report.html`: the self-contained interactive HTML report.
#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/trace_input.h"
#include "ctxtrail/render/export_output.h"
#include "ctxtrail/render/report_html.h"

namespace ctxtrail::cli {
namespace {

struct ReportArgs {
  std::string path;
  std::string output = "report.html";
  bool partial = false;
};

/// Stand-in until the diagnose layer is merged: goroutines a cancel wave woke that were still
/// alive at trace end, and user goroutines still blocked at trace end. Replace with
/// diagnose::diagnose() and a Finding -> ReportFinding copy.
std::vector<render::ReportFinding> interim_findings(const model::Model& m, model::FrameClassifier& frames) {
  std::vector<render::ReportFinding> out;
  std::unordered_map<trace::GoID, int32_t> woken_by;
  for (const model::CancelWave& w : m.waves) {
    for (int32_t wi : w.watchers) woken_by[m.watchers[wi].g] = w.id;
  }
  for (const model::Goroutine& g : m.goroutines) {
    if (g.ended_at >= 0 || g.kind != model::GoKind::User) continue;
    auto it = woken_by.find(g.id);
    render::ReportFinding f;
    std::string fn = render::start_function(g, frames);
    f.goroutines.push_back(g.id);
    f.time_ns = g.state_since - m.trace_begin;
    f.locations.push_back({"start", {fn, "", 0}});
    model::SourceLoc block = frames.top_user_location(g.state_stack);
    if (it != woken_by.end()) {
      f.rule = "cancel-ignored";
      f.severity = "error";
      f.message = "G" + std::to_string(g.id) + " (" + fn + ") was woken by cancel #" +
                  std::to_string(it->second) + " but was still alive at trace end";
      f.waves.push_back(it->second);
    } else if (g.state == trace::GoState::Waiting) {
      f.rule = "blocked-forever";
      f.severity = "warning";
      f.message = "G" + std::to_string(g.id) + " (" + fn + ") was still blocked (" +
                  std::string(frames.str(g.reason)) + ") at trace end";
    } else {
      continue;
    }
    if (!block.empty()) f.locations.push_back({"block", block});
    out.push_back(std::move(f));
  }
  return out;
}

void run_report(const ReportArgs& args, Io& io) {
  auto reader = open_trace(args.path, io);
  if (!reader) return;
  model::FrameClassifier frames(reader->strings(), reader->stacks());
  auto rm = render::build_render_model(*reader, frames, args.partial);
  end_progress();
  if (!rm.ok()) {
    report_input_error(rm.error(), io);
    return;
  }
  if (rm->tail_error) io.err << "ctxtrail report: warning: " << rm->tail_error->to_string() << "\n";
  std::vector<render::ReportFinding> findings = interim_findings(rm->model, frames);
  render::RenderInput in{rm->model, frames, rm->extras, findings, args.path};
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
  cmd->callback([args, &io] { run_report(*args, io); });
}

}  // namespace ctxtrail::cli
