/// The `ctxtrail` user-log messages written by the Go package `trail` (docs/trail-events.md,
/// encoding version 2: version 1 plus the cross-process events), decoded one message at a time. Pure text: no trace, no model.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "ctxtrail/model/frames.h"

namespace ctxtrail::model {

/// The log category every trail event is written under.
inline constexpr std::string_view kTrailCategory = "ctxtrail";

/// The first token of a message. Order is the spec's event table.
enum class TrailEventKind : uint8_t {
  New, Cancel, Watch, ErrSeen, Late, After, AfterRun,
  Proc, Send, Abort, Remote, RemoteCancel,  // version 2: across processes
};
std::string_view to_string(TrailEventKind kind);

/// One decoded message. Which fields mean something depends on `kind` (as in the spec's
/// table); strings are unescaped, "-" flags are empty.
struct TrailEvent {
  TrailEventKind kind = TrailEventKind::New;
  uint64_t id = 0;        // the context id (after/afterrun: ctxid)
  uint64_t parent = 0;    // new
  std::string ctx_kind;   // new: background, todo, cancel, ...
  int64_t deadline = 0;   // new: ns since the Unix epoch, 0 for none
  std::string flags;      // new, cancel
  uint64_t ambient = 0;   // new
  std::string reason;     // cancel: own, parent, deadline
  uint64_t from = 0;      // cancel
  std::string err;        // cancel, errseen, late: canceled, deadline or an error text
  std::string cause;      // cancel
  uint64_t after_id = 0;  // after, afterrun
  SourceLoc site;         // new, cancel, watch, errseen, late, after
  // Version 2 (across processes). `id` is send/abort's ctxid and remote/remotecancel's id;
  // `deadline` is the deadline sent or received, `flags` remote's, `err`/`cause` abort's and
  // remotecancel's.
  uint64_t req_id = 0;     // send, abort, remote, remotecancel
  uint64_t proc_id = 0;    // proc: this process; remote: the caller's
  uint64_t version = 0;    // proc
  std::string name, host;  // proc
  uint64_t pid = 0;        // proc
  int64_t wall = 0;        // proc: ns since the Unix epoch, read with `mono`
  int64_t mono = 0;        // proc
  std::string transport;   // send, remote: http, grpc, k8s
  uint64_t dest = 0;       // send: the callee's procid when known
  int64_t timeout = 0;     // send, remote: ns left until the deadline at `sent`
  int64_t sent = 0;        // send, remote, remotecancel: wall clock stamped by the caller
  std::string target;      // send, remote
  uint64_t remote_ctx = 0; // remote: the caller's context id
  std::string how;         // remotecancel: close, reset, annotation
};

/// What parse_trail_message made of a message.
enum class TrailParse : uint8_t {
  Ok,
  Unknown,    // first token not an event of version 2: ignored (forward compatibility)
  Malformed,  // a known event with missing or bad fields
};

struct TrailParseResult {
  TrailParse status = TrailParse::Ok;
  TrailEvent event;
  std::string problem;  // Malformed: what was wrong ("field 3 (parent): not a number")
};

/// Decodes one message. Fields beyond the listed ones are ignored.
TrailParseResult parse_trail_message(std::string_view message);

/// Decodes a `str` field: "-" is empty, %XX is the byte 0xXX. Nothing on a bad escape
/// (truncated, or not two hex digits).
std::optional<std::string> unescape_trail_string(std::string_view field);

}  // namespace ctxtrail::model
