/// The ordering state machine: emulates the Go scheduler's G/P/M states, sequence numbers,
/// GC and range state to validate each event and to decide whether it may come next, as
/// Go's order.go does. Handlers sit in a table indexed by wire event type; each answers
/// advanced (events queued), not yet (try another M), or error.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "ctxtrail/trace/event.h"
#include "trace/batch_cursor.h"
#include "ctxtrail/trace/id_index.h"
#include "trace/generation.h"
#include "trace/interned_tables.h"

namespace ctxtrail::trace {

struct SchedCtx {
  int64_t g = -1;
  int64_t p = -1;
  int64_t m = -1;
};

/// An event accepted by the ordering, with the context it happened in. Some handlers smuggle
/// extra data into arguments past the spec's (as Go does): see order.cc.
struct QueuedEvent {
  RawEvent base;
  SchedCtx ctx;
  uint64_t offset = 0;  // input offset of the wire event it came from, for errors
};

struct MState {
  int64_t g = -1;
  int64_t p = -1;
};

class Ordering {
 public:
  enum Outcome : int { kError = -1, kNotYet = 0, kAdvanced = 1 };

  Ordering();

  /// Tries to advance the event at the head of `cursor` from generation `gen`.
  Outcome advance(RawEvent& ev, const Generation& gen, BatchCursor& cursor, std::string* err);

  struct HotView;
  /// Whether the hot path may run: the general path has seen the first event.
  bool hot_ready() const { return initial_gen_ != 0; }
  /// The tables the hot path reads, valid until the general path runs again.
  [[gnu::always_inline]] inline HotView hot_view(const Generation& gen, StringID heap_alloc_metric);
  /// The hot path (order_hot.h): advances the head of `cursor` straight into `out` when it is
  /// one of the common scheduler events and may go now; kDeclined, with nothing changed, otherwise.
  /// Outcome of advance_hot(): kAdvancedTablesMoved when the event added a goroutine, so that
  /// `v` is stale and the run must take a new view before its next event.
  enum class Hot { kDeclined, kAdvanced, kAdvancedTablesMoved };
  [[gnu::always_inline]] inline Hot advance_hot(BatchCursor& cursor, const HotView& v, Event& out);
  /// advance_hot() for the hot events after goroutine start, block, stop and unblock (syscalls,
  /// goroutine create and destroy, HeapAlloc, procs): out of line, so that the loop around
  /// the four most common ones stays small (inlined, they made the busy trace 12% slower).
  Hot advance_hot_rest(BatchCursor& cursor, const HotView& v, Event& out);

  bool has_next() const { return head_ != tail_; }
  /// Pops the next queued event; has_next() must be true. The reference stays valid until
  /// the next advance().
  const QueuedEvent& pop() { return queue_[head_++ & (kQueueSize - 1)]; }

  /// The scheduler state, for "failed to advance" messages.
  std::string dump() const;

  struct SeqCounter {
    uint64_t gen = 0;
    uint64_t seq = 0;
    /// The next number after `prev` in the same generation: the event may happen now.
    bool follows(SeqCounter prev) const { return gen == prev.gen && seq == prev.seq + 1; }
  };
  struct RangeType {
    uint8_t typ = 0;
    uint64_t desc = 0;  // STW kind: a wire string ID of the generation that began the range
    bool operator==(const RangeType&) const = default;
  };
  struct Region {
    uint64_t task = 0;
    StringID name = 0;
    bool operator==(const Region&) const = default;
  };
  /// What every scheduler event of a goroutine reads and writes: 32 bytes, so the states of
  /// thousands of goroutines stay in the first-level cache.
  struct GState {
    int64_t id = 0;
    uint8_t status = 0;
    SeqCounter seq;
  };
  /// What only annotation events touch, kept apart from GState (same slot index).
  struct GAnnotations {
    std::vector<Region> regions;
    std::vector<RangeType> ranges;
  };
  struct PState {
    int64_t id = 0;
    uint8_t status = 0;
    SeqCounter seq;
    std::vector<RangeType> ranges;
  };

