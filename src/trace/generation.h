/// One generation of a trace: its event batches grouped by M, its string and stack tables
/// (interned into the global tables), CPU samples and frequency. Purely data, as Go's
/// generation.go: no ordering state, no cursor.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

#include "ctxtrail/status.h"
#include "ctxtrail/trace/flat_index.h"
#include "trace/batch.h"
#include "trace/byte_source.h"
#include "trace/id_map.h"
#include "trace/interned_tables.h"

namespace ctxtrail::trace {

/// Converts ticks to nanoseconds as Go's parser does: float64 ticks times float64 ns/tick,
/// truncated to int64 (x86-64 semantics: out of range and NaN give INT64_MIN).
struct Frequency {
  double ns_per_tick = 0;
  /// ns_per_tick when it is a whole number (64 on Linux): then small tick counts convert with
  /// an integer multiply that equals the float product exactly (both are below 2^53).
  uint64_t whole_ns_per_tick = 0;
  uint64_t exact_ticks_limit = 0;

  void set(double ns) {
    ns_per_tick = ns;
    whole_ns_per_tick = 0;
    exact_ticks_limit = 0;
    if (ns >= 1 && ns < 1e9 && ns == static_cast<double>(static_cast<uint64_t>(ns))) {
      whole_ns_per_tick = static_cast<uint64_t>(ns);
      exact_ticks_limit = (uint64_t{1} << 53) / whole_ns_per_tick;
    }
  }
  int64_t mul(uint64_t ticks) const {
    if (ticks < exact_ticks_limit) [[likely]] return static_cast<int64_t>(ticks * whole_ns_per_tick);
    double v = static_cast<double>(ticks) * ns_per_tick;
    if (!(v >= -9223372036854775808.0 && v < 9223372036854775808.0)) return INT64_MIN;
    return static_cast<int64_t>(v);
  }
};

/// Go 1.25+: trace, monotonic and wall clocks read at about the same moment.
struct ClockSnapshot {
  uint64_t trace_ticks = 0;  // the sync batch's time plus the snapshot's delta
  uint64_t mono_ns = 0;
  uint64_t wall_sec = 0;
  uint64_t wall_nsec = 0;
};

struct CpuSample {
  int64_t time = 0;  // ticks while reading, nanoseconds once the generation is complete
  int64_t m = -1, p = -1, g = -1;
  uint64_t stack = 0;  // wire stack ID
};

struct EventBatch {
  uint64_t time = 0;
  const uint8_t* data = nullptr;
  uint32_t size = 0;
  uint64_t offset = 0;  // input offset of data[0], for errors
};

struct MBatches {
  int64_t m = -1;
  std::vector<EventBatch> batches;  // in file order
};

struct Generation {
  uint64_t gen = 0;
  std::vector<MBatches> ms;  // in order of each M's first batch (Go's batchMs)
  std::unordered_map<int64_t, size_t> m_index;  // M -> index in ms
  std::vector<CpuSample> cpu_samples;  // sorted by time once complete
  uint64_t min_ts = 0;
  Frequency freq;
  bool has_clock_snapshot = false;
  ClockSnapshot clock_snapshot;
  IdMap strings;  // wire string ID -> global StringID
  IdMap stacks;   // wire stack ID -> global StackID
  uint64_t experimental_batches = 0;
  uint64_t batches = 0;
  std::vector<std::unique_ptr<uint8_t[]>> arena;  // copies of payloads from unstable sources
  size_t arena_used = 0;
};

/// Scratch space for a generation's stacks: frames are known by PC, first occurrence wins.
/// The reader keeps it from one generation to the next, so that its tables keep the capacity
/// the last generation needed instead of growing again from nothing (each generation re-sends
/// about as many stacks).
struct StackScratch {
  struct RawFrame {
    uint64_t pc = 0;
    uint64_t func = 0;
    uint64_t file = 0;
    uint64_t line = 0;
    bool resolved = false;  // `frame` holds the global string IDs
    Frame frame;
  };
  struct RawStack {
    uint64_t id;
    uint32_t first;  // index into frame_of
    uint32_t count;
  };

  std::vector<RawStack> stacks;
  std::vector<uint32_t> frame_of;  // per stack frame: its index in frames
  std::vector<RawFrame> frames;    // one per distinct PC
  FlatIndex by_pc;                 // PC -> index in frames

  void clear() {
    stacks.clear();
    frame_of.clear();
    frames.clear();
    by_pc.clear();
  }
};

/// Shared inputs of generation reading.
struct GenerationContext {
  ByteSource& src;
  int version;
  InternedStrings& strings;
  InternedStacks& stacks;
  StackScratch& stack_scratch;
  /// Set with an error that Go's parser reports as (wrapping) io.EOF: the input or a batch
  /// ended exactly where another varint should start. Go's consumers take it for the end.
  bool eof_like = false;
};

/// Go 1.26+: reads batches up to the end-of-generation byte. nullptr at a clean end of input.
Result<std::unique_ptr<Generation>> read_generation(GenerationContext& ctx);

/// A batch read while looking for the end of the previous generation (Go 1.22-1.25), with
/// its own copy of the payload.
struct SpilledBatch {
  Batch batch;
  std::vector<uint8_t> payload;
};

struct SpillRead {
  std::unique_ptr<Generation> gen;     // null only together with an error
  std::optional<SpilledBatch> spill;   // the first batch of the next generation
  std::optional<Error> error;          // when gen is set: an error to report after it
};

/// Go 1.22-1.25: reads batches until one of the next generation appears (the spill) or EOF.
SpillRead read_generation_with_spill(GenerationContext& ctx, std::optional<SpilledBatch> spill);

}  // namespace ctxtrail::trace
