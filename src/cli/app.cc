#include "ctxtrail/cli/app.h"

#include <CLI/CLI.hpp>

#include <exception>
#include <new>

#include "cli/commands.h"
#include "cli/trace_input.h"
#include "ctxtrail/trace/reader.h"
#include "ctxtrail/version.h"

namespace ctxtrail::cli {

int run(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  CLI::App app{"ctxtrail: find broken context cancellation chains and leaked goroutines in Go traces",
               "ctxtrail"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "ctxtrail " + std::string(ctxtrail::version()));
  Io io{out, err};
  trace::set_default_jobs(0);  // --jobs holds for this run only
  for (const CommandEntry& entry : kCommands) entry.install(app, io);
  // Every command but diff (dumps and profiles only) and the docs' own reads a trace.
  for (CLI::App* command : app.get_subcommands({})) {
    const std::string& name = command->get_name();
    if (name != "diff" && name != "completion" && name != "manpage") add_jobs_flag(*command);
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    out << app.help();
    return kExitOk;
  } catch (const CLI::CallForAllHelp& e) {
    out << app.help("", CLI::AppFormatMode::All);
    return kExitOk;
  } catch (const CLI::CallForVersion& e) {
    out << e.what() << "\n";
    return kExitOk;
  } catch (const CLI::ParseError& e) {
    // Help for a subcommand is raised as CallForHelp too; anything else is a usage error.
    err << "ctxtrail: " << e.what() << "\n";
    err << "Run 'ctxtrail --help' for usage.\n";
    return kExitUsage;
  } catch (const std::bad_alloc&) {
    err << "ctxtrail: out of memory\n";
    return kExitBadInput;
  } catch (const std::exception& e) {
    // A broken invariant after the events were read (a rule, a renderer): the input led there,
    // so it is reported as such, never as a crash.
    err << "ctxtrail: internal error: " << e.what() << " (please report it with the trace)\n";
    return kExitBadInput;
  }
  return io.exit_code;
}

}  // namespace ctxtrail::cli
