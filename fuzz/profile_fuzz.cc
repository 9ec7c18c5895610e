/// Fuzz target: any bytes through parse_profile (gzip, protobuf or debug=1 text) must come out
/// as a Snapshot or an Error that says where and what, never a crash, a hang or an allocation
/// beyond the frame budget. Seeds: small real goroutine and goroutineleak profiles from
/// testdata/snapshots/profilegen in every form, and broken ones.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "ctxtrail/snapshot/snapshot.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const ctxtrail::Result<ctxtrail::snapshot::Snapshot> r = ctxtrail::snapshot::parse_profile(bytes, "fuzz");
  if (!r) {
    // An error is printed to the user: it must say what was expected, and where when it can.
    if (r.error().message.empty() || r.error().file != "fuzz") std::abort();
    return 0;
  }
  using ctxtrail::snapshot::Kind;
  if (r->kind != Kind::Profile && r->kind != Kind::LeakProfile) std::abort();
  for (const ctxtrail::snapshot::Goroutine& g : r->goroutines) {
    if (g.leaked != (r->kind == Kind::LeakProfile) || g.id != -1) std::abort();
  }
  return 0;
}
