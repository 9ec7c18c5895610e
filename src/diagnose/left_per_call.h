/// Goroutines that each call of a function leaves behind in a creator that lives on: a handler
/// run once per request on a keep-alive connection (net/http.(*conn).serve lives as long as the
/// connection) starts a goroutine that stays parked, unwoken, after the handler returned. The
/// creator never ends, so the creator-ended test misses them, and one such goroutine alone may be
/// a constructor's worker, made once, waiting for work by design; many from as many calls of
/// one function are a leak by accumulation. Read by leaked-goroutine (a warning: the trace shows
/// what nothing woke, not what nothing could).
#pragma once

#include <cstdint>
#include <unordered_map>

#include "diagnose/rule_context.h"

namespace ctxtrail::diagnose {

/// Calls that must each have left one behind (from one `go` statement) for any to be said.
inline constexpr size_t kCallsLeaving = 10;

struct LeftByCall {
  const model::Goroutine* creator = nullptr;  // alive at the end
  int64_t returned_at = -1;                    // when the call that started it returned
  size_t calls = 0;                            // calls of that function that left one behind
};

class LeftPerCall {
 public:
  explicit LeftPerCall(RuleContext& ctx);
  const LeftByCall* find(trace::GoID g) const;

 private:
  std::unordered_map<trace::GoID, LeftByCall> left_;
};

}  // namespace ctxtrail::diagnose
