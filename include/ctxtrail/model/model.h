/// The goroutine-lifecycle model of one trace: every goroutine's life, the cancel waves and
/// the termination DAG. Built in one pass over the events; keeps summaries and IDs, not events.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "ctxtrail/model/frames.h"
#include "ctxtrail/model/small_vector.h"
#include "ctxtrail/model/watcher_table.h"
#include "ctxtrail/snapshot/snapshot.h"
#include "ctxtrail/status.h"
#include "ctxtrail/trace/event.h"
#include "ctxtrail/trace/id_index.h"
#include "ctxtrail/trace/tables.h"

namespace ctxtrail::model {

using trace::GoID;
using trace::GoState;
using trace::kNoGoroutine;

inline constexpr int32_t kNone = -1;

/// Why a goroutine is never a finding by itself (unless --include-runtime).
enum class GoKind : uint8_t {
  User,        // user code, or library code started from user code
  Main,        // the program's main goroutine (goid 1)
  Runtime,     // runtime-internal, or library goroutines started by library code only
  Testing,     // the testing package's own goroutines
  TestRunner,  // a testing.tRunner goroutine: runs one test or subtest
  Service,     // the Go runtime's own service goroutines (GC workers, finalizers and cleanups, the
               // signal loop, the tracer's reader): alive for the process's life by design, so
               // never reported, not even under --include-runtime
};
std::string_view to_string(GoKind kind);

/// One state interval of one goroutine. Recorded only for goroutines asked for
/// (ModelOptions), because a big trace has tens of millions of them.
struct Interval {
  int64_t begin = 0;
  int64_t end = -1;  // -1: still in this state at trace end
  GoID g = kNoGoroutine;
  GoState state = GoState::Undetermined;
  StringID reason = 0;
  StackID stack = 0;           // blocking / syscall / preemption stack
  GoID waker = kNoGoroutine;   // Waiting intervals: who unblocked it at `end`
  StackID waker_stack = 0;
};

/// A wake: who made a goroutine runnable, and whether that was a cancel wave's wake.
struct Wake {
  int64_t time = -1;
  GoID waker = kNoGoroutine;
  StackID stack = 0;
  int32_t wave = kNone;  // the wave whose cancel call did it, if any
};

/// Wakes of one goroutine by its own timers (no goroutine of the program woke it: a timer
/// channel, a ticker, time.Sleep) from a channel, select or sleep wait. Kept beside the
/// goroutines, for the few that have any.
struct TimerWakes {
  uint32_t count = 0;
  /// How many came after its creator or the test it descends from had ended, and after the
  /// call that started it returned (starter_returned_at), its creator alive; and when the
  /// first of each came.
  uint32_t after_owner = 0;
  uint32_t after_starter = 0;
  int64_t first_after_owner = -1;
  int64_t first_after_starter = -1;
  int64_t last = -1;
};

struct Goroutine {
  GoID id = kNoGoroutine;
  GoID creator = kNoGoroutine;   // kNoGoroutine: unknown (existed at trace start) or no G
  StackID creation_stack = 0;    // the creator's stack at the `go` statement
  StackID start_stack = 0;       // one frame: the start function
  int64_t created_at = -1;       // -1: existed when the trace started
  /// When the call that started it returned in its creator: the function holding its `go`
  /// statement (FrameClassifier::creation_frame) was first off the creator's stack at a park of
  /// the creator, or the creator ended; -1: not seen (still in that call, or unknown). A
  /// connection's goroutine serving request after request starts each request's goroutines in
  /// one call of the handler: they share this time, and the goroutines of other calls do not.
  int64_t starter_returned_at = -1;
  int64_t first_seen = 0;
  int64_t ended_at = -1;         // -1: alive at trace end
  GoState state = GoState::Undetermined;  // current (at trace end: last) state
  // The one-byte fields beside `state`, in the padding before `reason` (a million goroutines
  // is a sixth of a gigabyte: each 8 bytes a goroutine is 8 MB).
  GoKind kind = GoKind::User;
  bool has_intervals = false;
  /// A goroutine leak profile of the process marks it leaked: the garbage collector proved it
  /// unreachable (model/snapshot_join.h).
  bool proven_leaked = false;
  StringID reason = 0;           // reason of the current Waiting state
  StackID state_stack = 0;       // stack of the current Waiting/Syscall state
  StackID last_stack = 0;        // last stack seen for this goroutine (its end stack if ended)
  int64_t state_since = 0;
  int64_t last_stack_at = -1;
  GoID test_root = kNoGoroutine; // the testing.tRunner goroutine it descends from
  int32_t created_by_wave = kNone;   // spawned inside a cancel call (context.AfterFunc)
  int32_t watch = kNone;         // its latest Watcher record
  int32_t last_wave_made = kNone;    // the latest wave it cancelled
  int32_t wake_history = kNone;  // its WakeHistory in Model::wake_histories, if anything woke it
};

/// What wakes did to one goroutine (Model::wakes_of). Kept beside the goroutines for those that
/// were ever woken: the million goroutines of a busy test that start, cancel and end without
/// ever blocking need none (56 bytes each).
struct WakeHistory {
  Wake last_wake;                // the most recent deciding wake: cancel waves and other
                                 // goroutines; not timers or the netpoller
  GoID wait_waker = kNoGoroutine;  // who woke it before its current wait began
  /// The last wake no goroutine of the program made: a timer, the netpoller (I/O ready), the
  /// garbage collector; -1: none.
  int64_t last_system_wake = -1;
  /// The last few distinct parked stacks another goroutine (not a cancel, timer or the
  /// netpoller) woke it from.
  std::array<StackID, 4> sites_woken_from{};
  int32_t timer_wakes = kNone;   // its TimerWakes in Model::timer_wakes, if a timer woke it
};

/// One cancel call and the goroutines it woke.
struct CancelWave {
  int32_t id = 0;              // 1-based, in time order
  StackID stack = 0;           // the cancelling stack
  int32_t parent = kNone;      // the wave whose watcher (or AfterFunc) made this cancel call
  int32_t prev_by_canceller = kNone;
  int64_t time = 0;            // the first wake of the call
  int64_t last_wake = 0;
  GoID canceller = kNoGoroutine;
  int64_t parent_gap = 0;      // from that watcher's wake (or spawn) to this cancel call
  SmallVector<int32_t, 2> watchers;  // indexes into Model::watchers
  /// Its goroutines started by the cancel call (AfterFunc) in Model::spawned, if it started any:
  /// few waves do, so a million waves keep an index, not a vector each (Model::spawned_by).
  int32_t spawns = kNone;
  bool timer = false;          // fired by a deadline timer (WithTimeout/WithDeadline)
};

/// Nodes are goroutine ends and cancel calls; every node has at most one incoming edge: the
/// event that decided when it happened. So the DAG is a forest ordered in time.
struct DagNode {
  enum Kind : uint8_t { End, Cancel };
  DagNode() = default;
  DagNode(Kind k, int64_t t, GoID goroutine, int32_t w) : kind(k), wave(w), time(t), g(goroutine) {}
  // A value TerminationDag::node works out from a wave or a goroutine record, not stored.
  Kind kind = End;
  int32_t wave = kNone;       // Cancel nodes
  int64_t time = 0;
  GoID g = kNoGoroutine;      // the goroutine that ended / that called cancel
};
struct DagEdge {
  /// After: from a cancel call to the end of a goroutine nothing woke that ended after it and
  /// is kin to it (started by the canceller, or a sibling of a goroutine the call woke): it
  /// noticed the cancel on its own, polling ctx.Err() or between sleeps.
  /// Woken: from a cancel call to the end of a goroutine it woke that went on and ended later,
  /// after wakes the DAG traces to no node (by a goroutine that had neither ended nor cancelled
  /// by then, or a timer) and with no After edge.
  enum Kind : uint8_t { Spawn, Wake, Cancel, After, Woken } kind = Wake;
  int32_t from = kNone;
  int32_t to = kNone;
  int64_t time = 0;           // when the spawn / wake / cancel-wake happened
};
std::string_view to_string(DagEdge::Kind kind);

/// One list of edge indexes per wave, stored end to end: a million waves cost two integers
/// each and their edges, not a vector apiece.
class PathTable {
 public:
  PathTable() = default;
  /// Tests: the paths as lists.
  PathTable(std::initializer_list<std::vector<int32_t>> paths) {
    for (const auto& p : paths) add(p);
  }
  void add(std::span<const int32_t> path) {
    edges_.insert(edges_.end(), path.begin(), path.end());
    ends_.push_back(static_cast<uint32_t>(edges_.size()));
  }
  size_t size() const { return ends_.size(); }
  bool empty() const { return ends_.empty(); }
  std::span<const int32_t> operator[](size_t w) const {
    const uint32_t begin = w == 0 ? 0 : ends_[w - 1];
    return {edges_.data() + begin, ends_[w] - begin};
  }
  struct Iterator {
    const PathTable* table;
    size_t w;
    std::span<const int32_t> operator*() const { return (*table)[w]; }
    Iterator& operator++() {
      ++w;
      return *this;
    }
    bool operator!=(const Iterator& o) const { return w != o.w; }
  };
  Iterator begin() const { return {this, 0}; }
  Iterator end() const { return {this, size()}; }

