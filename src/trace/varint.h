/// Unsigned LEB128 varints as Go's encoding/binary reads them: at most 10 bytes, padded
/// (non-minimal) encodings accepted, never a read past `end`.
#pragma once

#include <cstdint>

namespace ctxtrail::trace {

inline constexpr int kMaxVarintLen = 10;

/// Decodes one varint from [p, end). Answers the bytes used (> 0), 0 when the input ends
/// inside the varint, or -1 when it overflows 64 bits (Go's binary.Uvarint contract).
inline int read_uvarint(const uint8_t* p, const uint8_t* end, uint64_t* out) {
  uint64_t x = 0;
  unsigned shift = 0;
  const long avail = end - p;
  const int limit = avail < kMaxVarintLen ? static_cast<int>(avail) : kMaxVarintLen;
  for (int i = 0; i < limit; i++) {
    const uint8_t b = p[i];
    if (b < 0x80) {
      if (i == kMaxVarintLen - 1 && b > 1) return -1;
      *out = x | uint64_t{b} << shift;
      return i + 1;
    }
    x |= uint64_t{b & 0x7fu} << shift;
    shift += 7;
  }
  return limit == kMaxVarintLen ? -1 : 0;
}

}  // namespace ctxtrail::trace
