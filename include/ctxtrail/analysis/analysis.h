/// The pipeline stage every command calls: read a trace once, build the model and the trail
/// context tree in the same pass, then diagnose. Commands choose what to render from the one
/// Analysis value it answers; none of them reads the trace or builds a model itself.
///
///   trace (read, order) -> model (goroutines, waves, DAG, contexts) -> diagnose (rules)
///                       -> Analysis -> render (text, JSON, SARIF, HTML, exports)
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "ctxtrail/analysis/trace_extras.h"
#include "ctxtrail/diagnose/rules.h"
#include "ctxtrail/model/context_tree.h"
#include "ctxtrail/model/frames.h"
#include "ctxtrail/model/model.h"
#include "ctxtrail/snapshot/snapshot.h"
#include "ctxtrail/status.h"
#include "ctxtrail/trace/event.h"
#include "ctxtrail/trace/reader_stats.h"
#include "ctxtrail/trace/tables.h"

namespace ctxtrail::trace {
class Reader;
struct ReaderOptions;
}  // namespace ctxtrail::trace

namespace ctxtrail::analysis {

/// How far the pass goes.
enum class Depth : uint8_t {
  Events,    // only the taps see the events (stats, events)
  Model,     // + the model and the context tree
  Findings,  // + the rules' findings, waves and critical path
};

/// Events in order, a batch at a time (a call per event would cost a third of `stats`), with
/// the tables that name their strings and stacks (they grow as the trace is read: an event's IDs
/// are always resolvable when it is handed out).
using EventTap = std::function<void(std::span<const trace::Event>, const trace::StringTable&, const trace::StackTable&)>;

struct Options {
  Depth depth = Depth::Findings;
  /// Keep going after a malformed tail: the result covers what was read and names the error.
  bool partial = false;
  diagnose::Options diagnosis;
  /// Which state intervals the model keeps, or where they stream (the timeline's reducer).
  model::ModelOptions model;
  /// Collect heap samples and logs (the timeline draws them).
  bool extras = false;
  EventTap tap;
  /// Called now and then with (bytes consumed, total bytes or 0 when unknown).
  std::function<void(uint64_t, uint64_t)> progress;
  /// Goroutine dumps and pprof goroutine / leak profiles of the same process, taken at or after
  /// the trace's end, to join to the model (snapshot/snapshot.h, model/snapshot_join.h).
  std::vector<std::string> snapshots;
};

/// What the reader says about its input besides the events.
struct SourceInfo {
  std::string name;
  int format_version = 0;
  uint64_t generations = 0;
  bool complete = false;
  trace::ReaderStats stats;
};

/// One trace, analysed. Owns the string and stack tables the model's IDs refer to.
class Analysis {
 public:
  SourceInfo source;
  model::Model model;
  model::ContextTree contexts;  // from the ctxtrail log events; empty when there are none
  TraceExtras extras;           // with Options::extras
  diagnose::Report report;      // findings, waves, critical path (Depth::Findings)
  /// The malformed tail that ended a --partial read; everything above covers what came before.
  std::optional<Error> tail_error;
  /// The snapshots of Options::snapshots, as read (model.snapshots points into them).
  std::vector<std::unique_ptr<snapshot::Snapshot>> snapshots;
  /// No trace was given: the model is empty and the findings come from the snapshots alone.
  bool snapshots_only = false;

  model::FrameClassifier& frames() const { return *frames_; }
  /// The context tree for the context rules and views; null when the trace has no trail events.
  const model::ContextTree* context_tree() const { return contexts.empty() ? nullptr : &contexts; }

  Analysis(Analysis&&) noexcept;
  Analysis& operator=(Analysis&&) noexcept;
  ~Analysis();

 private:
  friend Result<Analysis> analyze(const std::string& path, Options options);
  friend Result<Analysis> analyze_reader(std::unique_ptr<trace::Reader> reader, Options options);
  friend Result<Analysis> analyze_snapshot_list(std::vector<std::unique_ptr<snapshot::Snapshot>> snapshots,
                                                const std::string& name, Options options);
  Analysis();
  std::unique_ptr<trace::Reader> reader_;
  std::unique_ptr<model::FrameClassifier> frames_;
};

/// Reads `path` ("-": standard input; gzip accepted) and analyses it. An unreadable input, or
/// a malformed one without Options::partial, answers the Error.
Result<Analysis> analyze(const std::string& path, Options options);
/// The same over an open reader (traces held in memory, synthetic readers in tests).
Result<Analysis> analyze_reader(std::unique_ptr<trace::Reader> reader, Options options);

/// Analyses several inputs of one process, recognised by content: at most one Go execution trace
/// ("-": standard input, always taken as the trace) and any goroutine dumps and profiles, joined
/// to it. Without a trace, the findings come from the snapshots alone.
Result<Analysis> analyze_inputs(const std::vector<std::string>& inputs, Options options);

/// The snapshots of options.snapshots alone, with no trace: an empty model, findings from the
/// snapshots; `name` names the report.
Result<Analysis> analyze_snapshots_only(const std::string& name, Options options);
/// The same over snapshots already read (fuzzing, tests); options.snapshots only names them.
Result<Analysis> analyze_snapshots(std::vector<snapshot::Snapshot> snapshots, const std::string& name,
                                   Options options);
/// The same over snapshots already read and owned (the analysis keeps them).
Result<Analysis> analyze_snapshot_list(std::vector<std::unique_ptr<snapshot::Snapshot>> snapshots,
                                       const std::string& name, Options options);

/// Whether `path` holds a Go execution trace (plain or gzip), by its first bytes; an Error when
/// it cannot be read.
Result<bool> is_trace_file(const std::string& path);

/// For outputs that must hold more of the trace than a first pass can know to keep (the
/// timeline keeps every interval of the goroutines the findings name, and a state plot over
/// the whole span): analyses `path` with `options`, asks `more` for the model options of a
/// second pass given the first analysis, reads the trace again with them and answers the second
/// analysis carrying the first one's findings. What is not a regular file (standard input, a
/// pipe, a FIFO) cannot be read twice: it is read once, and `more` gets null.
using SecondLook = std::function<model::ModelOptions(const Analysis* first)>;
Result<Analysis> analyze_twice(const std::string& path, Options options, const SecondLook& more);

/// How analyze() opens a path: trace::Reader::open. Tests swap in synthetic readers.
using ReaderOpener = Result<std::unique_ptr<trace::Reader>> (*)(const std::string& path,
                                                                trace::ReaderOptions options);
ReaderOpener& reader_opener();

}  // namespace ctxtrail::analysis
