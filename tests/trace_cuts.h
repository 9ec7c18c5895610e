/// Where a binary trace can be cut: the end of each batch (and of each end-of-generation byte),
/// found from the batch framing alone. Shared by the differential truncation test and the
/// every-command robustness test.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "../fuzz/id_shift.h"

namespace ctxtrail::test {

/// The byte offsets just past each batch of `b` (a whole trace, header included), up to the
/// first framing it does not understand.
inline std::vector<uint64_t> batch_ends(const std::string& b) {
  std::vector<uint64_t> ends;
  size_t off = 16;
  auto uvarint = [&](uint64_t& v) { return fuzz::detail::uvarint(b, off, v); };
  while (off < b.size()) {
    const auto type = static_cast<unsigned char>(b[off++]);
    if (type == 49) ++off;  // experimental batch: the experiment byte
    if (type == 1 || type == 49) {
      uint64_t hdr[4];
      for (uint64_t& v : hdr) {
        if (!uvarint(v)) return ends;
      }
      if (hdr[3] > b.size() - off) return ends;
      off += hdr[3];
    } else if (type != 52) {
      return ends;
    }
    ends.push_back(off);
  }
  return ends;
}

}  // namespace ctxtrail::test
