/// Decoding timed events out of one M's batches. An event is its type byte, a varint time
/// delta from the previous event of the batch (or the batch's base time), then its spec's
/// arguments as varints. Batches of one M are read in file order.
#include "trace/batch_cursor.h"

#include <fmt/format.h>

#include "trace/varint.h"

namespace ctxtrail::trace {

BatchCursor::Step BatchCursor::next_slow(const Frequency& freq, std::string* err, uint64_t* err_offset) {
  const auto& list = batches->batches;
  if (!started) {
    started = true;
    idx = 0;
    if (idx < list.size()) enter(freq);
  }
  while (idx < list.size() && pos == list[idx].data + list[idx].size) {
    if (++idx < list.size()) enter(freq);
  }
  if (idx == list.size()) return kEnd;
  const EventBatch& b = list[idx];
  const uint8_t* p = pos;
  const uint8_t* end = b.data + b.size;
  ev_pos = p;
  const uint64_t ev_offset = this->ev_offset();
  const uint8_t type = *p;
  const wire::Spec& spec = wire::spec(type);
  if (type >= wire::kNumSpecs) {
    *err = fmt::format("found invalid event type: {}", type);
    *err_offset = ev_offset;
    return kError;
  }
  if (!spec.timed) {
    *err = fmt::format("found event without a timestamp: type={}", type);
    *err_offset = ev_offset;
    return kError;
  }
  ev.type = type;
  const uint8_t* q = p + 1;
  // One varint of the event; false when it is malformed or runs past the batch.
  const auto varint = [&](uint64_t* v) {
    if (q < end && *q < 0x80) {
      *v = *q++;
      return true;
    }
    const int n = read_uvarint(q, end, v);
    if (n <= 0) return false;
    q += n;
    return true;
  };
  const auto malformed = [&](std::string what) {
    *err = std::move(what);
    *err_offset = b.offset + static_cast<uint64_t>(q - b.data);
    return kError;
  };
  uint64_t dt;
  if (!varint(&dt)) return malformed("found invalid uvarint for timestamp");
  for (int i = 0; i < spec.nargs; i++) {
    if (!varint(&ev.args[i])) return malformed(fmt::format("found invalid uvarint for argument {} of {}", i + 1, spec.name));
  }
  // Go keeps arguments beyond the spec from the previous event of this cursor; they are
  // never read for such events except as smuggled extras, which the ordering sets.
  ev.time = static_cast<int64_t>(static_cast<uint64_t>(freq.mul(dt)) + static_cast<uint64_t>(ev.time));
  pos = q;
  return kOk;
}

void BatchCursor::enter(const Frequency& freq) {
  const EventBatch& b = batches->batches[idx];
  pos = b.data;
  offset_base = b.offset - reinterpret_cast<uintptr_t>(b.data);  // wraps: unsigned on purpose
  const uint32_t room = 1 + kMaxVarintLen * (1 + wire::kMaxArgs);
  fast_end = b.size > room ? b.data + (b.size - room) : b.data;
  ev.time = freq.mul(b.time);  // the head is consumed by now: its time becomes the base
}

}  // namespace ctxtrail::trace
