/// Opening a trace for a command: the reader, with a progress bar on stderr when stderr is a
/// terminal (quiet otherwise), and the error report commands share.
#pragma once

#include <memory>
#include <string>

#include "cli/app.h"
#include "ctxtrail/trace/reader.h"

namespace ctxtrail::cli {

/// Opens `path`; on failure writes the error to io.err, sets kExitBadInput, answers null.
std::unique_ptr<trace::Reader> open_trace(const std::string& path, Io& io);

/// Reports an input error: "ctxtrail: FILE: byte N (generation G): message", exit code 3.
void report_input_error(const Error& error, Io& io);

/// Reports the malformed tail of a trace read with --partial, whose output for what was read
/// still follows: "ctxtrail COMMAND: FILE: ...: message (--partial: DOING what was read)",
/// exit code 3.
void report_partial_tail(const Error& error, Io& io, const char* command, const char* doing);

/// Clears the progress line, if one was drawn.
void end_progress();

}  // namespace ctxtrail::cli
