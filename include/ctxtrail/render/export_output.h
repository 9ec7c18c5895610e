/// Writing a rendered report or export to a file, or to standard output for "-".
#pragma once

#include <ostream>
#include <string>
#include <string_view>

namespace ctxtrail::render {

/// Writes `data` to `path` ("-": to `out`). Answers an error message, empty on success.
std::string write_output(const std::string& path, std::string_view data, std::ostream& out);

}  // namespace ctxtrail::render
