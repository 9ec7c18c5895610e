/// gzip inflation for whole in-memory inputs (pprof serves its protobuf profiles gzipped).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "ctxtrail/status.h"

namespace ctxtrail::snapshot {

/// The largest inflated input a snapshot reader accepts: a dump of a million goroutines is
/// about 1 GiB; more is no snapshot ctxtrail can join, and must not exhaust memory.
inline constexpr uint64_t kMaxSnapshotBytes = uint64_t{2} << 30;

bool is_gzip(std::string_view bytes);

/// Inflates a gzip stream (concatenated members too). Errors name the compressed byte offset.
Result<std::string> gunzip(std::string_view bytes, const std::string& source,
                           uint64_t limit = kMaxSnapshotBytes);

}  // namespace ctxtrail::snapshot