 private:
  struct Step {
    RawEvent& ev;
    const Generation& gen;
    SchedCtx cur;   // the context the event is queued with
    SchedCtx next;  // the M's context afterwards
    std::string* err;
  };
  using Handler = Outcome (Ordering::*)(Step&);
  static const std::array<Handler, 256> kDispatch;

  Outcome proc_status(Step&);
  Outcome proc_start(Step&);
  Outcome proc_stop(Step&);
  Outcome proc_steal(Step&);
  Outcome go_status(Step&);
  Outcome go_create(Step&);
  Outcome go_create_syscall(Step&);
  Outcome go_start(Step&);
  Outcome go_stop_exec(Step&);
  Outcome go_destroy_syscall(Step&);
  Outcome go_unblock(Step&);
  Outcome go_switch(Step&);
  Outcome go_syscall_begin(Step&);
  Outcome go_syscall_end(Step&);
  Outcome go_syscall_end_blocked(Step&);
  Outcome gc_active(Step&);
  Outcome gc_begin(Step&);
  Outcome gc_end(Step&);
  Outcome gc_sweep_begin(Step&);
  Outcome gc_sweep_active(Step&);
  Outcome gc_sweep_end(Step&);
  Outcome go_range_begin(Step&);
  Outcome go_range_active(Step&);
  Outcome go_range_end(Step&);
  Outcome annotation(Step&);
  Outcome heap_metric(Step&);
  Outcome user_task_begin(Step&);
  Outcome user_task_end(Step&);
  Outcome user_region_begin(Step&);
  Outcome user_region_end(Step&);
  /// What region begin and end both check: a running goroutine, the region's name string and
  /// the goroutine's state. kAdvanced when all hold.
  Outcome region_subject(Step&, uint32_t* name, GState** gs);
  Outcome alloc_free(Step&);

  GState* find_g(int64_t id);
  GState& add_g(int64_t id, uint8_t status, SeqCounter seq);
  GAnnotations& notes(const GState* gs) { return g_notes_[static_cast<size_t>(gs - g_pool_.data())]; }
  void remove_g(int64_t id);
  PState* find_p(int64_t id);
  /// The M's current goroutine, which must exist and be in `status`; null with the error set.
  GState* current_g(Step& s, uint8_t status);
  /// The M's current P, which must exist; null with the error set.
  PState* current_p(Step& s);
  PState& add_p(int64_t id, uint8_t status, SeqCounter seq);

  void push(const RawEvent& ev, const SchedCtx& ctx) {
    QueuedEvent& q = queue_[tail_++ & (kQueueSize - 1)];
    q.base = ev;
    q.ctx = ctx;
  }
  Outcome fail(Step& s, std::string msg) {
    *s.err = std::move(msg);
    return kError;
  }
  std::string_view name_of(uint8_t type) const;

  enum class GcState : uint8_t { Undetermined, NotRunning, Running };
  struct TaskState {
    StringID name = 0;
    uint64_t parent = 0;
  };

  IdIndex g_index_;
  std::vector<GState> g_pool_;
  std::vector<GAnnotations> g_notes_;  // parallel to g_pool_
  std::vector<uint32_t> g_free_;
  IdIndex p_index_;
  std::vector<PState> p_pool_;
  std::unordered_map<int64_t, MState> m_states_;
  std::unordered_map<uint64_t, TaskState> active_tasks_;
  uint64_t gc_seq_ = 0;
  GcState gc_state_ = GcState::Undetermined;
  uint64_t initial_gen_ = 0;
  // One advance queues at most three events (GoSwitch), and the reader drains the queue
  // before the next advance: a small ring is enough.
  static constexpr uint32_t kQueueSize = 4;
  std::array<QueuedEvent, kQueueSize> queue_;
  uint32_t head_ = 0;
  uint32_t tail_ = 0;
};

}  // namespace ctxtrail::trace
