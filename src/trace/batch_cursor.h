/// A cursor over the event batches of one M in one generation: decodes the next timed event
/// lazily and turns its time delta into nanoseconds.
#pragma once

#include <cstdint>
#include <string>

#include "trace/generation.h"
#include "trace/spec.h"
#include "trace/varint.h"

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
  [[gnu::always_inline]] Step next(const Frequency& freq, std::string* err, uint64_t* err_offset) {
    // Fast path: inside a batch, a known timed event whose varints all fit in one byte or more
    // bytes well before the batch end.
    const auto& list = batches->batches;
    if (idx < list.size() && off < list[idx].size && last_ts != 0) {
      const EventBatch& b = list[idx];
      const uint8_t* p = b.data + off;
      const wire::Spec& spec = wire::spec(*p);
      if (spec.timed && static_cast<uint32_t>(b.size - off) > 1 + kMaxVarintLen * (1 + wire::kMaxArgs)) {
        ev_offset = b.offset + off;
        ev.type = *p;
        const uint8_t* q = p + 1;
        const uint64_t dt = fast_uvarint(q);
        for (int i = 0; i < spec.nargs; i++) ev.args[i] = fast_uvarint(q);
        if (q != nullptr) {
          ev.time = static_cast<int64_t>(static_cast<uint64_t>(freq.mul(dt)) + static_cast<uint64_t>(last_ts));
          last_ts = ev.time;
          off = static_cast<uint32_t>(q - b.data);
          return kOk;
        }
      }
    }
    return next_slow(freq, err, err_offset);
  }

 private:
  /// Decodes a varint that has at least kMaxVarintLen bytes after it; sets q to null when it
  /// overflows (the slow path then reports it).
  [[gnu::always_inline]] static uint64_t fast_uvarint(const uint8_t*& q) {
    if (q == nullptr) [[unlikely]] return 0;
    const uint64_t b0 = q[0];
    if (b0 < 0x80) [[likely]] {
      q += 1;
      return b0;
    }
    const uint64_t b1 = q[1];
    if (b1 < 0x80) {
      q += 2;
      return (b0 & 0x7f) | (b1 << 7);
    }
    const uint64_t b2 = q[2];
    if (b2 < 0x80) {
      q += 3;
      return (b0 & 0x7f) | ((b1 & 0x7f) << 7) | (b2 << 14);
    }
    uint64_t v = 0;
    int n = read_uvarint(q, q + kMaxVarintLen, &v);
    if (n <= 0) {
      q = nullptr;
      return 0;
    }
    q += n;
    return v;
  }
  Step next_slow(const Frequency& freq, std::string* err, uint64_t* err_offset);
};

}  // namespace ctxtrail::trace
