/// `ctxtrail dag TRACE`: the termination DAG and each wave's critical path, as text.
#include <CLI/CLI.hpp>

#include "cli/analysis.h"
#include "cli/commands.h"
#include "cli/diagnosis_flags.h"
#include "ctxtrail/render/views.h"

namespace ctxtrail::cli {

void install_dag_command(CLI::App& root, Io& io) {
  struct Flags {
    std::string trace;
    DiagnosisFlags diagnosis;
  };
  auto flags = std::make_shared<Flags>();
  auto* cmd = root.add_subcommand("dag", "Print the termination DAG and the shutdown critical paths");
  cmd->add_option("trace", flags->trace, "Go execution trace")->required();
  add_diagnosis_flags(cmd, flags->diagnosis, /*fail_on=*/false);
  cmd->callback([flags, &io] {
    analysis::Options options = flags->diagnosis.analysis_options();
    auto a = run_analysis(flags->trace, std::move(options), io, "dag");
    if (a) render::render_dag_text(*a, io.out);
  });
}

}  // namespace ctxtrail::cli