 private:
  std::vector<int32_t> edges_;
  std::vector<uint32_t> ends_;  // per wave: one past its last edge in edges_
};

struct Model;

/// The nodes are not stored: node w < waves is wave w's cancel call and the rest are ends of
/// goroutine records, each worked out from its wave or record when asked (node()). Two million
/// nodes on chi's trace cost 4 bytes per end, not 24 per node and 4 for an incoming edge.
struct TerminationDag {
  size_t waves = 0;                    // Cancel nodes: one per wave, in wave order, first
  std::vector<uint32_t> end_records;   // End nodes, after them: their Model::goroutines index
  std::vector<DagEdge> edges;
  size_t node_count() const { return waves + end_records.size(); }
  /// Node n of the model m the DAG was built from.
  DagNode node(const Model& m, int32_t n) const;
  /// Node n's incoming edge, or kNone (few nodes have one: an array sorted by node).
  int32_t in_edge(int32_t n) const;
  /// (node, edge) for every edge, sorted by node.
  std::vector<std::pair<int32_t, int32_t>> in_edges;
  /// Every edge goes from an earlier (or equal) node to a later one and there is no cycle.
  bool acyclic = true;
  /// Per wave (index = wave id - 1): edges from the cancel call to the last goroutine
  /// that ended downstream of it, in order.
  PathTable critical_path;
  int32_t node_of_wave(int32_t wave_index) const;
};

struct ModelOptions {
  /// Record state intervals for these goroutines only (lifecycle); empty: none.
  std::vector<GoID> intervals_for;
  bool all_intervals = false;
  /// When set, each recorded interval goes here once closed (per goroutine in time order;
  /// those still open at trace end, with end -1, from finish()) instead of into
  /// Model::intervals: a renderer can then reduce them as they come (render/interval_budget).
  std::function<void(const Interval&)> interval_sink;
};

/// A goroutine (or, from a profile, a stack of `count` goroutines) that a snapshot marks leaked
/// and that the trace does not hold alive, or not so that one can tell which: reported from the
/// snapshot.
struct SnapshotLeak {
  const snapshot::Goroutine* record = nullptr;  // owned by the Snapshot, which outlives the model's use
  uint64_t count = 1;                           // goroutines of record not matched in the trace
  const snapshot::Snapshot* from = nullptr;
  /// A profile (no IDs) whose stack more goroutines of the trace are parked at than it marks
  /// leaked: `count` of these are, and nothing says which.
  std::vector<GoID> candidates;
};

struct SnapshotJoin {
  size_t leaked = 0;             // goroutines the snapshots mark leaked
  size_t leaked_in_trace = 0;    // of which the model holds alive at its end (proven_leaked set)
  size_t matched_by_id = 0;      // snapshot goroutines found in the model by ID
  size_t ids_not_in_trace = 0;   // snapshot goroutines with an ID the model never saw
  std::vector<SnapshotLeak> unjoined;  // leaked, not in the trace
  std::vector<size_t> leaked_in_trace_by_snapshot;  // per join_snapshot call, in order
  /// Every snapshot joined, in order (owned by the analysis, which outlives the model's use):
  /// the rules that read a dump's groups, its panic or its running tests.
  std::vector<const snapshot::Snapshot*> joined;
  /// The dump record of each goroutine of the trace a dump marks leaked (by ID): where the
  /// snapshot, taken at or after the trace's end, found it.
  std::unordered_map<GoID, const snapshot::Goroutine*> leaked_records;
};

struct Model {
  std::vector<Goroutine> goroutines;            // in order of first appearance
  trace::IdIndex index;                         // latest record of each ID (small IDs: a plain table)
  std::vector<Interval> intervals;              // grouped by goroutine, in time order
  std::vector<CancelWave> waves;
  WatcherTable watchers;                        // packed once they change no more
  std::vector<WakeHistory> wake_histories;      // Goroutine::wake_history indexes these
  std::vector<TimerWakes> timer_wakes;          // WakeHistory::timer_wakes indexes these
  std::vector<std::vector<GoID>> spawned;       // CancelWave::spawns indexes these
  TerminationDag dag;
  int64_t trace_begin = 0;
  int64_t trace_end = 0;
  bool test_trace = false;                      // some goroutine runs testing.tRunner
  SnapshotJoin snapshots;                       // what the joined dumps and profiles said
  uint64_t events = 0;

