/// The exact context tree of a trace written with the Go package `trail`: every traced
/// context, its parent, kind, deadline, creation and cancel sites, cause, and the goroutines
/// that watched it, saw its error or called its cancel func late; linked to the goroutine
/// lifecycles and cancel waves of the Model. Built from the `ctxtrail` log events.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "ctxtrail/model/context_events.h"
#include "ctxtrail/model/model.h"
#include "ctxtrail/model/remote_links.h"

namespace ctxtrail::model {

/// One goroutine's use of a context: a watch (Done()), an errseen (Err() != nil) or a late
/// cancel call. `ended_at` comes from the goroutine's lifecycle (-1: alive at trace end).
struct ContextUse {
  GoID g = kNoGoroutine;
  int64_t time = 0;
  SourceLoc site;
  std::string err;       // errseen, late
  int64_t ended_at = -1;
};

/// A trail.AfterFunc registration and when its function started.
struct AfterFuncUse {
  uint64_t after_id = 0;
  GoID g = kNoGoroutine;
  int64_t time = 0;
  SourceLoc site;
  int64_t ran_at = -1;
  GoID ran_by = kNoGoroutine;
};

/// How a context became done (its one `cancel` event).
struct ContextDone {
  int64_t time = 0;            // the event's time (an upper bound for parent/deadline)
  GoID g = kNoGoroutine;       // who wrote it (the cancel func's caller for `own`)
  std::string reason;          // own, parent, deadline
  uint64_t from = 0;           // parent: the done traced ancestor
  std::string err;             // canceled, deadline
  bool raced = false;          // flag r: the deadline won against the cancel func
  bool by_ancestor = false;    // flag w: written where `from`'s own cancel event was recorded
  SourceLoc site;              // own: the cancel func's call site
  std::string cause;
  int32_t wave = kNone;        // the Model's cancel wave of this cancellation, if found
};

struct Context {
  uint64_t id = 0;
  uint64_t parent = 0;                 // nearest traced ancestor's id, 0 for none
  int32_t parent_index = kNone;        // index into ContextTree::contexts
  std::vector<int32_t> children;       // indexes, in creation order
  bool known = true;                   // false: referenced but its `new` is not in the trace
  std::string kind;                    // background, todo, cancel, ... ("" when unknown)
  int64_t deadline = 0;                // requested deadline, ns since the Unix epoch; 0 none
  std::string flags;                   // u n d e
  uint64_t ambient = 0;
  SourceLoc site;                      // creation site
  int64_t created_at = -1;
  GoID created_by = kNoGoroutine;
  int64_t creator_ended = -1;          // from the model: when the creating goroutine ended
  std::optional<ContextDone> done;
  std::vector<ContextUse> watches, errseens, lates;
  std::vector<AfterFuncUse> afters;

  bool has_flag(char f) const { return flags.find(f) != std::string::npos; }
  /// Has a cancel func (cancel, cancelcause, timeout*, deadline*).
  bool cancelable() const;
  /// Its own deadline timer can end it (timeout*, deadline* without flag e).
  bool timer_based() const;
  /// Background, TODO, WithoutCancel.
  bool never_cancelled() const;
  /// Done by its own cancel func, or the cancel func was called late.
  bool cancel_called() const { return (done && done->reason == "own") || !lates.empty(); }
};

/// Recoverable oddities of the ctxtrail events, as a table (name, description).
#define CTXTRAIL_CONTEXT_ODDITIES(X)                                                        \
  X(malformed, "ctxtrail messages that do not parse (counted and skipped)")                 \
  X(unknown_event, "ctxtrail messages of an unknown (newer) event, ignored")                \
  X(duplicate_new, "new events for an id already created")                                  \
  X(unknown_context, "events about a context whose new event is not in the trace")          \
  X(missing_parent, "contexts whose parent's new event is not in the trace")                \
  X(duplicate_cancel, "second cancel events of one context")                                \
  X(unknown_afterfunc, "afterrun events without their after registration")                \
  X(internal_use, "watch/errseen events with no user frame (runtime.* site), ignored")

enum class ContextOddity : uint8_t {
#define CTXTRAIL_X(name, desc) name,
  CTXTRAIL_CONTEXT_ODDITIES(CTXTRAIL_X)
#undef CTXTRAIL_X
      kCount
};
inline constexpr size_t kNumContextOddities = static_cast<size_t>(ContextOddity::kCount);
std::string_view to_string(ContextOddity o);
std::string_view describe(ContextOddity o);

/// p50/p99/max of a set of durations.
struct Distribution {
  size_t count = 0;
  int64_t p50 = 0, p99 = 0, max = 0;
};
Distribution distribution(std::vector<int64_t> values);

struct ContextTree {
  std::vector<Context> contexts;                 // in order of first mention
  std::unordered_map<uint64_t, int32_t> index;   // id -> index
  std::array<uint64_t, kNumContextOddities> oddities{};
  std::string first_malformed;                   // the first malformed message and why
  uint64_t events = 0;                           // ctxtrail messages seen
  /// trace time = Unix time + wall_offset, estimated from deadline cancellations (the
  /// earliest observation of each); empty when no deadline fired.
  std::optional<int64_t> wall_offset;
  /// The version 2 events: this process's identity and its halves of cross-process requests.
  RemoteLinks remote;

  bool empty() const { return events == 0; }
  const Context* find(uint64_t id) const;
  const Context* parent_of(const Context& c) const;
  /// The own cancel (or deadline) that started the chain of `parent` cancellations ending at
  /// c: c itself when it was not done by its parent.
  const Context* origin_of(const Context& c) const;
  /// A requested deadline in trace time, when the offset is known.
  std::optional<int64_t> deadline_in_trace(const Context& c) const;
  /// Propagation latency of the edge parent -> c: c done by `parent` after `from` was done.
  std::optional<int64_t> propagation(const Context& c) const;
  /// p50/p99/max of propagation() over every edge that has one.
  Distribution propagation_latencies() const;
  uint64_t oddity(ContextOddity o) const { return oddities[static_cast<size_t>(o)]; }
};

/// Consumes trace events in order (only `ctxtrail` Log events matter) and builds the tree.
class ContextTreeBuilder {
 public:
  explicit ContextTreeBuilder(const trace::StringTable& strings);
  ~ContextTreeBuilder();
  void on_event(const trace::Event& ev);
  /// Adds one decoded message as if logged at `time` by `g` (tests, and on_event).
  void on_message(std::string_view message, int64_t time, GoID g);
  /// Links the contexts to the model (goroutine ends, cancel waves) and answers the tree.
  ContextTree finish(const Model& m);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ctxtrail::model
