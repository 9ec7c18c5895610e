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

/// After a read that ended without error: warns on io.err when the input stopped early in a
/// way Go's parser also takes for the end (see Reader::truncation). Exit code unchanged.
void warn_if_truncated(const trace::Reader& reader, Io& io);

/// Clears the progress line, if one was drawn.
void end_progress();

}  // namespace ctxtrail::cli
