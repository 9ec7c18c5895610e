/// `ctxtrail stats TRACE [--json]`: how many events of which kind, goroutine transitions,
/// duration. On a malformed trace it still prints what was read (complete: false), exit 3.
#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "cli/trace_input.h"
#include "ctxtrail/analysis/analysis.h"
#include "ctxtrail/render/views.h"

namespace ctxtrail::cli {
namespace {

struct StatsArgs {
  std::string path;
  bool json = false;
};

void run_stats(const StatsArgs& args, Io& io) {
  render::StatsCounter stats;
  analysis::Options options;
  options.depth = analysis::Depth::Events;
  // The counts of what was read are printed whatever ends the read: partial is the point.
  options.partial = true;
  options.tap = [&](std::span<const trace::Event> events, const trace::StringTable&, const trace::StackTable&) {
    stats.add(events);
  };
  options.progress = progress_bar(io);
  auto a = analysis::analyze(args.path, std::move(options));
  end_progress();
  if (!a.ok()) {
    report_input_error(a.error(), io, "stats");
    return;
  }
  io.out << (args.json ? stats.json(a->source) : stats.text(a->source));
  io.out.flush();
  if (a->tail_error) report_input_error(*a->tail_error, io, "stats");
}

}  // namespace

void install_stats_command(CLI::App& root, Io& io) {
  auto args = std::make_shared<StatsArgs>();
  auto* cmd = root.add_subcommand("stats", "Summarise a Go execution trace: events by kind, goroutine transitions");
  cmd->add_option("trace", args->path, "trace file (gzip accepted), - for stdin")->required();
  cmd->add_flag("--json", args->json, "print JSON (docs/event-stream.md)");
  cmd->callback([args, &io] { run_stats(*args, io); });
}

}  // namespace ctxtrail::cli
