/// What every command shows about its input: the progress bar on stderr when stderr is a
/// terminal (quiet otherwise), and the input errors.
#pragma once

#include <cstdint>
#include <functional>

#include "ctxtrail/cli/app.h"
#include "ctxtrail/status.h"

namespace ctxtrail::cli {

/// A progress callback drawing on the terminal, or none when io.err is not a terminal.
std::function<void(uint64_t, uint64_t)> progress_bar(Io& io);
/// Clears the progress line, if one was drawn.
void end_progress();

/// Adds --jobs N to a command that reads a trace: the threads reading it (default: the machine's
/// cores; 1 reads on the command's own thread), for every trace the command opens.
void add_jobs_flag(CLI::App& command);

/// Reports an input error: "ctxtrail COMMAND: FILE: byte N (generation G): message", exit 3.
void report_input_error(const Error& error, Io& io, const char* command);

/// Reports the malformed tail of a trace read with --partial, whose output for what was read
/// still follows: "ctxtrail COMMAND: FILE: ...: message (--partial: the output covers what was
/// read)", exit code 3.
void report_partial_tail(const Error& error, Io& io, const char* command);

}  // namespace ctxtrail::cli
