/// The string and stack tables that events point into. Global to a trace, append-only,
/// deduplicated, so later stages can hold IDs instead of copies.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "ctxtrail/trace/event.h"

namespace ctxtrail::trace {

/// One logical stack frame (inlined functions expanded), leaf first in a stack.
struct Frame {
  uint64_t pc = 0;
  StringID func = 0;
  StringID file = 0;
  uint64_t line = 0;
};

class StringTable {
 public:
  virtual ~StringTable() = default;
  virtual std::string_view get(StringID id) const = 0;
  /// The ID of `s` if the trace has that string; 0 otherwise (or when s is empty).
  virtual StringID find(std::string_view s) const = 0;
  virtual size_t size() const = 0;
};

class StackTable {
 public:
  virtual ~StackTable() = default;
  /// Frames of a stack, leaf first. Empty for ID 0.
  virtual std::span<const Frame> frames(StackID id) const = 0;
  virtual size_t size() const = 0;
};

}  // namespace ctxtrail::trace
