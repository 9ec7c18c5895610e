/// --jobs 2 against --jobs 1 on every corpus trace and on cut and corrupted copies of each: the
/// same events, the same tables and generations at every step, the same error, counters and end;
/// and a consumer beside the ordering (consume_beside) handed exactly the caller's events.
#include "trace/pipelined_reader.h"

#include <fmt/format.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>
#include <tuple>

namespace ctxtrail::trace {
namespace {

std::string slurp(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

/// testdata/**/*.trace and testdata/**/trace.out, in a stable order.
std::vector<std::filesystem::path> corpus() {
  std::vector<std::filesystem::path> out;
  for (const auto& e : std::filesystem::recursive_directory_iterator(std::string(CTXTRAIL_SOURCE_DIR) + "/testdata")) {
    if (!e.is_regular_file()) continue;
    const std::filesystem::path& p = e.path();
    if (p.extension() == ".trace" || p.filename() == "trace.out") out.push_back(p);
  }
  std::sort(out.begin(), out.end());
  return out;
}

/// The corpus the two differential tests below compare on: all of it, or under AddressSanitizer
/// every sixth trace (with the ordering-thread consumer's check they took 455 s of the ASan
/// tree's test time on every third; every command, which reads with two jobs by default, still
/// reads the whole corpus under the sanitizers, and the release tree compares the two readers
/// on all of it).
std::vector<std::filesystem::path> compared_corpus() {
  std::vector<std::filesystem::path> all = corpus();
#if defined(__SANITIZE_ADDRESS__)
  std::vector<std::filesystem::path> sixth;
  for (size_t i = 0; i < all.size(); i += 6) sixth.push_back(all[i]);
  return sixth;
#else
  return all;
#endif
}

auto fields(const Event& e) {
  return std::tie(e.time, e.g, e.p, e.m, e.resource_id, e.stack, e.transition_stack, e.reason, e.kind, e.wire_type,
                  e.resource, e.from, e.to, e.scope, e.name, e.text, e.id, e.parent, e.value);
}

std::string error_text(const std::optional<Error>& e) {
  if (!e) return "(none)";
  return fmt::format("file={} offset={} generation={} message={}", e->file, e->offset ? std::to_string(*e->offset) : "-",
                     e->generation ? std::to_string(*e->generation) : "-", e->message);
}

/// What a consumer sees after each call: the events and what the reader says beside them.
struct Step {
  size_t events = 0;
  uint64_t generations = 0;
  size_t strings = 0;
  size_t stacks = 0;
  bool complete = false;
  bool operator==(const Step&) const = default;
};

struct Run {
  std::optional<Error> open_error;
  std::vector<Event> events;
  std::vector<Step> steps;
  std::optional<Error> error;
  std::optional<Error> again;  // the next call after the error: errors are sticky
  bool complete = false;
  std::optional<Error> truncation;
  ReaderStats stats;
  std::vector<std::string> strings;
  std::vector<std::vector<std::tuple<uint64_t, StringID, StringID, uint64_t>>> stacks;
  bool beside = false;                // consume_beside() took a consumer (--jobs 2)
  std::vector<Event> beside_events;   // what it was handed on the ordering thread
  std::string beside_strings_differ;  // an ID its table reads otherwise than strings() at the end
};

/// How a consumer asks for events: next() one at a time, next_batch() of a size, or view_batch()
/// of 256 (what for_each_event and for_each_batch call).
struct Calls {
  size_t batch = 0;  // 0: next()
  bool view = false;
};

std::string to_string(Calls c) {
  if (c.batch == 0) return "next()";
  return fmt::format("{}({})", c.view ? "view_batch" : "next_batch", c.batch);
}

/// Reads with `jobs` and the calls `calls`.
Run read(const std::string& bytes, unsigned jobs, Calls calls) {
  const size_t batch = calls.batch;
  Run run;
  ReaderOptions options;
  options.jobs = jobs;
  auto opened = Reader::from_bytes(bytes, "t", options);
  if (!opened.ok()) {
    run.open_error = opened.error();
    return run;
  }
  Reader& r = **opened;
  const StringTable* there =
      r.consume_beside([&run](std::span<const Event> e) { run.beside_events.insert(run.beside_events.end(), e.begin(), e.end()); });
  run.beside = there != nullptr;
  std::vector<Event> buf(std::max<size_t>(batch, 1));
  for (;;) {
    size_t got = 0;
    if (batch == 0) {
      Result<bool> more = r.next(buf[0]);
      if (!more.ok()) {
        run.error = more.error();
        Result<bool> again = r.next(buf[0]);
        if (!again.ok()) run.again = again.error();
        break;
      }
      got = *more ? 1 : 0;
    } else if (calls.view) {
      Result<std::span<const Event>> more = r.view_batch(buf);
      if (!more.ok()) {
        run.error = more.error();
        Result<std::span<const Event>> again = r.view_batch(buf);
        if (!again.ok()) run.again = again.error();
        break;
      }
      got = more->size();
      run.events.insert(run.events.end(), more->begin(), more->end());
    } else {
      Result<size_t> more = r.next_batch(buf);
      if (!more.ok()) {
        run.error = more.error();
        Result<size_t> again = r.next_batch(buf);
        if (!again.ok()) run.again = again.error();
        break;
      }
      got = *more;
    }
    if (batch == 0 || !calls.view) {
      run.events.insert(run.events.end(), buf.begin(), buf.begin() + static_cast<ptrdiff_t>(got));
    }
    run.steps.push_back(Step{got, r.generations(), r.strings().size(), r.stacks().size(), r.complete()});
    if (got == 0) break;
  }
  run.complete = r.complete();
  run.truncation = r.truncation();
  run.stats = r.stats();
  for (size_t id = 0; id < r.strings().size(); id++) run.strings.emplace_back(r.strings().get(static_cast<StringID>(id)));
  for (const Event& e : run.beside_events) {
    for (StringID id : {e.reason, e.name, e.text}) {
      if (there->get(id) != r.strings().get(id)) run.beside_strings_differ = fmt::format("string {}", id);
    }
  }
  for (size_t id = 0; id < r.stacks().size(); id++) {
    auto& frames = run.stacks.emplace_back();
    for (const Frame& f : r.stacks().frames(static_cast<StackID>(id))) frames.emplace_back(f.pc, f.func, f.file, f.line);
  }
  return run;
}

/// Empty when the runs agree; else what differs first.
std::string difference(const Run& one, const Run& two) {
  if (error_text(one.open_error) != error_text(two.open_error)) return "open: " + error_text(two.open_error);
  const size_t n = std::min(one.events.size(), two.events.size());
  for (size_t i = 0; i < n; i++) {
    if (fields(one.events[i]) != fields(two.events[i])) return fmt::format("event {} differs", i);
  }
  if (one.events.size() != two.events.size()) {
    return fmt::format("{} events with --jobs 1, {} with --jobs 2", one.events.size(), two.events.size());
  }
  for (size_t i = 0; i < std::min(one.steps.size(), two.steps.size()); i++) {
    const Step& a = one.steps[i];
    const Step& b = two.steps[i];
    if (!(a == b)) {
      return fmt::format("after call {}: --jobs 1 (events {} generations {} strings {} stacks {} complete {}) "
                         "--jobs 2 (events {} generations {} strings {} stacks {} complete {})",
                         i, a.events, a.generations, a.strings, a.stacks, a.complete, b.events, b.generations,
                         b.strings, b.stacks, b.complete);
    }
  }
  if (one.steps.size() != two.steps.size()) return "a different number of calls";
  if (error_text(one.error) != error_text(two.error)) {
    return "error: --jobs 1 " + error_text(one.error) + "; --jobs 2 " + error_text(two.error);
  }
  if (error_text(one.again) != error_text(two.again)) return "the error is not sticky: " + error_text(two.again);
  if (one.complete != two.complete) return "complete()";
  if (error_text(one.truncation) != error_text(two.truncation)) return "truncation(): " + error_text(two.truncation);
  const ReaderStats& a = one.stats;
  const ReaderStats& b = two.stats;
  if (std::tie(a.bytes, a.batches, a.experimental_batches, a.cpu_samples, a.out_of_order, a.time_fixups) !=
      std::tie(b.bytes, b.batches, b.experimental_batches, b.cpu_samples, b.out_of_order, b.time_fixups)) {
    return "stats()";
  }
  if (one.strings != two.strings) return "the string table";
  if (one.stacks != two.stacks) return "the stack table";
  // What a consumer beside the ordering (consume_beside) is handed: with one job nothing, with
  // two every event the caller was handed, once and in order, with IDs its table reads the same.
  if (two.open_error) return "";  // no reader: nothing to hand beside the ordering
  if (one.beside || !two.beside) return "consume_beside() with --jobs 1 took a consumer, or with --jobs 2 none";
  if (!one.beside_events.empty()) return "consume_beside() with --jobs 1 handed out events";
  if (two.beside_events.size() != two.events.size()) {
    return fmt::format("{} events handed beside the ordering, {} to the caller", two.beside_events.size(),
                       two.events.size());
  }
  for (size_t i = 0; i < two.events.size(); i++) {
    if (fields(two.beside_events[i]) != fields(two.events[i])) return fmt::format("beside, event {} differs", i);
  }
  if (!two.beside_strings_differ.empty()) return "beside, " + two.beside_strings_differ + " reads otherwise";
  return "";
}

/// Compares the two readers on `bytes` for each way of calling them, with blocks of
/// `block_events` (small ones put block boundaries everywhere).
void expect_same(const std::string& bytes, const std::string& what, size_t block_events) {
  set_pipeline_block_events(block_events);
  for (Calls calls : {Calls{256, true}, Calls{256, false}, Calls{0, false}, Calls{7, false}}) {
    const Run one = read(bytes, 1, calls);
    const Run two = read(bytes, 2, calls);
    const std::string diff = difference(one, two);
    EXPECT_EQ(diff, "") << what << ", " << to_string(calls) << ", blocks of " << block_events;
  }
  set_pipeline_block_events(0);
}

TEST(PipelinedReader, EveryCorpusTraceReadsAsWithOneJob) {
  const auto traces = compared_corpus();
  ASSERT_GT(traces.size(), 30u);
  for (const auto& path : traces) {
    const std::string bytes = slurp(path);
    expect_same(bytes, path.string(), 0);
    // Blocks of a few events on the small traces: every mark lands near a block's edge; and of
    // 1000, so that view_batch(256) hands out runs in place and copies those that cross an edge.
    if (bytes.size() < 200'000) {
      expect_same(bytes, path.string(), 61);
      expect_same(bytes, path.string(), 1000);
    }
  }
}

TEST(PipelinedReader, CutAndCorruptedCorpusTracesFailAsWithOneJob) {
  size_t failed = 0;
  for (const auto& path : compared_corpus()) {
    const std::string bytes = slurp(path);
    // The few traces of megabytes add minutes under the sanitizers and no error path of their own.
    if (bytes.size() < 64 || bytes.size() > 1'000'000) continue;
    // Cuts inside the header, the first generation, the middle and the last byte.
    for (size_t cut : {size_t{20}, bytes.size() / 3, bytes.size() / 2, bytes.size() - 1}) {
      const std::string cut_bytes = bytes.substr(0, cut);
      expect_same(cut_bytes, fmt::format("{} cut at {}", path.string(), cut), 0);
      failed += read(cut_bytes, 2, Calls{256, true}).error.has_value();
    }
    // A flipped byte early and late: a bad varint, event type, ID or sequence number.
    for (size_t at : {bytes.size() / 7, bytes.size() / 2 + 13, bytes.size() * 5 / 6}) {
      std::string bad = bytes;
      bad[at] = static_cast<char>(bad[at] ^ 0x5a);
      expect_same(bad, fmt::format("{} with byte {} flipped", path.string(), at), 0);
      if (bytes.size() < 50'000) expect_same(bad, fmt::format("{} with byte {} flipped", path.string(), at), 61);
      failed += read(bad, 2, Calls{256, true}).error.has_value();
    }
  }
  // The variants must exercise the error paths, not only read to a clean end.
  EXPECT_GT(failed, compared_corpus().size() == corpus().size() ? 500u : 150u);
}

TEST(PipelinedReader, ReaderDroppedMidTraceStopsItsThread) {
  const auto traces = corpus();
  ASSERT_FALSE(traces.empty());
  set_pipeline_block_events(3);  // the ordering thread fills the queue and waits on it
  for (size_t i = 0; i < traces.size(); i += 25) {
    ReaderOptions options;
    options.jobs = 2;
    auto r = Reader::from_bytes(slurp(traces[i]), "t", options);
    ASSERT_TRUE(r.ok());
    Event ev;
    (void)(*r)->next(ev);
  }
  set_pipeline_block_events(0);
}

TEST(PipelinedReader, ProgressIsReportedOnTheCallersThread) {
  const auto traces = corpus();
  ASSERT_FALSE(traces.empty());
  const std::thread::id caller = std::this_thread::get_id();
  uint64_t last = 0;
  bool elsewhere = false;
  ReaderOptions options;
  options.jobs = 2;
  options.progress = [&](uint64_t done, uint64_t) {
    elsewhere |= std::this_thread::get_id() != caller;
    last = done;
  };
  // The largest: many blocks.
  const auto largest = *std::max_element(traces.begin(), traces.end(), [](const auto& a, const auto& b) {
    return std::filesystem::file_size(a) < std::filesystem::file_size(b);
  });
  auto r = Reader::from_bytes(slurp(largest), "t", options);
  ASSERT_TRUE(r.ok());
  std::vector<Event> buf(256);
  while (true) {
    auto got = (*r)->next_batch(buf);
    if (!got.ok() || *got == 0) break;
  }
  EXPECT_FALSE(elsewhere);
  EXPECT_GT(last, 0u);
}

}  // namespace
}  // namespace ctxtrail::trace
