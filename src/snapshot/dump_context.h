/// What a crash or `go test` printed before the goroutines of a dump:
///   panic: boom [recovered]          the panic; a nested one follows as "\tpanic: ..."
///   fatal error: all goroutines are asleep - deadlock!
///   panic: test timed out after 2s   (go test -timeout)
///   \trunning tests:
///   \t\tTestHang (2s)
/// The panic value's own further lines are indented by a tab; only its first line is kept.
#pragma once

#include <cstdint>
#include <string_view>

#include "ctxtrail/snapshot/snapshot.h"

namespace ctxtrail::snapshot {

/// Fed the lines before a dump's first goroutine, one by one; the last panic or fatal error
/// among them is the dump's context (an earlier one in a log did not stop the process).
class DumpContextScanner {
 public:
  void line(std::string_view line);
  DumpContext& context() { return context_; }

 private:
  enum class State : uint8_t { Idle, InPanic, InRunningTests };
  State state_ = State::Idle;
  DumpContext context_;
};

}  // namespace ctxtrail::snapshot
