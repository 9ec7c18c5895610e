/// Go's duration syntax (time.ParseDuration): "500ms", "2s", "1m30s", "250us", "1.5h".
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace ctxtrail::cli {

/// Nanoseconds, or nothing when `s` is not a valid non-negative Go duration.
std::optional<int64_t> parse_go_duration(std::string_view s);

}  // namespace ctxtrail::cli
