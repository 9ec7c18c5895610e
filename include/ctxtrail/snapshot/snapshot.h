/// Goroutine snapshots: what a goroutine dump (runtime.Stack(all), /debug/pprof/goroutine?debug=2,
/// a panic or `go test` timeout traceback, the leak profile's debug=2 text) or a pprof goroutine /
/// goroutineleak profile (protobuf, or debug=1 text) says about a process's goroutines at one
/// moment. The read stage for these inputs, beside trace/; the analysis stage joins them to a
/// trace (docs/architecture.md).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "ctxtrail/snapshot/string_store.h"
#include "ctxtrail/status.h"

namespace ctxtrail::snapshot {

/// One frame as the dump or profile names it. The names are views: a parsed Snapshot's point
/// into its `strings` (each distinct name kept once there), and they stay valid as long as that
/// Snapshot, or a copy of it, lives. A Frame made by hand may view string literals, or text kept
/// with Snapshot::keep; never a temporary std::string. Compare them with ==, print them with fmt,
/// copy them out with std::string(f.function).
struct Frame {
  std::string_view function;  // "main.worker", "net/http.(*conn).serve", "main.main.func1"
  std::string_view file;      // absolute path as printed; empty when unknown
  int64_t line = 0;           // 0 when unknown
};

/// One goroutine (dumps), or one stack with the number of goroutines that share it (profiles).
struct Goroutine {
  int64_t id = -1;        // goroutine ID; -1 when the input has none (profiles)
  /// The bracketed status of a dump header without its decorations: a wait reason ("chan
  /// receive", "select", "sync.WaitGroup.Wait", "IO wait", "sleep") or a status ("running",
  /// "runnable", "syscall"); empty for profiles.
  std::string state;
  int64_t wait_minutes = 0;        // ", 42 minutes"; 0 when not printed (under a minute)
  bool leaked = false;             // "(leaked)" in a dump, or any goroutine of a goroutineleak profile
  bool locked_to_thread = false;   // ", locked to thread"
  std::vector<std::pair<std::string, std::string>> labels;  // pprof labels, in input order
  std::vector<Frame> frames;       // leaf first
  Frame created_by;                // "created by F in goroutine N" and its file:line; empty function: none
  int64_t creator_id = -1;         // the N of "in goroutine N"; -1 when not printed
  uint64_t count = 1;              // goroutines with exactly this record (profiles); 1 in dumps
  uint64_t line = 0;               // 1-based line of the input where it began (text inputs); 0 otherwise
};

enum class Kind : uint8_t {
  Dump,           // text goroutine dump, possibly inside a larger text (go test output, a log)
  Profile,        // pprof goroutine profile (protobuf or debug=1 text)
  LeakProfile,    // pprof goroutineleak profile (protobuf or debug=1 text)
};
std::string_view to_string(Kind kind);

/// What surrounded a dump in a larger text: a `go test` timeout or a fatal error.
struct DumpContext {
  std::string panic;                       // "test timed out after 10m0s", "all goroutines are asleep - deadlock!"; empty: none
  bool fatal = false;                      // "fatal error: ..." rather than "panic: ..."
  std::vector<std::string> running_tests;  // `go test -timeout`: the tests still running ("TestX")
};

struct Snapshot {
  Kind kind = Kind::Dump;
  std::string source;                  // the file name, for messages
  std::vector<Goroutine> goroutines;   // in input order
  /// A dump with at least one "(leaked)" header: it came from the goroutineleak profile (debug=2).
  bool has_leak_marks = false;
  DumpContext context;
  /// When it was taken, in Unix nanoseconds; 0 when unknown. Dumps and profiles carry no time
  /// of their own (a profile's time_nanos aside): the analysis sets it from the file's
  /// modification time, which `ctxtrail capture` and a copy with `cp -p` keep.
  int64_t taken_at_ns = 0;
  /// The text the frames' names view, shared by copies of this Snapshot.
  std::shared_ptr<StringStore> strings = std::make_shared<StringStore>();

  /// `s` kept in `strings`, for frames built by hand: the view lives as long as the Snapshot.
  std::string_view keep(std::string_view s) { return strings->intern(s); }
};

/// Parses a text goroutine dump from `text` (a whole file's bytes). The dump may be embedded in
/// other text: lines outside goroutine blocks are skipped. Errors only when no goroutine block
/// is found at all, naming the line expected to hold one; a block cut off mid-way is kept with
/// the frames read so far. The Snapshot keeps its own copy of every name: `text` may go once it
/// returns (the same holds for parse_profile).
Result<Snapshot> parse_dump(std::string_view text, std::string source);

/// Parses a pprof goroutine or goroutineleak profile: gzip-compressed or plain protobuf
/// (profile.proto), or the debug=1 text form ("goroutine profile: total N" /
/// "goroutineleak profile: total N"). Errors name the byte offset (protobuf) or line (text).
Result<Snapshot> parse_profile(std::string_view bytes, std::string source);

/// Reads a file ("-": standard input), inflating gzip, and recognises by content which of the
/// above it is. A regular file is mapped, not copied, and its pages are let go as the parse goes
/// past them: a big dump is never resident whole. An input that is none of them is an Error
/// saying what was expected.
Result<Snapshot> read_snapshot(const std::string& path);

/// Whether `head` (the first bytes of an input, after gzip inflation) looks like a Go execution
/// trace rather than a snapshot ("go 1.NN trace\0\0\0").
bool looks_like_trace(std::string_view head);

}  // namespace ctxtrail::snapshot
