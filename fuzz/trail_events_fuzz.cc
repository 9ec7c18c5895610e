/// Fuzz target: any `ctxtrail` log message through the trail-event parser must come out as an
/// event, "unknown" or "malformed" with a reason, never a crash or an out-of-bounds read; and
/// every string field's escape decoding must be total. Seeds: the examples of
/// docs/trail-events.md, one per event kind, and broken ones.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "ctxtrail/model/context_events.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view message(reinterpret_cast<const char*>(data), size);
  const ctxtrail::model::TrailParseResult r = ctxtrail::model::parse_trail_message(message);
  // A malformed message must say what was wrong: the contexts report prints it.
  if (r.status == ctxtrail::model::TrailParse::Malformed && r.problem.empty()) std::abort();
  (void)ctxtrail::model::unescape_trail_string(message);
  return 0;
}
