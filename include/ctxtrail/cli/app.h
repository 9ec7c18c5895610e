/// The ctxtrail command line: a table of subcommands, each in its own file, driven by argv.
#pragma once

#include <ostream>

namespace CLI {
class App;
}

namespace ctxtrail::cli {

/// Exit codes every command shares; users script against them.
enum ExitCode : int {
  kExitOk = 0,
  kExitFindings = 1,  // findings at or above --fail-on
  kExitUsage = 2,     // bad flags or arguments
  kExitBadInput = 3,  // unreadable or malformed input
};

/// Where a command writes and what it answers. Tests pass string streams.
struct Io {
  std::ostream& out;
  std::ostream& err;
  int exit_code = kExitOk;
};

/// Adds one subcommand to `root`; its callback does the work and sets `io.exit_code`.
using CommandInstaller = void (*)(CLI::App& root, Io& io);

struct CommandEntry {
  const char* name;
  CommandInstaller install;
};

/// Runs the CLI on argv and returns the process exit code.
int run(int argc, const char* const* argv, std::ostream& out, std::ostream& err);

}  // namespace ctxtrail::cli
