/// Frame and "created by" lines of a dump (dump_frame.h).
#include "snapshot/dump_frame.h"

#include "snapshot/decimal.h"

namespace ctxtrail::snapshot {

std::string_view frame_function(std::string_view line) {
  // Arguments never hold parentheses, so the last "(" opens the argument list; a method's
  // receiver "(*T)" comes before it.
  if (!line.ends_with(')')) return line;
  const size_t open = line.rfind('(');
  return line.substr(0, open);
}

std::string_view cut_frame_function(std::string_view line) {
  const size_t open = line.rfind('(');
  return open == std::string_view::npos ? std::string_view() : line.substr(0, open);
}

SourceLine parse_source_line(std::string_view line) {
  // The line number is the digits after the last ':' that end the line or a space: a path
  // may hold ':' (C:/go/...) and spaces, the fields after the number hold no ':'.
  for (size_t colon = line.rfind(':'); colon != std::string_view::npos && colon > 0;
       colon = line.rfind(':', colon - 1)) {
    const std::string_view after = line.substr(colon + 1);
    const size_t digits = leading_digits(after);
    int64_t number = 0;
    if ((digits == after.size() || after[digits] == ' ') && parse_decimal(after.substr(0, digits), number)) {
      return {line.substr(0, colon), number};
    }
  }
  return {};
}

std::optional<CreatedBy> parse_created_by(std::string_view line) {
  constexpr std::string_view kPrefix = "created by ";
  constexpr std::string_view kIn = " in goroutine ";
  if (!line.starts_with(kPrefix)) return std::nullopt;
  CreatedBy created{line.substr(kPrefix.size())};
  const size_t in = created.function.rfind(kIn);
  int64_t id = 0;
  if (in != std::string_view::npos && parse_decimal(created.function.substr(in + kIn.size()), id)) {
    created.function = created.function.substr(0, in);
    created.creator_id = id;
  }
  return created;
}

}  // namespace ctxtrail::snapshot
