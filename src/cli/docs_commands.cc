/// `ctxtrail completion bash|zsh|fish` (a completion script, for a shell's rc file or a
/// package) and the hidden `ctxtrail manpage` (the man page the build installs): both written
/// from the command line's own tree (cli_docs.h).
#include <CLI/CLI.hpp>

#include <sstream>

#include "cli/cli_docs.h"
#include "cli/commands.h"
#include "ctxtrail/render/export_output.h"
#include "ctxtrail/version.h"

namespace ctxtrail::cli {
namespace {

// Writes what `write` makes to `path` ("-": standard output).
template <typename Write>
void write_to(const std::string& path, Io& io, Write write) {
  std::ostringstream text;
  write(text);
  if (const std::string err = render::write_output(path, text.str(), io.out); !err.empty()) {
    io.err << "ctxtrail: " << err << "\n";
    io.exit_code = kExitBadInput;
  }
}

}  // namespace

void install_completion_command(CLI::App& root, Io& io) {
  struct Args {
    std::string shell;
    std::string output = "-";
  };
  auto args = std::make_shared<Args>();
  CLI::App* cmd = root.add_subcommand("completion", "Print a shell completion script: source it, or install it "
                                                    "where your shell looks (bash, zsh, fish)");
  cmd->add_option("shell", args->shell, "The shell")->required()->check(CLI::IsMember({"bash", "zsh", "fish"}));
  cmd->add_option("-o,--output", args->output, "File to write (\"-\", the default, for standard output)");
  cmd->callback([&root, &io, args] {
    write_to(args->output, io, [&](std::ostream& out) { write_completion(root, args->shell, out); });
  });
}

void install_manpage_command(CLI::App& root, Io& io) {
  auto output = std::make_shared<std::string>("-");
  CLI::App* cmd = root.add_subcommand("manpage", "Print the man page (roff)");
  cmd->group("");  // hidden: the build installs its output as ctxtrail(1)
  cmd->add_option("-o,--output", *output, "File to write (\"-\", the default, for standard output)");
  cmd->callback([&root, &io, output] {
    write_to(*output, io, [&](std::ostream& out) { write_man_page(root, ctxtrail::version(), out); });
  });
}

}  // namespace ctxtrail::cli
