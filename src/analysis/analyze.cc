/// The one pass over a trace that every command shares, then the rules.
#include "ctxtrail/analysis/analysis.h"

#include <zlib.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>

#include "ctxtrail/model/snapshot_frames.h"
#include "ctxtrail/model/snapshot_join.h"
#include "ctxtrail/snapshot/groups.h"
#include "ctxtrail/snapshot/operation.h"
#include "ctxtrail/trace/reader.h"
#include "analysis/beside_ordering.h"

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

namespace {

diagnose::StackGroupSummary group_summary(const snapshot::Snapshot& s, const snapshot::StackGroup& group) {
  const snapshot::Goroutine& g = s.goroutines[group.first];
  diagnose::StackGroupSummary out;
  out.count = group.count;
  out.operation = std::string(snapshot::blocking_operation(g));
  if (out.operation.empty() && s.kind == snapshot::Kind::Dump) out.operation = g.state;
  if (const snapshot::Frame* f = model::first_user_frame(g)) {
    out.where = model::source_loc(*f);
  } else if (!g.frames.empty()) {
    out.where = model::source_loc(g.frames.front());
  }
  if (!g.created_by.function.empty()) out.created = model::source_loc(g.created_by);
  out.longest_wait_minutes = group.longest_wait_minutes;
  return out;
}

// What each snapshot held and how much of it the trace had (the report's header lists them).
void summarise_snapshots(Analysis& a, const std::vector<std::string>& paths) {
  for (size_t i = 0; i < a.snapshots.size(); ++i) {
    const snapshot::Snapshot& s = *a.snapshots[i];
    diagnose::SnapshotSummary sum;
    sum.file = i < paths.size() ? paths[i] : s.source;
    sum.kind = s.kind == snapshot::Kind::Dump && s.has_leak_marks ? "goroutine leak profile (debug=2 dump)"
                                                                   : std::string(snapshot::to_string(s.kind));
    for (const snapshot::Goroutine& g : s.goroutines) {
      sum.goroutines += g.count;
      if (g.leaked) sum.leaked += g.count;
    }
    const auto& in_trace = a.model.snapshots.leaked_in_trace_by_snapshot;
    if (i < in_trace.size()) sum.leaked_in_trace = in_trace[i];
    const std::vector<snapshot::StackGroup> groups = snapshot::group_by_stack(s);
    sum.groups = groups.size();
    for (size_t k = 0; k < groups.size() && k < diagnose::kLargestGroups; ++k)
      sum.largest.push_back(group_summary(s, groups[k]));
    a.report.snapshots.push_back(std::move(sum));
  }
}

using SnapshotList = std::vector<std::unique_ptr<snapshot::Snapshot>>;

// Reads every snapshot of `paths`; the first that cannot be read is the answer.
Result<SnapshotList> read_snapshots(const std::vector<std::string>& paths) {
  SnapshotList read;
  for (const std::string& path : paths) {
    auto s = snapshot::read_snapshot(path);
    if (!s.ok()) return s.error();
    // Its time, for goroutine-growth's rate: the file's, when it has one.
    std::error_code ec;
    const auto written = std::filesystem::last_write_time(path, ec);
    if (!ec)
      s->taken_at_ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                           std::chrono::file_clock::to_sys(written).time_since_epoch())
                           .count();
    read.push_back(std::make_unique<snapshot::Snapshot>(std::move(s.value())));
  }
  return read;
}

}  // namespace

namespace {

// Joins the analysis's snapshots to its model (dumps first: model/snapshot_join.h).
void join_all(Analysis& a) {
  std::vector<const snapshot::Snapshot*> list;
  for (const auto& s : a.snapshots) list.push_back(s.get());
  model::join_snapshots(a.model, a.frames(), list);
}

}  // namespace

