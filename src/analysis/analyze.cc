/// The one pass over a trace that every command shares, then the rules.
#include "ctxtrail/analysis/analysis.h"

#include <filesystem>

#include "ctxtrail/trace/reader.h"

namespace ctxtrail::analysis {
namespace {

Result<std::unique_ptr<trace::Reader>> open_file(const std::string& path, trace::ReaderOptions options) {
  return trace::Reader::open(path, std::move(options));
}

SourceInfo source_info(const trace::Reader& r) {
  return {r.name(), r.format_version(), r.generations(), r.complete(), r.stats()};
}

}  // namespace

ReaderOpener& reader_opener() {
  static ReaderOpener opener = open_file;
  return opener;
}

Analysis::Analysis() = default;
Analysis::Analysis(Analysis&&) noexcept = default;
Analysis& Analysis::operator=(Analysis&&) noexcept = default;
Analysis::~Analysis() = default;

Result<Analysis> analyze(const std::string& path, Options options) {
  trace::ReaderOptions ro;
  ro.progress = std::move(options.progress);
  auto reader = reader_opener()(path, std::move(ro));
  if (!reader.ok()) return reader.error();
  auto a = analyze_reader(std::move(reader.value()), std::move(options));
  // Reports name the trace as the user gave it ("-" included).
  if (a.ok()) a->report.trace = path;
  return a;
}

Result<Analysis> analyze_reader(std::unique_ptr<trace::Reader> reader, Options options) {
  Analysis a;
  a.reader_ = std::move(reader);
  trace::Reader& r = *a.reader_;
  a.frames_ = std::make_unique<model::FrameClassifier>(r.strings(), r.stacks());
  const bool modelled = options.depth != Depth::Events;
  std::optional<model::ModelBuilder> builder;
  std::optional<model::ContextTreeBuilder> contexts;
  if (modelled) {
    builder.emplace(*a.frames_, std::move(options.model));
    contexts.emplace(r.strings());
  }
  std::optional<Error> failure;
  if (modelled && !options.extras && !options.tap) {
    // analyze, dag, lifecycle, contexts: the hot loop of the common case, with no other work.
    model::ModelBuilder& b = *builder;
    model::ContextTreeBuilder& c = *contexts;
    failure = trace::for_each_event(r, [&](const trace::Event& ev) {
      b.on_event(ev);
      c.on_event(ev);
    });
  } else if (modelled || options.extras) {
    failure = trace::for_each_event(r, [&](const trace::Event& ev) {
      if (builder) {
        builder->on_event(ev);
        contexts->on_event(ev);
      }
      if (options.extras) a.extras.on_event(ev, r.strings());
      if (options.tap) options.tap(std::span<const trace::Event>(&ev, 1), r.strings(), r.stacks());
    });
  } else {
    failure = trace::for_each_batch(r, [&](std::span<const trace::Event> events) {
      if (options.tap) options.tap(events, r.strings(), r.stacks());
    });
  }
  a.source = source_info(r);
  if (failure) {
    if (!options.partial) return *failure;
    a.tail_error = failure;
  }
  if (!modelled) return a;
  a.model = builder->finish();
  a.contexts = contexts->finish(a.model);
  if (options.depth == Depth::Findings) {
    a.report = diagnose::diagnose(a.model, *a.frames_, options.diagnosis, a.context_tree());
    a.report.trace = a.source.name;
    a.report.partial = a.tail_error.has_value();
  }
  return a;
}

Result<Analysis> analyze_twice(const std::string& path, Options options, const SecondLook& more) {
  // Only a regular file can be read again: standard input, a pipe, /dev/stdin, a named FIFO
  // or a process substitution would give nothing the second time (or wait for a writer).
  std::error_code ec;
  if (path == "-" || !std::filesystem::is_regular_file(path, ec)) {
    options.model = more(nullptr);
    return analyze(path, std::move(options));
  }
  Options first = options;
  first.depth = Depth::Findings;
  first.model = {};
  first.extras = false;
  first.tap = {};
  auto a = analyze(path, std::move(first));
  if (!a.ok()) return a;
  options.model = more(&a.value());
  options.depth = Depth::Model;
  auto b = analyze(path, std::move(options));
  if (!b.ok()) return b;
  b->report = std::move(a->report);
  return b;
}

}  // namespace ctxtrail::analysis
