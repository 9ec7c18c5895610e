/// parse_dump for a caller that owns the text's memory and can give back what the parser has
/// gone past: a mapped file's pages, dropped behind the parse so that reading a dump never
/// holds the whole file in the process's resident set (input.cc).
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "ctxtrail/snapshot/snapshot.h"

namespace ctxtrail::snapshot {

/// Told an offset of the text: nothing before it is read again.
using ReleaseText = std::function<void(size_t upto)>;
/// How far the parse goes between two calls of a ReleaseText.
inline constexpr size_t kReleaseStep = size_t{8} << 20;

/// parse_dump, calling `release` (when set) as it goes. The Snapshot holds no view of `text`.
Result<Snapshot> parse_dump(std::string_view text, std::string source, const ReleaseText& release);

}  // namespace ctxtrail::snapshot
