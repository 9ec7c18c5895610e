/// The header line of a goroutine's block in a dump, as the runtime prints it:
///   goroutine 7 [chan receive (leaked), 42 minutes, locked to thread]:
///   goroutine 1 gp=0xc000002380 m=0 mp=0x5a7e20 [running]:       (GOTRACEBACK=system, crashes)
///   goroutine 9 [select labels:{"k": "v"}]:                      (GODEBUG=tracebacklabels=1)
/// Inside the brackets: the wait reason or status, then in this order the marks " (leaked)",
/// " (scan)", " (durable)", ", N minutes" (only from one minute on), ", locked to thread",
/// ", synctest bubble N", and " labels:{...}" with quoted keys and values.
#pragma once

#include <string_view>

#include "ctxtrail/snapshot/snapshot.h"

namespace ctxtrail::snapshot {

/// Reads `line` into the header fields of `g`: id, state, wait_minutes, leaked,
/// locked_to_thread, labels. False, `g` unspecified, when the line is no goroutine header.
/// Parts inside the brackets that it does not know are skipped; labels that do not parse are
/// kept up to the first broken one.
bool parse_goroutine_header(std::string_view line, Goroutine& g);

}  // namespace ctxtrail::snapshot
