/// The merge: reads a generation, puts one cursor per M on a min-heap by the time of its next
/// event (the frontier), and repeatedly advances the earliest event the ordering accepts;
/// when the earliest cannot go yet, the others are tried in time order. CPU samples are merged
/// by time, Sync events open every generation and close the trace, and output times are made
/// strictly increasing (+1 ns), all as Go's Reader does.
#include "ctxtrail/trace/reader.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <optional>
#include <thread>

#include "trace/batch.h"
#include "trace/batch_cursor.h"
#include "trace/byte_source.h"
#include "trace/event_builder.h"
#include "trace/frontier.h"
#include "trace/generation.h"
#include "trace/interned_tables.h"
#include "trace/order.h"
#include "trace/order_hot.h"
#include "trace/read_ahead.h"
#include "trace/pipelined_reader.h"

namespace ctxtrail::trace {
namespace {

/// Output times strictly increase, as Go's Reader makes them: an event at or before the last
/// one goes 1 ns after it (equal times across Ms are common at the clock's 64 ns grain: no
/// branch for it).
[[gnu::always_inline]] inline void strictly_after(int64_t& time, int64_t& last, uint64_t& fixups) {
  const bool fixup = time <= last;
  time = fixup ? last + 1 : time;
  fixups += fixup;
  last = time;
}

class TraceReader final : public Reader {
 public:
  TraceReader(std::unique_ptr<ByteSource> src, std::string name, ReaderOptions options, int version)
      : src_(std::move(src)),
        name_(std::move(name)),
        options_(std::move(options)),
        version_(version),
        builder_(strings_) {}

  Result<bool> next(Event& out) override;
  Result<size_t> next_batch(std::span<Event> events) override;
  /// next_batch() without the events next() read ahead.
  Result<size_t> fill(Event* out, size_t cap);
  const StringTable& strings() const override { return strings_; }
  const StackTable& stacks() const override { return stacks_; }
  int format_version() const override { return version_; }
  uint64_t generations() const override { return generations_; }
  bool complete() const override { return complete_; }
  const std::string& name() const override { return name_; }
  std::optional<Error> truncation() const override { return truncation_; }
  std::optional<Error> input_failure() const;
  ReaderStats stats() const override {
    ReaderStats s = stats_;
    s.bytes = src_->offset();
    return s;
  }
  /// From now on, logs in the answered vector where generations() or the tables grow while
  /// events are written (the pipelined reader replays them on its caller's thread).
  std::vector<StateMark>* log_marks() {
    marks_on_ = true;
    return &marks_;
  }

 private:
  /// 1: an event in `out`; 0: the end; -1: an error, kept in failed_. Inlined into next()
  /// and next_batch() so the batch loop keeps its state in registers.
  [[gnu::always_inline]] inline int take(Event& out);
  /// take() before the output time is made strictly increasing.
  [[gnu::always_inline]] inline int step(Event& out);
  /// Writes hot-path events (order_hot.h) into out[0..cap) for as long as nothing else can come
  /// in between: no queued event, no CPU sample due. Answers how many it wrote; the first event
  /// the hot path declines is left, untouched, for take(). On a decoding error it sets failed_
  /// after the events it wrote.
  [[gnu::always_inline]] inline size_t hot_run(Event* out, size_t cap);
  int fail(Error e);
  int slow(Result<bool> r);
  Result<bool> next_generation(Event& out);
  Result<bool> next_generation_with_spill(Event& out);
  Result<bool> install(std::unique_ptr<Generation> gen, Event& out);
  Result<bool> report_pending();
  [[gnu::always_inline]] inline bool try_advance(size_t i, std::string* err, uint64_t* err_offset);
  void sync_event(Event& out, int64_t time);
  /// Keeps next_sample_time_: the time of the next CPU sample of the generation, or the end
  /// of time when none is left.
  void note_next_sample() {
    const bool left = gen_ && next_sample_ < gen_->cpu_samples.size();
    next_sample_time_ = left ? gen_->cpu_samples[next_sample_].time : INT64_MAX;
  }
  Error error_here(std::string msg, std::optional<uint64_t> offset) const;
  Error with_file(Error e) const {
    e.file = name_;
    // A gzip trace's offsets count its decompressed bytes: a user looking at byte 11 M of a
    // 4.5 MB file must be told.
    if (e.offset && src_->inflated()) e.file += " (decompressed)";
    return e;
  }
  void progress() {
    if (options_.progress) options_.progress(src_->offset(), src_->total());
  }

