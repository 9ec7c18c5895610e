/// Fuzz target: any bytes through the trace reader must end in events or a clean error, never
/// a crash, hang or out-of-bounds read. Seeds: small hand-made and real traces.
#include <cstddef>
#include <cstdint>
#include <string>

#include "ctxtrail/trace/reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto reader = ctxtrail::trace::Reader::from_bytes(std::string(reinterpret_cast<const char*>(data), size), "fuzz");
  if (!reader.ok()) return 0;
  ctxtrail::trace::Event ev;
  uint64_t frames = 0;
  for (;;) {
    auto more = (*reader)->next(ev);
    if (!more.ok() || !*more) break;
    // Touch what events point at, as later stages will.
    frames += (*reader)->stacks().frames(ev.stack).size();
    (*reader)->strings().get(ev.name);
  }
  return static_cast<int>(frames & 0);
}
