#include <CLI/CLI.hpp>

#include "cli/commands.h"

namespace ctxtrail::cli {

void install_stats_command(CLI::App& root, Io& io) {
  auto* cmd = root.add_subcommand("stats", "(placeholder)");
  cmd->callback([&io] { io.err << "ctxtrail stats: not built yet\n"; io.exit_code = kExitUsage; });
}

}  // namespace ctxtrail::cli
