/// `ctxtrail lifecycle TRACE --goroutine N`: one goroutine's life, state by state.
#include <CLI/CLI.hpp>

#include "cli/analysis.h"
#include "cli/commands.h"
#include "cli/diagnosis_flags.h"
#include "ctxtrail/render/views.h"

namespace ctxtrail::cli {

void install_lifecycle_command(CLI::App& root, Io& io) {
  struct Flags {
    std::string trace;
    int64_t goroutine = 0;
    DiagnosisFlags diagnosis;
  };
  auto flags = std::make_shared<Flags>();
  auto* cmd = root.add_subcommand("lifecycle", "Print one goroutine's life: creation, states, wakers, end");
  cmd->add_option("trace", flags->trace, "Go execution trace")->required();
  cmd->add_option("-g,--goroutine", flags->goroutine, "Goroutine ID")->required();
  add_diagnosis_flags(cmd, flags->diagnosis, /*fail_on=*/false);
  cmd->callback([flags, &io] {
    analysis::Options options = flags->diagnosis.analysis_options();
    options.model.intervals_for = {flags->goroutine};
    auto a = run_analysis(flags->trace, std::move(options), io, "lifecycle");
    if (!a) return;
    if (!render::render_lifecycle_text(*a, flags->goroutine, io.out)) {
      io.err << "ctxtrail lifecycle: goroutine " << flags->goroutine << " does not appear in the trace\n";
      io.exit_code = kExitUsage;
    }
  });
}

}  // namespace ctxtrail::cli
