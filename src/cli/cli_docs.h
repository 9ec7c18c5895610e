/// The man page and the shell completions, written from the command line's own tree (the
/// commands, their flags, the values a flag accepts), so that neither drifts from the tool.
#pragma once

#include <ostream>
#include <string>
#include <string_view>
#include <vector>

namespace CLI {
class App;
}

namespace ctxtrail::cli {

/// One flag or argument of a command, as the docs show it.
struct FlagDoc {
  std::vector<std::string> names;  // "--format", "-o"; empty for an argument
  std::string argument;            // the argument's or the value's name ("TRACE", "TEXT")
  std::string description;
  std::vector<std::string> values;  // the values it accepts, when it names them
  bool takes_value = false;
  bool path = false;                // completes as a file name
};

struct CommandDoc {
  std::string name;
  std::string description;
  std::vector<FlagDoc> flags;
};

/// The visible commands of `root` in its order (hidden ones, such as `manpage`, left out).
std::vector<CommandDoc> command_docs(const CLI::App& root);

/// A roff man page, section 1.
void write_man_page(const CLI::App& root, std::string_view version, std::ostream& out);

/// A completion script for bash, zsh or fish; false for another shell.
bool write_completion(const CLI::App& root, std::string_view shell, std::ostream& out);

}  // namespace ctxtrail::cli