  const Goroutine* find(GoID g) const;
  /// Its timer wakes (all zero when no timer woke it).
  const TimerWakes& timers_of(const Goroutine& g) const {
    static const TimerWakes kNoWakes;
    const int32_t t = wakes_of(g).timer_wakes;
    return t == kNone ? kNoWakes : timer_wakes[static_cast<size_t>(t)];
  }
  /// What woke it (no wake at all when nothing did).
  const WakeHistory& wakes_of(const Goroutine& g) const {
    static const WakeHistory kNeverWoken;
    return g.wake_history == kNone ? kNeverWoken : wake_histories[static_cast<size_t>(g.wake_history)];
  }
  std::vector<const Interval*> intervals_of(GoID g) const;
  /// The goroutines w's cancel call started (AfterFunc), in order.
  std::span<const GoID> spawned_by(const CancelWave& w) const {
    if (w.spawns == kNone) return {};
    return spawned[static_cast<size_t>(w.spawns)];
  }
};

/// Consumes events in global order and builds the Model.
class ModelBuilder {
 public:
  explicit ModelBuilder(FrameClassifier& frames, ModelOptions options = {});
  ~ModelBuilder();
  void on_event(const trace::Event& ev);
  /// Closes open states at the last event's time and computes the DAG.
  Model finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

/// Builds the termination DAG and its critical paths from a finished model.
TerminationDag build_dag(const Model& model);

}  // namespace ctxtrail::model
