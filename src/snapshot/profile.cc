/// pprof goroutine / goroutineleak profiles: inflate, then read the text or protobuf form.
#include <utility>

#include "ctxtrail/snapshot/snapshot.h"
#include "snapshot/gzip.h"
#include "snapshot/profile.h"

namespace ctxtrail::snapshot {

Result<Snapshot> parse_profile(std::string_view bytes, std::string source) {
  std::string inflated;
  if (is_gzip(bytes)) {
    Result<std::string> r = gunzip(bytes, source);
    if (!r) return r.error();
    inflated = std::move(r.value());
    bytes = inflated;
  }
  if (is_text_profile(bytes)) return parse_profile_text(bytes, std::move(source));
  return parse_profile_proto(bytes, std::move(source));
}

}  // namespace ctxtrail::snapshot
