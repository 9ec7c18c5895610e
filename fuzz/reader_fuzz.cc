/// Fuzz target: any bytes through the trace reader must end in events or a clean error, never
/// a crash, hang or out-of-bounds read. Seeds: small hand-made and real traces, some with the
/// IDs of long-lived processes; the mutator also shifts IDs (id_shift_mutator.h).
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "ctxtrail/trace/reader.h"
#include "id_shift_mutator.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto reader = ctxtrail::trace::Reader::from_bytes(std::string(reinterpret_cast<const char*>(data), size), "fuzz");
  if (!reader.ok()) return 0;
  uint64_t frames = 0;
  // Touch what events point at, as later stages will.
  const auto touch = [&](const ctxtrail::trace::Event& ev) {
    frames += (*reader)->stacks().frames(ev.stack).size();
    (*reader)->strings().get(ev.name);
  };
  if (size % 2 == 0) {
    ctxtrail::trace::Event ev;
    for (;;) {
      auto more = (*reader)->next(ev);
      if (!more.ok() || !*more) break;
      touch(ev);
    }
  } else {
    // Odd sizes read in batches of 1 to 7 events, the way ctxtrail's own stages read.
    std::vector<ctxtrail::trace::Event> batch(1 + size % 7);
    for (;;) {
      auto got = (*reader)->next_batch(batch);
      if (!got.ok() || *got == 0) break;
      for (size_t i = 0; i < *got; i++) touch(batch[i]);
    }
  }
  return static_cast<int>(frames & 0);
}
