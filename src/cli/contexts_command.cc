/// `ctxtrail contexts TRACE... [--json]`: the context tree recorded by the Go package trail; with
/// several traces (one per process), each tree and the requests joining them.
#include <CLI/CLI.hpp>

#include "cli/analysis.h"
#include "cli/commands.h"
#include "cli/processes_run.h"
#include "ctxtrail/render/processes.h"
#include "ctxtrail/render/views.h"

namespace ctxtrail::cli {

void install_contexts_command(CLI::App& root, Io& io) {
  struct Flags {
    std::vector<std::string> traces;
    bool json = false;
    bool partial = false;
  };
  auto flags = std::make_shared<Flags>();
  auto* cmd = root.add_subcommand("contexts", "Print the context tree recorded by the Go package trail");
  cmd->add_option("traces", flags->traces,
                  "Go execution trace of a program using .../go/trail; several: one per process, joined by "
                  "their requests")
      ->required();
  cmd->add_flag("--json", flags->json, "Print JSON instead of text");
  cmd->add_flag("--partial", flags->partial, "Use what could be read of a malformed trace");
  cmd->callback([flags, &io] {
    analysis::Options options;
    options.depth = analysis::Depth::Model;
    options.partial = flags->partial;
    bool failed = false;
    auto several = several_processes(flags->traces, io, "contexts", failed);
    if (failed) return;
    if (several) {
      auto m = run_processes(*several, std::move(options), io, "contexts");
      if (!m) return;
      if (flags->json)
        render::render_process_contexts_json(*m, io.out);
      else
        render::render_process_contexts_text(*m, io.out);
      return;
    }
    if (flags->traces.size() != 1) {
      io.err << "ctxtrail contexts: give one trace, or several traces of different processes\n";
      io.exit_code = kExitUsage;
      return;
    }
    auto a = run_analysis(flags->traces.front(), std::move(options), io, "contexts");
    if (!a) return;
    if (flags->json)
      render::render_contexts_json(*a, io.out);
    else
      render::render_contexts_text(*a, io.out);
  });
}

}  // namespace ctxtrail::cli
