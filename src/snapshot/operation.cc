/// blocking_operation: the dump's own words first; for profiles, the runtime and sync frames
/// that every Go version puts between gopark and the caller.
#include "ctxtrail/snapshot/operation.h"

#include <array>
#include <utility>

namespace ctxtrail::snapshot {
namespace {

// Leaf-side functions and the wait reason the runtime prints for them. Checked in stack order,
// so the innermost telling frame wins (sync.(*Mutex).Lock calls runtime.semacquire...).
constexpr std::array<std::pair<std::string_view, std::string_view>, 17> kByFunction = {{
    {"runtime.chansend", "chan send"},
    {"runtime.chansend1", "chan send"},
    {"runtime.chanrecv", "chan receive"},
    {"runtime.chanrecv1", "chan receive"},
    {"runtime.chanrecv2", "chan receive"},
    {"runtime.selectgo", "select"},
    {"runtime.block", "select (no cases)"},
    {"sync.(*Mutex).lockSlow", "sync.Mutex.Lock"},
    {"sync.(*Mutex).Lock", "sync.Mutex.Lock"},
    {"sync.(*RWMutex).RLock", "sync.RWMutex.RLock"},
    {"sync.(*RWMutex).Lock", "sync.RWMutex.Lock"},
    {"sync.(*WaitGroup).Wait", "sync.WaitGroup.Wait"},
    {"sync.(*Cond).Wait", "sync.Cond.Wait"},
    {"time.Sleep", "sleep"},
    {"internal/poll.runtime_pollWait", "IO wait"},
    {"runtime.goparkunlock", ""},
    {"runtime.gopark", ""},
}};

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

}  // namespace

std::string_view blocking_operation(const Goroutine& g) {
  if (!g.state.empty()) return g.state;
  for (const Frame& f : g.frames) {
    for (const auto& [function, reason] : kByFunction)
      if (f.function == function && !reason.empty()) return reason;
    // Past the runtime and sync frames: the caller's own code says nothing more.
    const std::string_view fn = f.function;
    if (!starts_with(fn, "runtime.") && !starts_with(fn, "sync.") && !starts_with(fn, "internal/")) break;
  }
  return {};
}

bool waits_on_another_goroutine(std::string_view op) {
  return starts_with(op, "chan ") || starts_with(op, "select") || starts_with(op, "sync.") ||
         starts_with(op, "semacquire") || op == "sync.WaitGroup.Wait";
}

bool blocks_for_ever(std::string_view op) {
  return op == "chan send (nil chan)" || op == "chan receive (nil chan)" || op == "select (no cases)";
}

}  // namespace ctxtrail::snapshot
