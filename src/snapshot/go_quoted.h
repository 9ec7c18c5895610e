/// Go's double-quoted string literals, as fmt's %q (strconv.Quote) prints them: pprof's text
/// profile quotes label keys and values this way.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace ctxtrail::snapshot {

/// Reads one quoted string from the front of `in` and removes it from `in`. nullopt (and `in`
/// unchanged) when `in` does not start with a whole, valid one.
std::optional<std::string> read_go_quoted(std::string_view& in);

}  // namespace ctxtrail::snapshot
