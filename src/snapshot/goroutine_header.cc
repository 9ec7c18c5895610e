/// Goroutine header lines (goroutine_header.h).
#include "snapshot/goroutine_header.h"

#include <array>
#include <optional>
#include <string>

#include "snapshot/decimal.h"
#include "snapshot/go_quoted.h"

namespace ctxtrail::snapshot {
namespace {

constexpr std::string_view kPrefix = "goroutine ";
constexpr std::string_view kLabels = " labels:{";
constexpr std::string_view kMinutes = " minutes";
constexpr std::string_view kLocked = "locked to thread";

// Removes the marks the runtime appends to the status. "(durable)" is also the end of some
// synctest wait reasons' own names ("chan receive (durable)"); either way it says the wait is
// inside a synctest bubble, and the wait itself is the one the name before it says.
std::string_view strip_marks(std::string_view status, Goroutine& g) {
  static constexpr std::array<std::string_view, 3> kMarks = {" (leaked)", " (scan)", " (durable)"};
  for (bool again = true; again;) {
    again = false;
    for (std::string_view mark : kMarks) {
      if (status.ends_with(mark)) {
        status.remove_suffix(mark.size());
        if (mark == kMarks[0]) g.leaked = true;
        again = true;
      }
    }
  }
  return status;
}

// One ", "-separated part after the status: "42 minutes", "locked to thread", or one this
// parser skips ("synctest bubble 3").
void read_status_part(std::string_view part, Goroutine& g) {
  int64_t minutes = 0;
  if (part.ends_with(kMinutes) && parse_decimal(part.substr(0, part.size() - kMinutes.size()), minutes)) {
    g.wait_minutes = minutes;
  } else if (part == kLocked) {
    g.locked_to_thread = true;
  }
}

// `in` is what follows "labels:{": `"k": "v", "k2": "v2"}`. The runtime's quoting (\n \r \t
// \\ \" \xNN \uNNNN \UNNNNNNNN, printable ASCII as itself) is a subset of Go's string
// literals. Keeps the pairs before anything that breaks that shape.
void read_labels(std::string_view in, Goroutine& g) {
  while (!in.empty() && in[0] != '}') {
    std::optional<std::string> key = read_go_quoted(in);
    if (!key || !in.starts_with(": ")) return;
    in.remove_prefix(2);
    std::optional<std::string> value = read_go_quoted(in);
    if (!value) return;
    g.labels.emplace_back(std::move(*key), std::move(*value));
    if (in.starts_with(", ")) in.remove_prefix(2);
  }
}

}  // namespace

bool parse_goroutine_header(std::string_view line, Goroutine& g) {
  if (!line.starts_with(kPrefix) || !line.ends_with("]:")) return false;
  std::string_view rest = line.substr(kPrefix.size());
  const size_t digits = leading_digits(rest);
  if (!parse_decimal(rest.substr(0, digits), g.id)) return false;
  rest.remove_prefix(digits);
  rest.remove_suffix(2);  // "]:"
  // Between the ID and " [" only the crash fields (" gp=... m=... mp=..."), which hold no '['.
  const size_t open = rest.find(" [");
  if (open == std::string_view::npos || (open != 0 && rest[0] != ' ')) return false;
  std::string_view inside = rest.substr(open + 2);

  const size_t labels_at = inside.find(kLabels);
  if (labels_at != std::string_view::npos) {
    read_labels(inside.substr(labels_at + kLabels.size()), g);
    inside = inside.substr(0, labels_at);
  }
  // Wait reasons and statuses hold no ", ": the first part is the status with its marks.
  size_t comma = inside.find(", ");
  g.state.assign(strip_marks(inside.substr(0, comma), g));
  while (comma != std::string_view::npos) {
    inside.remove_prefix(comma + 2);
    comma = inside.find(", ");
    read_status_part(inside.substr(0, comma), g);
  }
  return true;
}

}  // namespace ctxtrail::snapshot
