/// --jobs 2 and up: the reader orders events on a thread of its own, in blocks, while the caller
/// consumes the blocks before; what the caller sees at each step is what the single-threaded
/// reader would show at the same step.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "ctxtrail/trace/reader.h"

namespace ctxtrail::trace {

/// Where the reader's visible state grew while it wrote events: once `after` events were
/// written, `generations` had been read, the tables held `strings` and `stacks` entries and
/// the trace was `complete` or not.
/// The single-threaded reader changes these only while it writes an event, so a caller who
/// has been handed `after` events sees exactly this.
struct StateMark {
  uint64_t after = 0;
  uint64_t generations = 0;
  size_t strings = 0;
  size_t stacks = 0;
  bool complete = false;
};

/// What the ordering thread drives: a single-threaded reader and the marks it logs.
struct MarkedReader {
  std::unique_ptr<Reader> reader;
  /// Appended to by reader while it writes events; drained by whoever drives it (same thread).
  std::vector<StateMark>* marks = nullptr;
  /// The latest progress the reader reported, (bytes consumed, total), on its own thread.
  std::shared_ptr<std::pair<uint64_t, uint64_t>> progress;
};

/// Wraps `inner` (made with its progress recorded into inner.progress, not called): events
/// come out through a queue of blocks filled on another thread. `progress` is called on the
/// caller's thread as blocks are handed out.
std::unique_ptr<Reader> make_pipelined_reader(MarkedReader inner, std::function<void(uint64_t, uint64_t)> progress);

/// Events per block from now on (tests make blocks small so that marks, tables and errors cross
/// many block boundaries); 0 goes back to the default.
void set_pipeline_block_events(size_t events);

}  // namespace ctxtrail::trace
