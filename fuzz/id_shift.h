/// Shifting the goroutine and thread IDs of a binary trace, so that fuzzing reaches the IDs of
/// long-lived processes (goroutines past 2^20, 2^32 or near 2^63, threads near pid_max) from
/// small seeds: the seams where ID tables move from a plain array to a hash map. The same
/// rewrite as `tracetext reid` (tools/tracetext/reid.go), without its batch splitting: a batch
/// that grows past the format's limit is simply an input the reader must reject cleanly.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "trace/spec.h"

namespace ctxtrail::fuzz {

namespace detail {

inline bool uvarint(std::string_view b, size_t& off, uint64_t& v) {
  v = 0;
  for (int shift = 0; off < b.size() && shift < 64; shift += 7) {
    const auto c = static_cast<unsigned char>(b[off++]);
    v |= uint64_t{c & 0x7fu} << shift;
    if (!(c & 0x80)) return true;
  }
  return false;
}

inline void put_uvarint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

// Wire argument positions (the time delta is position 0) of goroutine and thread IDs.
inline int g_arg(uint8_t type) {
  using namespace trace::wire;
  switch (type) {
    case EvGoCreate: case EvGoCreateSyscall: case EvGoStart: case EvGoUnblock: case EvGoStatus:
    case EvGCMarkAssistActive: case EvGoSwitch: case EvGoSwitchDestroy: case EvGoCreateBlocked:
    case EvGoStatusStack:
      return 1;
    case EvCPUSample:
      return 3;
    default:
      return -1;
  }
}
inline int m_arg(uint8_t type) {
  using namespace trace::wire;
  switch (type) {
    case EvProcSteal: return 3;
    case EvGoStatus: case EvGoStatusStack: return 2;
    case EvCPUSample: return 1;
    default: return -1;
  }
}

// Rewrites the events of one batch payload; nullopt when it cannot be walked.
inline std::optional<std::string> shift_payload(std::string_view p, int64_t g_shift, uint64_t m_shift) {
  using namespace trace::wire;
  std::string out;
  size_t off = 0;
  while (off < p.size()) {
    const auto type = static_cast<uint8_t>(p[off++]);
    out.push_back(static_cast<char>(type));
    size_t nargs;
    if (type == EvStacks || type == EvStrings || type == EvCPUSamples || type == EvSync) {
      nargs = 0;
    } else if (type == EvStack || type == EvString) {
      nargs = 2;
    } else if (type == EvCPUSample) {
      nargs = 5;
    } else if (type == EvFrequency) {
      nargs = 1;
    } else if (kTimedArgs[type] != kNotTimed) {
      nargs = 1 + kTimedArgs[type];
    } else {
      return std::nullopt;
    }
    for (size_t i = 0; i < nargs; i++) {
      uint64_t v;
      if (!uvarint(p, off, v)) return std::nullopt;
      if (static_cast<int>(i) == g_arg(type) && v != 0) v = static_cast<uint64_t>(static_cast<int64_t>(v) + g_shift);
      if (static_cast<int>(i) == m_arg(type) && v != ~uint64_t{0}) v += m_shift;
      if (type == EvString && i == 1) {  // the string's length, then its bytes
        put_uvarint(out, v);
        if (v > p.size() - off) return std::nullopt;
        out.append(p.substr(off, v));
        off += v;
        continue;
      }
      put_uvarint(out, v);
      if (type == EvStack && i == 1) {  // frame count, then four varints a frame
        if (v > p.size()) return std::nullopt;
        for (uint64_t k = 0; k < v * 4; k++) {
          uint64_t f;
          if (!uvarint(p, off, f)) return std::nullopt;
          put_uvarint(out, f);
        }
      }
    }
  }
  return out;
}

}  // namespace detail

/// `trace` with every goroutine ID but 0 shifted by g_shift and every thread ID but NoThread by
/// m_shift; nullopt when its framing cannot be walked (a mutated input).
inline std::optional<std::string> shift_ids(std::string_view trace, int64_t g_shift, uint64_t m_shift) {
  using namespace trace::wire;
  if (trace.size() < 16) return std::nullopt;
  std::string out(trace.substr(0, 16));
  size_t off = 16;
  while (off < trace.size()) {
    const auto type = static_cast<uint8_t>(trace[off++]);
    out.push_back(static_cast<char>(type));
    if (type == EvEndOfGeneration) continue;
    if (type != EvEventBatch && type != EvExperimentalBatch) return std::nullopt;
    if (type == EvExperimentalBatch) {
      if (off >= trace.size()) return std::nullopt;
      out.push_back(trace[off++]);
    }
    uint64_t hdr[4];
    for (uint64_t& v : hdr)
      if (!detail::uvarint(trace, off, v)) return std::nullopt;
    if (hdr[3] > trace.size() - off) return std::nullopt;
    const std::string_view payload = trace.substr(off, hdr[3]);
    off += hdr[3];
    std::optional<std::string> shifted;
    if (type == EvExperimentalBatch) {
      shifted = std::string(payload);
    } else {
      shifted = detail::shift_payload(payload, g_shift, m_shift);
      if (!shifted) return std::nullopt;
    }
    if (hdr[1] != ~uint64_t{0}) hdr[1] += m_shift;
    for (int i = 0; i < 3; i++) detail::put_uvarint(out, hdr[i]);
    detail::put_uvarint(out, shifted->size());
    out += *shifted;
  }
  return out;
}

}  // namespace ctxtrail::fuzz
