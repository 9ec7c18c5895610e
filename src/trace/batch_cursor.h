/// A cursor over the event batches of one M in one generation: decodes the next timed event
/// lazily and turns its time delta into nanoseconds.
#pragma once

#include <cstdint>
#include <string>

#include "trace/generation.h"
#include "trace/spec.h"

namespace ctxtrail::trace {

/// A timed wire event: type, absolute time in ns, arguments after the time delta.
struct RawEvent {
  uint8_t type = 0;
  int64_t time = 0;
  uint64_t args[wire::kMaxArgs] = {0, 0, 0, 0};
};

struct MState;

struct BatchCursor {
  int64_t m = -1;
  const MBatches* batches = nullptr;
  MState* state = nullptr;  // the ordering's state of this M, found on first use
  size_t idx = 0;           // next batch
  uint32_t off = 0;         // next byte in that batch
  int64_t last_ts = 0;
  RawEvent ev;              // the event at the head of this cursor
  uint64_t ev_offset = 0;   // its input offset

  enum Step { kEnd = 0, kOk = 1, kError = -1 };
  /// Decodes the next event into `ev`. On kError, `*err` says what and `*err_offset` where.
  Step next(const Frequency& freq, std::string* err, uint64_t* err_offset);
};

}  // namespace ctxtrail::trace
