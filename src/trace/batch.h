/// One batch of a generation: its header (generation, M, base time, payload size) and a view
/// of its payload. What a batch holds is decided by its first payload byte.
#pragma once

#include <cstdint>
#include <string>

#include "ctxtrail/status.h"
#include "trace/byte_source.h"
#include "trace/spec.h"

namespace ctxtrail::trace {

struct Batch {
  uint64_t gen = 0;
  int64_t m = -1;        // the writing thread; -1 (2^64-1 on the wire) for none
  uint64_t time = 0;     // base timestamp in ticks
  const uint8_t* data = nullptr;
  uint32_t size = 0;
  uint8_t exp = 0;       // experiment ID of an experimental batch; 0 for none
  bool end_of_generation = false;  // the lone EvEndOfGeneration byte (Go 1.26+)
  uint64_t offset = 0;   // input offset of the batch header
  uint64_t payload_offset = 0;  // input offset of data[0]

  uint8_t first() const { return size > 0 ? data[0] : 0; }
  bool is_strings() const { return exp == 0 && size > 0 && data[0] == wire::EvStrings; }
  bool is_stacks() const { return exp == 0 && size > 0 && data[0] == wire::EvStacks; }
  bool is_cpu_samples() const { return exp == 0 && size > 0 && data[0] == wire::EvCPUSamples; }
  bool is_sync(int version) const {
    return exp == 0 && size > 0 &&
           ((data[0] == wire::EvFrequency && version < wire::kGo125) ||
            (data[0] == wire::EvSync && version >= wire::kGo125));
  }
  bool is_end_of_generation_payload() const {
    return exp == 0 && size > 0 && data[0] == wire::EvEndOfGeneration;
  }
};

/// Reads the next batch header and payload. Answers true with `*out` filled, false at a clean
/// end of input (no byte left, or Go's quirk: nothing after an experimental batch's type
/// byte), or an Error (offset set, file and generation left to the caller). The payload view
/// stays valid until the source is asked for more bytes, or until release() for stable sources.
/// `*eof_like` (when given) tells whether an error is one Go's parser reports as io.EOF (the
/// input ended right where a header varint should start), which its callers take for a clean
/// end of the trace.
Result<bool> read_batch(ByteSource& src, Batch* out, bool* eof_like = nullptr);

/// Reads the 16-byte header "go 1.N trace\0\0\0" and answers N (22, 23, 25 or 26).
Result<int> read_header(ByteSource& src);

}  // namespace ctxtrail::trace
