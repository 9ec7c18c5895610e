/// Classifies stacks and frames: user code or not, the top user frame, context-cancel stacks,
/// and wait reasons inferred from a parked stack. Answers are cached per StackID.
#pragma once

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "ctxtrail/trace/tables.h"

namespace ctxtrail::model {

using trace::StackID;
using trace::StringID;

/// A resolved source location (strings owned, so findings outlive the reader).
struct SourceLoc {
  std::string function;
  std::string file;
  uint64_t line = 0;
  bool empty() const { return function.empty(); }
};

/// The companion Go module's drop-in for `context`: plumbing in stacks, and its own short-lived
/// logger goroutines are internal.
inline constexpr std::string_view kTrailPackage = "github.com/ctxtrail/ctxtrail/go/trail";

/// The package path of a Go function symbol: "net/http.(*conn).serve" -> "net/http".
std::string_view package_of(std::string_view func);
/// True for frames that are not "user" frames in docs/findings.md's sense: runtime, runtime/*,
/// context, sync, sync/atomic, time, internal/*, testing, and kTrailPackage.
bool is_plumbing_package(std::string_view pkg);
/// True for a package of the standard library, by its path (for frames that carry no GOROOT
/// file to tell, as in goroutine profiles).
bool is_stdlib_package(std::string_view pkg);
/// True for the start function of one of the Go runtime's own service goroutines (GoKind::Service):
/// package runtime or runtime/* (GC workers, sweeper, finalizers, cleanups, the tracer's and the
/// CPU profiler's readers) and os/signal's loop.
bool is_runtime_service(std::string_view start_function);
/// Parking wait reasons: channel, select, mutex/WaitGroup ("sync"), condition, forever.
bool is_parking_reason(std::string_view reason);

class FrameClassifier {
 public:
  FrameClassifier(const trace::StringTable& strings, const trace::StackTable& stacks)
      : strings_(strings), stacks_(stacks) {}

  struct StackInfo {
    int32_t top_user = -1;       // index (leaf first) of the top user frame, -1 if none
    int32_t top_app = -1;        // index of the first frame outside the Go installation, -1 if none
    bool context_leaf = false;   // leaf (after runtime frames) is in package context
    bool cancel = false;         // context_leaf, and a context cancel method is on the stack
    bool has_user = false;       // some frame is user code
    bool stdlib_only = true;     // every frame lives under GOROOT (or stdlib by name)
    bool gc_leaf = false;        // runtime_gc_leaf(): kept here because every wake asks it
    uint64_t cancel_root = 0;    // context_leaf: hash of the frames from the first non-context
                                 // frame to the root
  };

  const StackInfo& info(StackID id);
  /// Function name of the top user frame (0 if none).
  StringID top_user_function(StackID id);
  SourceLoc top_user_location(StackID id);
  /// The innermost frame of the program's own code (not the standard library: a goroutine
  /// blocked in net.(*conn).Read is blocked at the user's line that called it), else the top
  /// user frame.
  SourceLoc app_location(StackID id);
  /// Leaf-most frame at all (for stacks with no user frame, e.g. the deadline timer's).
  SourceLoc leaf_location(StackID id);
  SourceLoc outermost_location(StackID id);
  bool contains_function(StackID id, StringID func) const;
  /// The frame called by testing.tRunner (the test function or subtest closure), if any.
  SourceLoc test_frame(StackID id) const;
  bool has_function_prefix(StackID id, std::string_view prefix) const;
  /// Index (leaf first) of a creation stack's frame that holds the program's `go` statement:
  /// the top user frame, or past launch helpers (errgroup's Go, sync.(*WaitGroup).Go) the frame
  /// that called them; -1 if none.
  int32_t creation_frame(StackID id);
  /// The stack's leaf is the garbage collector's (runtime.gc*: gcMarkDone, gcStart, ...).
  bool runtime_gc_leaf(StackID id) const;
  /// True if the frame is standard library code (under GOROOT, or a dotless package path when
  /// GOROOT is not known yet).
  bool is_stdlib(const trace::Frame& f);
  /// The same for a file alone (false while GOROOT is not known yet).
  bool is_stdlib_file(std::string_view file) const;
  /// A wait reason inferred from a parked goroutine's stack, for status events without one.
  std::string_view infer_reason(StackID id) const;
  std::string_view str(StringID id) const { return strings_.get(id); }
  SourceLoc location(const trace::Frame& f) const;
  const trace::StackTable& stacks() const { return stacks_; }
  /// Whether the Go installation's source directory is learnt (it never changes after): what
  /// is_stdlib answers for a frame no longer depends on the frames seen before.
  bool knows_goroot() const { return !goroot_src_.empty(); }
  const trace::StringTable& strings() const { return strings_; }

 private:
  void learn_goroot(const trace::Frame& f);

  const trace::StringTable& strings_;
  const trace::StackTable& stacks_;
  // Each stack's info, worked out once. info() runs on most events: a table by stack ID (the
  // reader's IDs are dense) and not a hash lookup each, which was 4% of `analyze` on chi's trace.
  // A deque, so that the references info() answers stay valid as it grows; IDs past the table's
  // stacks go to the map.
  std::deque<StackInfo> infos_;
  std::vector<uint32_t> info_at_;  // per stack ID: one past its entry in infos_, 0: not yet
  std::unordered_map<StackID, StackInfo> cache_;
  std::string goroot_src_;  // ".../src/" of the Go installation, learnt from runtime frames
};

}  // namespace ctxtrail::model
