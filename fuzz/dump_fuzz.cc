/// Fuzz target: any bytes through the goroutine-dump text parser must come out as a snapshot
/// whose every part the input accounts for, or as an error that says what was expected; never
/// a crash, an out-of-bounds read, a hang or memory out of proportion to the input. Seeds: the
/// real dumps of testdata/snapshots (real_*.txt, by testdata/snapshots/gen/generate.sh) and
/// small hand-made ones, cut off and broken.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "ctxtrail/snapshot/snapshot.h"

namespace {

void check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  ctxtrail::Result<ctxtrail::snapshot::Snapshot> r = ctxtrail::snapshot::parse_dump(text, "fuzz");
  if (!r.ok()) {
    // Only "no dump at all" is an error, and it says what it looked for.
    check(r.error().file == "fuzz" && !r.error().message.empty() && !r.error().offset);
    return 0;
  }
  uint64_t lines = 1;
  for (char c : text) lines += c == '\n';
  const ctxtrail::snapshot::Snapshot& s = *r;
  check(s.kind == ctxtrail::snapshot::Kind::Dump && s.source == "fuzz" && !s.goroutines.empty());
  check(s.context.panic.size() <= size && s.context.running_tests.size() <= lines);
  uint64_t previous_line = 0;
  uint64_t frames = 0;
  bool any_leaked = false;
  for (const ctxtrail::snapshot::Goroutine& g : s.goroutines) {
    // Each goroutine starts on its own header line, in input order.
    check(g.line > previous_line && g.line <= lines);
    previous_line = g.line;
    check(g.id >= 0 && g.wait_minutes >= 0 && g.creator_id >= -1 && g.count == 1);
    check(g.state.size() <= size && g.labels.size() <= size);
    frames += g.frames.size();
    for (const ctxtrail::snapshot::Frame& f : g.frames) {
      check(!f.function.empty() && f.function.size() <= size && f.file.size() <= size && f.line >= 0);
    }
    check(g.created_by.function.size() <= size && g.created_by.line >= 0);
    any_leaked = any_leaked || g.leaked;
  }
  // Every frame has its own line, and every goroutine its header line besides.
  check(frames + s.goroutines.size() <= lines);
  check(s.has_leak_marks == any_leaked);
  return 0;
}
