/// The JSON shapes of docs/event-stream.md: one event a line for `events --json`, and the
/// helpers `stats --json` uses. Key order and escaping match tools/goparse byte for byte.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "ctxtrail/trace/event.h"
#include "ctxtrail/trace/tables.h"

namespace ctxtrail::render {

/// Appends `s` as a JSON string as Go's parser oracle writes it (tools/goparse): quotes,
/// backslashes and control characters escaped, invalid
/// UTF-8 replaced by \ufffd (as Go's encoding/json does), nothing else touched.
void append_go_json_string(std::string& out, std::string_view s);

/// Writes `events --json` lines for the events of one reader. Stacks are rendered once each
/// (they are global and deduplicated) and reused.
class EventJsonWriter {
 public:
  EventJsonWriter(const trace::StringTable& strings, const trace::StackTable& stacks)
      : strings_(strings), stacks_(stacks) {}
  /// Appends one line for `ev`, newline included.
  void append(std::string& out, const trace::Event& ev);

 private:
  std::string_view stack_json(trace::StackID id);
  void add_stack(std::string& out, std::string_view key, trace::StackID id);

  const trace::StringTable& strings_;
  const trace::StackTable& stacks_;
  std::vector<std::string> stack_cache_;
  std::vector<bool> stack_done_;
};

/// Appends a human-readable line for `ev`, newline included.
void append_event_text(std::string& out, const trace::Event& ev, const trace::StringTable& strings,
                       const trace::StackTable& stacks);

}  // namespace ctxtrail::render
