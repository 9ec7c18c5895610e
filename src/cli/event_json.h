/// The JSON shapes of docs/event-stream.md: one event a line for `events --json`, and the
/// helpers `stats --json` uses. Key order and escaping match tools/goparse byte for byte.
#pragma once

#include <string>
#include <string_view>

#include "ctxtrail/trace/event.h"
#include "ctxtrail/trace/tables.h"

namespace ctxtrail::cli {

/// Appends `s` as a JSON string: quotes, backslashes and control characters escaped, invalid
/// UTF-8 replaced by \ufffd (as Go's encoding/json does), nothing else touched.
void append_json_string(std::string& out, std::string_view s);

/// Appends one `events --json` line for `ev`, newline included.
void append_event_json(std::string& out, const trace::Event& ev, const trace::StringTable& strings,
                       const trace::StackTable& stacks);

/// Appends a human-readable line for `ev`, newline included.
void append_event_text(std::string& out, const trace::Event& ev, const trace::StringTable& strings,
                       const trace::StackTable& stacks);

}  // namespace ctxtrail::cli