Result<Analysis> analyze_reader(std::unique_ptr<trace::Reader> reader, Options options) {
  Analysis a;
  // Snapshots first: a bad one fails before the (long) trace pass.
  auto snapshots = read_snapshots(options.snapshots);
  if (!snapshots.ok()) return snapshots.error();
  a.snapshots = std::move(snapshots.value());
  a.reader_ = std::move(reader);
  trace::Reader& r = *a.reader_;
  a.frames_ = std::make_unique<model::FrameClassifier>(r.strings(), r.stacks());
  const bool modelled = options.depth != Depth::Events;
  std::optional<model::ModelBuilder> builder;
  std::optional<model::ContextTreeBuilder> contexts;
  if (modelled) builder.emplace(*a.frames_, std::move(options.model));
  std::optional<Error> failure;
  if (modelled && !options.extras && !options.tap) {
    // analyze, dag, lifecycle, contexts: the hot loop of the common case, with no other work.
    // With --jobs 2 the context tree is built on the ordering thread (beside_ordering.h).
    model::ModelBuilder& b = *builder;
    BesideOrdering<model::ContextTreeBuilder> beside;
    const trace::StringTable* there = beside.attach(r);
    contexts.emplace(there != nullptr ? *there : r.strings());
    if (there != nullptr) {
      beside.use(*contexts);
      uint64_t index = 0;
      failure = trace::for_each_event(r, [&](const trace::Event& ev) {
        b.on_event(ev);
        beside.rethrow_at(index++);
      });
    } else {
      model::ContextTreeBuilder& c = *contexts;
      failure = trace::for_each_event(r, [&](const trace::Event& ev) {
        b.on_event(ev);
        c.on_event(ev);
      });
    }
  } else if (modelled || options.extras) {
    if (modelled) contexts.emplace(r.strings());
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
  if (options.extras) a.extras.finish();
  a.source = source_info(r);
  if (failure) {
    if (!options.partial) return *failure;
    a.tail_error = failure;
  }
  if (!modelled) return a;
  a.model = builder->finish();
  a.contexts = contexts->finish(a.model);
  join_all(a);
  if (options.depth == Depth::Findings) {
    a.report = diagnose::diagnose(a.model, *a.frames_, options.diagnosis, a.context_tree());
    a.report.trace = a.source.name;
    a.report.partial = a.tail_error.has_value();
    summarise_snapshots(a, options.snapshots);
  }
  return a;
}

namespace {

// The tables of a trace that has no strings and no stacks: what the snapshots-only analysis's
// frame classifier reads.
struct NoStrings final : trace::StringTable {
  std::string_view get(trace::StringID) const override { return {}; }
  trace::StringID find(std::string_view) const override { return 0; }
  size_t size() const override { return 0; }
};
struct NoStacks final : trace::StackTable {
  std::span<const trace::Frame> frames(trace::StackID) const override { return {}; }
  size_t size() const override { return 0; }
};
const NoStrings kNoStrings;
const NoStacks kNoStacks;

}  // namespace

Result<Analysis> analyze_snapshots_only(const std::string& name, Options options) {
  auto read = read_snapshots(options.snapshots);
  if (!read.ok()) return read.error();
  return analyze_snapshot_list(std::move(read.value()), name, std::move(options));
}

Result<Analysis> analyze_snapshots(std::vector<snapshot::Snapshot> snapshots, const std::string& name,
                                   Options options) {
  SnapshotList list;
  for (snapshot::Snapshot& s : snapshots) list.push_back(std::make_unique<snapshot::Snapshot>(std::move(s)));
  return analyze_snapshot_list(std::move(list), name, std::move(options));
}

Result<Analysis> analyze_snapshot_list(std::vector<std::unique_ptr<snapshot::Snapshot>> snapshots,
                                       const std::string& name, Options options) {
  Analysis a;
  a.snapshots = std::move(snapshots);
  a.snapshots_only = true;
  a.source.name = name;
  a.source.complete = true;
  a.frames_ = std::make_unique<model::FrameClassifier>(kNoStrings, kNoStacks);
  join_all(a);
  if (options.depth == Depth::Findings) {
    a.report = diagnose::diagnose(a.model, *a.frames_, options.diagnosis, nullptr);
    a.report.trace = name;
    a.report.trace_given = false;
    summarise_snapshots(a, options.snapshots);
  }
  return a;
}

Result<bool> is_trace_file(const std::string& path) {
  if (path == "-") return true;
  gzFile f = gzopen(path.c_str(), "rb");  // reads plain files as they are
  if (f == nullptr) return Error{path, std::nullopt, std::nullopt, std::string("cannot open: ") + std::strerror(errno)};
  char head[32];
  const int n = gzread(f, head, sizeof head);
  gzclose(f);
  if (n < 0) return Error{path, 0, std::nullopt, "cannot read"};
  return snapshot::looks_like_trace(std::string_view(head, static_cast<size_t>(n)));
}

Result<Analysis> analyze_inputs(const std::vector<std::string>& inputs, Options options) {
  std::optional<std::string> trace_path;
  for (const std::string& path : inputs) {
    auto is_trace = is_trace_file(path);
    // One input that cannot be sniffed goes to the trace reader, which says why it cannot be
    // read (and tests' synthetic readers open names that are no files).
    if (!is_trace.ok() && inputs.size() == 1) return analyze(path, std::move(options));
    if (!is_trace.ok()) return is_trace.error();
    if (!*is_trace) {
      options.snapshots.push_back(path);
    } else if (trace_path) {
      return Error{path, std::nullopt, std::nullopt,
                   "a second Go execution trace (after " + *trace_path + "): give one trace per run, with any dumps and "
                   "profiles of the same process"};
    } else {
      trace_path = path;
    }
  }
  if (trace_path) return analyze(*trace_path, std::move(options));
  return analyze_snapshots_only(inputs.empty() ? std::string() : inputs.front(), std::move(options));
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
