#include <CLI/CLI.hpp>

#include "cli/commands.h"

namespace ctxtrail::cli {

void install_events_command(CLI::App& root, Io& io) {
  auto* cmd = root.add_subcommand("events", "(placeholder)");
  cmd->callback([&io] { io.err << "ctxtrail events: not built yet\n"; io.exit_code = kExitUsage; });
}

}  // namespace ctxtrail::cli
