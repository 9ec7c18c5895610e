/// The two forms of a pprof goroutine / goroutineleak profile, behind parse_profile.
#pragma once

#include <string>
#include <string_view>

#include "ctxtrail/snapshot/snapshot.h"

namespace ctxtrail::snapshot {

/// Whether `bytes` (inflated) begin, after blank lines, with the debug=1 header
/// "goroutine profile: total N" or "goroutineleak profile: total N".
bool is_text_profile(std::string_view bytes);

/// The debug=1 text form. Errors say "line N: expected ...".
Result<Snapshot> parse_profile_text(std::string_view text, std::string source);

/// The debug=0 protobuf form (profile.proto), inflated. Errors name the byte offset.
Result<Snapshot> parse_profile_proto(std::string_view bytes, std::string source);

}  // namespace ctxtrail::snapshot
