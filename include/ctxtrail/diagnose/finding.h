/// A finding: one diagnosed problem (or a group of goroutines sharing its cause), with the
/// source locations that explain it. Field names follow docs/findings.md.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ctxtrail/model/frames.h"
#include "ctxtrail/trace/event.h"

namespace ctxtrail::diagnose {

enum class Severity : uint8_t { Info, Warning, Error };
std::string_view to_string(Severity s);

/// Location roles of docs/findings.md (fixed names).
namespace role {
inline constexpr std::string_view kCreation = "creation";
inline constexpr std::string_view kStart = "start";
inline constexpr std::string_view kBlock = "block";
inline constexpr std::string_view kRunning = "running";
inline constexpr std::string_view kCancel = "cancel";
inline constexpr std::string_view kContext = "context";
inline constexpr std::string_view kTest = "test";
/// The program's own line that led to a library's `go` statement (go-cache's janitor, started
/// in cache.go, by the user's cache.New call): innermost creation frame outside the Go
/// installation, the module cache and vendor directories, when the creation line is not it.
inline constexpr std::string_view kCaller = "caller";
}  // namespace role

struct Location {
  std::string role;
  model::SourceLoc where;
};

struct Finding {
  std::string rule;
  Severity severity = Severity::Error;
  std::string message;
  std::vector<trace::GoID> goroutines;
  int64_t count = 1;
  int64_t time_ns = 0;  // since the first event of the trace
  std::vector<Location> locations;
  std::vector<int32_t> waves;  // wave IDs (1-based)
  std::vector<model::SourceLoc> block_stack;  // full blocking stack, leaf first, when blocked
  /// Findings of one rule with equal keys are merged into one with a count.
  std::string group_key;
  /// A goroutine it names is proven leaked by a goroutine leak profile (the garbage collector
  /// found it unreachable): the finding is an error whatever its rule's severity.
  bool proven = false;
};

struct Options {
  int64_t grace_ns = 500'000'000;
  bool grace_given = false;  // --grace was given: leak rules use it as is on short traces too
  int64_t slow_ns = 50'000'000;
  int64_t slow_propagation_ns = 10'000'000;
  int64_t race_window_ns = 1'000'000;  // cancel-deadline-race
  bool include_runtime = false;
  std::vector<std::string> rules;  // empty: all
  /// goroutine-pileup (goroutine dumps and profiles without a trace): at least this many
  /// goroutines parked at one operation in the program's own code, the longest for at least
  /// pileup_wait_ns (dumps print waits in whole minutes; profiles print none).
  uint64_t pileup_count = 100;
  int64_t pileup_wait_ns = 10LL * 60 * 1'000'000'000;
  /// goroutine-growth: a stack that grew by at least this many goroutines between each two
  /// consecutive snapshots.
  uint64_t growth_count = 10;
};

}  // namespace ctxtrail::diagnose
