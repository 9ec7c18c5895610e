/// Counters a reader keeps about its input, apart from the events.
#pragma once

#include <cstdint>

namespace ctxtrail::trace {

/// Counters about the input that are not events: what kind of batches it had and the
/// recoverable oddities the reader corrected as Go's parser does.
struct ReaderStats {
  uint64_t bytes = 0;                 // input bytes consumed (decompressed)
  uint64_t batches = 0;               // batches of every kind
  uint64_t experimental_batches = 0;  // e.g. AllocFree data (kept aside, not events)
  uint64_t cpu_samples = 0;
  uint64_t time_fixups = 0;    // events moved 1 ns past the previous one (equal or earlier times)
  uint64_t out_of_order = 0;   // events that had to wait for a later-timestamped event on another M
};

}  // namespace ctxtrail::trace
