/// Shared by analyze, lifecycle and dag: open a trace and build its model.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "cli/app.h"
#include "ctxtrail/model/context_tree.h"
#include "ctxtrail/model/model.h"
#include "ctxtrail/trace/reader.h"

namespace ctxtrail::cli {

struct LoadedTrace {
  std::unique_ptr<trace::Reader> reader;  // owns the string and stack tables
  std::unique_ptr<model::FrameClassifier> frames;
  model::Model model;
  model::ContextTree contexts;  // from the ctxtrail log events; empty when there are none
  std::optional<Error> error;  // set when the trace was malformed and --partial kept going
};

using ReaderOpener = Result<std::unique_ptr<trace::Reader>> (*)(const std::string& path);
/// How commands open traces: Reader::open; tests swap in synthetic readers.
ReaderOpener& reader_opener();

/// Opens and models `path`. On an unreadable or malformed trace prints the error, sets exit
/// code 3 and answers nothing, unless `partial` (then the model covers what was read).
std::optional<LoadedTrace> load_trace(const std::string& path, model::ModelOptions options,
                                      bool partial, Io& io, const char* command);

}  // namespace ctxtrail::cli
