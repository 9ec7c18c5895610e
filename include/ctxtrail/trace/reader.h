/// Pull-style reader of a Go execution trace (formats go 1.22 through go 1.26):
/// events come out in one valid global order, exactly as Go's parser yields them.
#pragma once

#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "ctxtrail/status.h"
#include "ctxtrail/trace/event.h"
#include "ctxtrail/trace/reader_stats.h"
#include "ctxtrail/trace/tables.h"

namespace ctxtrail::trace {

struct ReaderOptions {
  /// Called now and then with (bytes consumed, total bytes or 0 when unknown), always on the
  /// thread that reads the events.
  std::function<void(uint64_t, uint64_t)> progress;
  /// Threads reading the trace: 1 orders and hands out events on the caller's thread; 2 or more
  /// order them on a thread of their own while the caller consumes what came before (the same
  /// events, IDs, tables, errors and counters at each step). 0: default_jobs().
  unsigned jobs = 0;
};

/// The jobs a reader uses when ReaderOptions::jobs is 0: what set_default_jobs() said, or else
/// the machine's cores.
unsigned default_jobs();
/// Sets default_jobs() for the process (the CLI's --jobs); 0 goes back to the machine's cores.
void set_default_jobs(unsigned jobs);

class Reader {
 public:
  virtual ~Reader() = default;

  /// Opens a file, or standard input for "-". Gzip input is recognised by its magic bytes.
  /// Fails on unreadable files, a bad header, or a pre-1.22 trace.
  static Result<std::unique_ptr<Reader>> open(const std::string& path, ReaderOptions options = {});
  /// Reads a trace held in memory (tests, fuzzing). `name` is used in error messages.
  static Result<std::unique_ptr<Reader>> from_bytes(std::string bytes, std::string name = "<memory>",
                                                    ReaderOptions options = {});

  /// Fills `event` with the next event and answers true; false at the clean end of the
  /// trace; an Error when the input is malformed or inconsistent. After an error every
  /// event already returned is still valid (Go's Reader likewise emits the Sync that
  /// closes the last good generation before the error). It reads ahead in batches, so
  /// generations(), stats(), complete() and the tables may already cover events not yet
  /// handed out.
  virtual Result<bool> next(Event& event) = 0;

  /// Fills the front of `events` with the next events in order and answers how many: the
  /// same events next() gives one by one, at less cost per event. 0 at the clean end. An
  /// error after some events ends the batch early; the next call answers it.
  virtual Result<size_t> next_batch(std::span<Event> events);

  /// next_batch(scratch) without the copy where the reader can avoid it: the same events, in
  /// the same runs, either in `scratch` or in the reader's own storage, valid until the next call.
  virtual Result<std::span<const Event>> view_batch(std::span<Event> scratch) {
    Result<size_t> got = next_batch(scratch);
    if (!got.ok()) return got.error();
    return std::span<const Event>(scratch.data(), *got);
  }

  virtual const StringTable& strings() const = 0;
  virtual const StackTable& stacks() const = 0;

  /// The header's format version: 22, 23, 25 or 26.
  virtual int format_version() const = 0;
  /// Generations read so far.
  virtual uint64_t generations() const = 0;
  /// False until the end is reached cleanly; false too when the trace was cut short
  /// (a Go 1.26 trace without its final end-of-generation byte).
  virtual bool complete() const = 0;
  virtual const std::string& name() const = 0;
  /// Set when the input stopped where a batch header or a table record should go on: Go's
  /// parser reports that as (wrapping) io.EOF, which its callers take for the end of the
  /// trace, so next() ends there too (no error) but complete() stays false. Says where.
  virtual std::optional<Error> truncation() const { return {}; }
  /// Counters so far (see ReaderStats).
  virtual ReaderStats stats() const { return {}; }

  /// --jobs 2 and up: from the first event on, the thread that orders events also hands every
  /// run of them to `f`, in order, before the caller is handed them, so that a consumer that
  /// needs nothing from the caller's thread runs there, beside the caller's. Answers the string
  /// table to read their IDs through on that thread (it holds every ID the events name, and may
  /// already hold more than strings() shows at the same step). Answers null, having kept
  /// nothing, when the reader orders on the caller's thread: the caller then consumes them itself.
  virtual const StringTable* consume_beside(std::function<void(std::span<const Event>)> f) {
    (void)f;
    return nullptr;
  }
};

namespace detail {

/// Reads every batch in order and calls `f(batch, index of its first event)`, which answers an
/// error to stop early; answers the error that ended the read, or nothing at the clean end.
template <typename F>
std::optional<Error> read_batches(Reader& reader, F&& f) {
  std::vector<Event> batch(256);
  uint64_t index = 0;
  for (;;) {
    Result<std::span<const Event>> got = reader.view_batch(batch);
    if (!got.ok()) return got.error();
    if (got->empty()) return std::nullopt;
    if (std::optional<Error> stop = f(*got, index)) return stop;
    index += got->size();
  }
}

inline Error internal_error(const Reader& reader, const std::string& where, const Event& ev, const char* what) {
  return Error{reader.name(), std::nullopt, reader.generations(),
               "internal error " + where + " (time " + std::to_string(ev.time) + " ns): " + what};
}

}  // namespace detail

/// Calls `f(event)` for every event in order, reading them in batches; answers the error that
/// ended the read early (events before it were all given to f), or nothing at the clean end.
/// A stage that finds one of its invariants broken by an event throws (InvariantError, or a
/// standard exception from a checked access): that becomes an error naming the event, so every
/// command reports it like malformed input instead of going on with a broken state.
template <typename F>
std::optional<Error> for_each_event(Reader& reader, F&& f) {
  return detail::read_batches(reader, [&](std::span<const Event> events, uint64_t first) -> std::optional<Error> {
    for (size_t i = 0; i < events.size(); i++) {
      try {
        f(events[i]);
      } catch (const std::exception& e) {
        return detail::internal_error(reader, "at event " + std::to_string(first + i), events[i], e.what());
      }
    }
    return std::nullopt;
  });
}

/// The same a batch at a time: `f(span)` for each run of events read together, for consumers
/// that cost too little per event to pay a call for each (stats, event printing). An exception
/// from f names the batch's first event.
template <typename F>
std::optional<Error> for_each_batch(Reader& reader, F&& f) {
  return detail::read_batches(reader, [&](std::span<const Event> events, uint64_t first) -> std::optional<Error> {
    try {
      f(events);
    } catch (const std::exception& e) {
      return detail::internal_error(reader, "in the batch from event " + std::to_string(first), events[0], e.what());
    }
    return std::nullopt;
  });
}

}  // namespace ctxtrail::trace
