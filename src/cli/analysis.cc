/// Opening a trace and building its model, for every command that needs the model.
#include "cli/analysis.h"

#include "cli/trace_input.h"

namespace ctxtrail::cli {

namespace {
Result<std::unique_ptr<trace::Reader>> open_file(const std::string& path) {
  return trace::Reader::open(path);
}
}  // namespace

ReaderOpener& reader_opener() {
  static ReaderOpener opener = open_file;
  return opener;
}

std::optional<LoadedTrace> load_trace(const std::string& path, model::ModelOptions options,
                                      bool partial, Io& io, const char* command) {
  auto reader = reader_opener()(path);
  if (!reader.ok()) {
    io.err << "ctxtrail " << command << ": " << reader.error().to_string() << "\n";
    io.exit_code = kExitBadInput;
    return std::nullopt;
  }
  LoadedTrace t;
  t.reader = std::move(reader.value());
  t.frames = std::make_unique<model::FrameClassifier>(t.reader->strings(), t.reader->stacks());
  model::ContextTreeBuilder contexts(t.reader->strings());
  auto built = model::build_model(*t.reader, *t.frames, std::move(options), partial, &t.error,
                                  [&](const trace::Event& ev) { contexts.on_event(ev); });
  if (!built.ok()) {
    io.err << "ctxtrail " << command << ": " << built.error().to_string() << "\n";
    if (!partial) io.err << "(use --partial to analyze what could be read)\n";
    io.exit_code = kExitBadInput;
    return std::nullopt;
  }
  t.model = std::move(built.value());
  t.contexts = contexts.finish(t.model);
  if (t.error) report_partial_tail(*t.error, io, command, "analyzing");
  return t;
}

}  // namespace ctxtrail::cli
