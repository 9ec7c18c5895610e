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
  bool started = false;     // the first batch has been entered
  size_t idx = 0;           // the batch being read
  const uint8_t* pos = nullptr;       // next byte in that batch (null before the first batch)
  const uint8_t* fast_end = nullptr;  // an event starting before this has room for any varints
  uint64_t offset_base = 0;  // input offset of a byte of the batch = offset_base + its address
  RawEvent ev;              // the event at the head of this cursor; its time is also the base
                            // of the next event's delta (set to the batch's time on entering one)
  const uint8_t* ev_pos = nullptr;  // its first byte

  /// The head event's input offset (for errors: the decoder keeps only its address).
  uint64_t ev_offset() const { return offset_base + reinterpret_cast<uintptr_t>(ev_pos); }

  enum Step { kEnd = 0, kOk = 1, kError = -1 };
  /// Decodes the next event into `ev`. On kError, `*err` says what and `*err_offset` where.
  [[gnu::always_inline]] Step next(const Frequency& freq, std::string* err, uint64_t* err_offset) {
    int64_t time = ev.time;
    return next(freq, time, err, err_offset);
  }
  /// next() for a caller that keeps the head's time in a register: `time` is ev.time on entry
  /// and the new head's time on kOk (the delta is added to it, not to a reload of ev.time).
  [[gnu::always_inline]] Step next(const Frequency& freq, int64_t& time, std::string* err,
                                   uint64_t* err_offset) {
    // Fast path: inside a batch, far enough from its end that no varint can run past it, a
    // timed event whose varints are all well-formed. The arguments are unrolled by count (a
    // loop over them cost a third of the decoding); anything else, the slow path redoes.
    const uint8_t* p = pos;
    if (p < fast_end) [[likely]] {
      const uint8_t type = *p;
      const uint8_t nargs = wire::kTimedArgs[type];
      // Stored now, so that neither needs a register through the varints (the slow path
      // stores them again).
      ev_pos = p;
      ev.type = type;
      const uint8_t* q = p + 1;
      uint64_t dt = 0;
      uint64_t* a = ev.args;
      static_assert(wire::kMaxArgs == 4 && wire::kNotTimed > wire::kMaxArgs);
      bool ok = nargs <= wire::kMaxArgs && fast_uvarint(q, dt);
      if (nargs >= 2) [[likely]] {
        ok = ok && fast_uvarint(q, a[0]) && fast_uvarint(q, a[1]);
        // Two arguments or three is the choice that the common events (goroutine start,
        // block, stop: two; unblock: three) would make a branch on: a third varint is read
        // either way and kept only when the event has it. Without one it is the next event's
        // type byte, in the batch since the event started before fast_end.
        const uint8_t* r = q;
        uint64_t third = 0;
        const bool third_ok = fast_uvarint(r, third);
        // Masks, not a conditional: GCC makes `has_third ? r : q` a branch, mispredicted on
        // nearly half the events of a busy trace.
        const uint64_t keep = uint64_t{0} - static_cast<uint64_t>(nargs >= 3);
        q += static_cast<size_t>(r - q) & keep;
        a[2] ^= (third ^ a[2]) & keep;
        ok &= third_ok | (keep == 0);
        if (nargs == 4) ok = ok && fast_uvarint(q, a[3]);
      } else if (nargs == 1) {
        ok = ok && fast_uvarint(q, a[0]);
      }
      if (ok) [[likely]] {
        time = static_cast<int64_t>(static_cast<uint64_t>(freq.mul(dt)) + static_cast<uint64_t>(time));
        ev.time = time;
        pos = q;
        return kOk;
      }
    }
    const Step st = next_slow(freq, err, err_offset);
    time = ev.time;
    return st;
  }

 private:
  /// Decodes a varint that has at least kMaxVarintLen bytes after it; false when it overflows
  /// (the slow path then reports it).
  [[gnu::always_inline]] static bool fast_uvarint(const uint8_t*& q, uint64_t& v) {
    const uint64_t b0 = q[0];
    if (b0 < 0x80) [[likely]] {
      q += 1;
      v = b0;
      return true;
    }
    const uint64_t b1 = q[1];
    if (b1 < 0x80) {
      q += 2;
      v = (b0 & 0x7f) | (b1 << 7);
      return true;
    }
    const uint64_t b2 = q[2];
    if (b2 < 0x80) {
      q += 3;
      v = (b0 & 0x7f) | ((b1 & 0x7f) << 7) | (b2 << 14);
      return true;
    }
    // Through a local: taking v's address would keep the time delta out of a register.
    uint64_t wide = 0;
    const int n = read_uvarint(q, q + kMaxVarintLen, &wide);
    q += n;
    v = wide;
    return n > 0;
  }
  Step next_slow(const Frequency& freq, std::string* err, uint64_t* err_offset);
  /// Starts reading batch idx: its first byte, its fast-path limit and its base time.
  void enter(const Frequency& freq);
};

}  // namespace ctxtrail::trace
