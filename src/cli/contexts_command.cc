/// `ctxtrail contexts TRACE [--json]`: the context tree recorded by the Go package trail.
#include <CLI/CLI.hpp>

#include "cli/analysis.h"
#include "cli/commands.h"
#include "ctxtrail/render/views.h"

namespace ctxtrail::cli {

void install_contexts_command(CLI::App& root, Io& io) {
  struct Flags {
    std::string trace;
    bool json = false;
    bool partial = false;
  };
  auto flags = std::make_shared<Flags>();
  auto* cmd = root.add_subcommand("contexts", "Print the context tree recorded by the Go package trail");
  cmd->add_option("trace", flags->trace, "Go execution trace of a program using .../go/trail")->required();
  cmd->add_flag("--json", flags->json, "Print JSON instead of text");
  cmd->add_flag("--partial", flags->partial, "Use what could be read of a malformed trace");
  cmd->callback([flags, &io] {
    analysis::Options options;
    options.depth = analysis::Depth::Model;
    options.partial = flags->partial;
    auto a = run_analysis(flags->trace, std::move(options), io, "contexts");
    if (!a) return;
    if (flags->json)
      render::render_contexts_json(*a, io.out);
    else
      render::render_contexts_text(*a, io.out);
  });
}

}  // namespace ctxtrail::cli