  std::unique_ptr<ByteSource> src_;
  std::string name_;
  ReaderOptions options_;
  int version_;
  InternedStrings strings_;
  InternedStacks stacks_;
  StackScratch stack_scratch_;
  EventBuilder builder_;
  Ordering order_;
  std::unique_ptr<Generation> gen_;
  std::vector<BatchCursor> cursors_;
  Frontier frontier_;
  size_t next_sample_ = 0;
  int64_t next_sample_time_ = INT64_MAX;
  int64_t last_ts_ = 0;
  uint64_t syncs_ = 0;
  uint64_t generations_ = 0;
  bool done_ = false;
  bool complete_ = false;
  std::optional<Error> failed_;        // sticky: every later call answers it again
  std::optional<Error> pending_error_;  // reported after the Sync that closes the last good gen
  bool pending_eof_like_ = false;       // ... and it is one Go reports as io.EOF
  std::optional<Error> truncation_;
  std::optional<SpilledBatch> spill_;
  bool spill_error_synced_ = false;
  std::string scratch_err_;
  ReaderStats stats_;
  uint64_t scratch_offset_ = 0;
  ReadAhead ahead_;
  bool marks_on_ = false;
  std::vector<StateMark> marks_;
  uint64_t written_ = 0;  // events fill() wrote, for marks
};

Error TraceReader::error_here(std::string msg, std::optional<uint64_t> offset) const {
  Error e{name_, offset, {}, std::move(msg)};
  if (gen_) e.generation = gen_->gen;
  return e;
}

void TraceReader::sync_event(Event& out, int64_t time) {
  syncs_++;
  out = Event{};
  out.time = time;
  out.kind = EventKind::Sync;
  out.wire_type = wire::EvSyncSynthetic;
  out.id = syncs_;
}

int TraceReader::fail(Error e) {
  failed_ = std::move(e);
  return -1;
}

int TraceReader::slow(Result<bool> r) {
  if (!r.ok()) return fail(r.error());
  return *r ? 1 : 0;
}

Result<bool> TraceReader::install(std::unique_ptr<Generation> gen, Event& out) {
  if (!gen) {
    if (auto e = input_failure()) return *e;
    gen_.reset();
    done_ = true;
    complete_ = true;
    sync_event(out, last_ts_);
    progress();
    return true;
  }
  gen_ = std::move(gen);
  stats_.batches += gen_->batches;
  stats_.experimental_batches += gen_->experimental_batches;
  stats_.cpu_samples += gen_->cpu_samples.size();
  generations_++;
  next_sample_ = 0;
  note_next_sample();
  cursors_.clear();
  cursors_.resize(gen_->ms.size());
  frontier_.clear();
  for (size_t i = 0; i < gen_->ms.size(); i++) {
    BatchCursor& bc = cursors_[i];
    bc.m = gen_->ms[i].m;
    bc.batches = &gen_->ms[i];
    std::string err;
    uint64_t off = 0;
    auto st = bc.next(gen_->freq, &err, &off);
    if (st == BatchCursor::kError) return error_here(err, off);
    if (st == BatchCursor::kEnd) continue;
    frontier_.insert(&bc);
  }
  sync_event(out, gen_->freq.mul(gen_->min_ts));
  // Go 1.25+: the generation's clock snapshot, on its Sync (as Go's Sync event carries it):
  // `parent` its trace time in ns, `value` its wall time in ns since the Unix epoch; both 0 when
  // the trace has none (model/remote_links.h keeps them).
  if (gen_->has_clock_snapshot) {
    const ClockSnapshot& c = gen_->clock_snapshot;
    out.parent = static_cast<uint64_t>(gen_->freq.mul(c.trace_ticks));
    out.value = c.wall_sec * 1'000'000'000 + c.wall_nsec;
  }
  progress();
  return true;
}

Result<bool> TraceReader::next_generation(Event& out) {
  if (pending_error_) return report_pending();
  GenerationContext ctx{*src_, version_, strings_, stacks_, stack_scratch_};
  auto gen = read_generation(ctx);
  if (!gen.ok()) {
    // Close the last good generation with a Sync, then report the error.
    pending_error_ = with_file(gen.error());
    pending_eof_like_ = ctx.eof_like;
    gen_.reset();
    sync_event(out, last_ts_);
    return true;
  }
  return install(std::move(*gen), out);
}

Result<bool> TraceReader::next_generation_with_spill(Event& out) {
  if (pending_error_) {
    if (spill_error_synced_) return report_pending();
    spill_error_synced_ = true;
    sync_event(out, last_ts_);
    return true;
  }
  if (gen_ && !spill_) {
    // No batch of a next generation appeared: this was the last one.
    if (auto e = input_failure()) return *e;
    done_ = true;
    complete_ = true;
    sync_event(out, last_ts_);
    progress();
    return true;
  }
  GenerationContext ctx{*src_, version_, strings_, stacks_, stack_scratch_};
  SpillRead r = read_generation_with_spill(ctx, std::move(spill_));
  spill_ = std::move(r.spill);
  if (r.error) {
    pending_error_ = with_file(*r.error);
    pending_eof_like_ = ctx.eof_like;
  }
  if (!r.gen) {
    gen_.reset();
    spill_error_synced_ = true;
    sync_event(out, last_ts_);
    return true;
  }
  return install(std::move(r.gen), out);
}

std::optional<Error> TraceReader::input_failure() const {
  // The end of the input may be where a gzip stream turns out corrupt (bad CRC, no trailer):
  // such an end is not a clean one.
  if (src_->io_error().empty()) return std::nullopt;
  return with_file(Error{"", src_->offset(), std::nullopt, "reading input: " + src_->io_error()});
}

Result<bool> TraceReader::report_pending() {
  if (!pending_eof_like_) return *pending_error_;
  // Go's Reader answers an error wrapping io.EOF here. A trace cut short is malformed input
  // (exit 3), not a clean end: report it, and keep truncation() for callers that want to
  // tell a cut from a corruption.
  truncation_ = pending_error_;
  complete_ = false;
  pending_error_->message = "trace is truncated: " + pending_error_->message;
  return *pending_error_;
}

bool TraceReader::try_advance(size_t i, std::string* err, uint64_t* err_offset) {
  BatchCursor* bc = frontier_.at(i);
  if (!err->empty()) err->clear();
  *err_offset = bc->ev_offset();
  auto outcome = order_.advance(bc->ev, *gen_, *bc, err);
  if (outcome != Ordering::kAdvanced) return false;
  auto st = bc->next(gen_->freq, err, err_offset);
  if (st == BatchCursor::kError) return false;
  if (st == BatchCursor::kOk) {
    frontier_.update(i);
  } else {
    frontier_.remove(i);
  }
  return true;
}

int TraceReader::step(Event& out) {
  for (;;) {
    if (order_.has_next()) {
      const QueuedEvent& q = order_.pop();
      if (!builder_.build(q, *gen_, out, &scratch_err_)) return fail(error_here(scratch_err_, q.offset));
      return 1;
    }
    const std::vector<CpuSample>* samples = gen_ ? &gen_->cpu_samples : nullptr;
    const bool samples_left = samples != nullptr && next_sample_ < samples->size();
    // The common case: the earliest M's event goes next.
    if (!frontier_.empty() && (!samples_left || (*samples)[next_sample_].time >= frontier_.at(0)->ev.time) &&
        try_advance(0, &scratch_err_, &scratch_offset_)) {
      continue;
    }
    if (frontier_.empty() && !samples_left) {
      // Every event of this generation is out: its input bytes can go before the next
      // generation is read, so at most one generation is resident.
      src_->release(src_->offset());
      if (version_ < wire::kGo126) return slow(next_generation_with_spill(out));
      return slow(next_generation(out));
    }
    if (samples_left && (frontier_.empty() || (*samples)[next_sample_].time < frontier_.at(0)->ev.time)) {
      if (!builder_.build_sample((*samples)[next_sample_++], *gen_, out, &scratch_err_)) {
        return fail(error_here(scratch_err_, {}));
      }
      note_next_sample();
      return 1;
    }
    if (frontier_.empty()) return fail(error_here("broken trace: frontier is empty", {}));
    uint64_t err_offset = scratch_offset_;
    if (!scratch_err_.empty()) return fail(error_here(scratch_err_, err_offset));
    // The earliest event cannot go yet: try the others in time order.
    stats_.out_of_order++;
    frontier_.sort();
    bool advanced = false;
    for (size_t i = 1; i < frontier_.size() && !advanced; i++) {
      advanced = try_advance(i, &scratch_err_, &err_offset);
      if (!advanced && !scratch_err_.empty()) return fail(error_here(scratch_err_, err_offset));
    }
    if (!advanced) {
      return fail(error_here(fmt::format("broken trace: failed to advance: no M's next event can "
                                         "happen in any order consistent with the scheduler state\n"
                                         "frontier:\n{}\n{}",
                                         frontier_.dump(), order_.dump()),
                             frontier_.at(0)->ev_offset()));
    }
  }
}

int TraceReader::take(Event& out) {
  if (done_ && !order_.has_next()) return 0;
  const int got = step(out);
  if (got <= 0) return got;
  strictly_after(out.time, last_ts_, stats_.time_fixups);
  return 1;
}

Result<bool> TraceReader::next(Event& out) {
  return ahead_.next(out, [this](Event* to, size_t cap) { return fill(to, cap); });
}

size_t TraceReader::hot_run(Event* out, size_t cap) {
  if (done_ || order_.has_next() || frontier_.empty() || !gen_ || !order_.hot_ready()) return 0;
  // Everything the loop reads sits in locals (see Ordering::HotView): nothing it does can
  // change them, and the general path, which can, runs only after it returns.
  const Generation& gen = *gen_;
  const Ordering::HotView view = order_.hot_view(gen, builder_.heap_alloc_metric());
  const Frequency freq = gen.freq;
  const int64_t sample_due = next_sample_time_;
  Frontier::Node* const heap = frontier_.nodes();
  const size_t heap_size = frontier_.size();
  if (heap[0].time > sample_due) return 0;
  // The two earliest Ms, held in registers (Frontier::Pair): while their events come before
  // every other M's and the next CPU sample, Go's heap only swaps them.
  Frontier::Pair pair(heap, heap_size, sample_due);
  int64_t last = last_ts_;
  uint64_t fixups = 0;
  Event* e = out;
  Event* const end = out + cap;
  bool pair_out = true;  // the pair holds the heap's root and child (false: written back)
  while (e != end) {
    const Ordering::Hot hot = order_.advance_hot(*pair.x, view, *e);
    if (hot == Ordering::Hot::kDeclined) break;
    const int64_t before = last;
    const uint64_t fixups_before = fixups;
    strictly_after(e->time, last, fixups);
    ++e;
    const auto st = pair.x->next(freq, pair.tx, &scratch_err_, &scratch_offset_);
    if (st != BatchCursor::kOk) [[unlikely]] {
      pair.store(heap);
      pair_out = false;
      if (st == BatchCursor::kEnd) {
        frontier_.remove(0);
      } else {
        // As the general path and Go's Reader: an event whose M's next event cannot be decoded
        // is not handed out (the error comes first), so where a run stops changes nothing.
        --e;
        last = before;
        fixups = fixups_before;
        fail(error_here(scratch_err_, scratch_offset_));
      }
      break;
    }
    if (pair.tx > pair.limit || hot != Ordering::Hot::kAdvanced) [[unlikely]] {
      // Another M or a CPU sample may be due: Go's sift, then a new pair.
      pair.store(heap);
      Frontier::root_changed(heap, heap_size);
      pair_out = false;
      // A goroutine was added: the view may be stale; the next run takes a new one.
      if (hot == Ordering::Hot::kAdvancedTablesMoved) [[unlikely]] break;
      if (heap[0].time > sample_due) break;
      pair = Frontier::Pair(heap, heap_size, sample_due);
      pair_out = true;
      continue;
    }
    pair.step();
  }
  if (pair_out) pair.store(heap);
  last_ts_ = last;
  stats_.time_fixups += fixups;
  return static_cast<size_t>(e - out);
}

Result<size_t> TraceReader::next_batch(std::span<Event> events) {
  return ahead_.next_batch(events, [this](Event* to, size_t cap) { return fill(to, cap); });
}

Result<size_t> TraceReader::fill(Event* const out, const size_t cap) {
  if (failed_) return *failed_;
  size_t n = 0;
  while (n < cap) {
    n += hot_run(out + n, cap - n);
    if (failed_) {
      if (n == 0) return *failed_;
      break;
    }
    if (n == cap) break;
    const uint64_t generations = generations_;
    const size_t strings = strings_.size();
    const size_t stacks = stacks_.size();
    const bool complete = complete_;
    const int got = take(out[n]);
    if (got < 0) {
      if (n == 0) return *failed_;
      break;
    }
    if (got == 0) break;
    n++;
    // Only the general path reads generations or interns strings and stacks (the hot path
    // names nothing new).
    if (marks_on_ && (generations != generations_ || strings != strings_.size() || stacks != stacks_.size() ||
                      complete != complete_)) {
      marks_.push_back(StateMark{written_ + n, generations_, strings_.size(), stacks_.size(), complete_});
    }
  }
  written_ += n;
  return n;
}

Result<std::unique_ptr<Reader>> make_reader(std::unique_ptr<ByteSource> src, std::string name,
                                            ReaderOptions options) {
  auto version = read_header(*src);
  if (!version.ok()) {
    Error e = version.error();
    e.file = name;
    return e;
  }
  if ((options.jobs == 0 ? default_jobs() : options.jobs) < 2) {
    return std::unique_ptr<Reader>(
        std::make_unique<TraceReader>(std::move(src), std::move(name), std::move(options), *version));
  }
  // The ordering thread's reader records its progress; the caller's thread reports it.
  auto progress = std::make_shared<std::pair<uint64_t, uint64_t>>(0, 0);
  auto user_progress = std::move(options.progress);
  if (user_progress) {
    options.progress = [progress](uint64_t done, uint64_t total) { *progress = {done, total}; };
  }
  auto inner = std::make_unique<TraceReader>(std::move(src), std::move(name), std::move(options), *version);
  std::vector<StateMark>* marks = inner->log_marks();
  return make_pipelined_reader(MarkedReader{std::move(inner), marks, std::move(progress)}, std::move(user_progress));
}

std::atomic<unsigned> g_default_jobs{0};

}  // namespace

unsigned default_jobs() {
  if (unsigned jobs = g_default_jobs.load(std::memory_order_relaxed)) return jobs;
  return std::max(1u, std::thread::hardware_concurrency());
}

void set_default_jobs(unsigned jobs) { g_default_jobs.store(jobs, std::memory_order_relaxed); }

Result<size_t> Reader::next_batch(std::span<Event> events) {
  size_t n = 0;
  while (n < events.size()) {
    Result<bool> more = next(events[n]);
    if (!more.ok()) {
      if (n == 0) return more.error();
      break;
    }
    if (!*more) break;
    n++;
  }
  return n;
}

Result<std::unique_ptr<Reader>> Reader::open(const std::string& path, ReaderOptions options) {
  auto src = ByteSource::open(path);
  if (!src.ok()) return src.error();
  return make_reader(std::move(*src), path == "-" ? "<stdin>" : path, std::move(options));
}

Result<std::unique_ptr<Reader>> Reader::from_bytes(std::string bytes, std::string name,
                                                   ReaderOptions options) {
  return make_reader(ByteSource::from_bytes(std::move(bytes)), std::move(name), std::move(options));
}

}  // namespace ctxtrail::trace
