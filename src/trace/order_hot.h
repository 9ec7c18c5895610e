/// The hot path of ordering: the scheduler events that make up nearly every trace checked
/// against the scheduler state and written straight into the public Event, in one step and
/// with no queue. Inline here: a goroutine starts, blocks, stops or is unblocked; out of line
/// (order_hot.cc): a goroutine enters or leaves a syscall, is created or destroyed, HeapAlloc,
/// a P starts or stops. It declines, having changed nothing, any other event and any event
/// whose check does not pass; the general path (Ordering::advance + EventBuilder) then takes
/// the same event and decides it (not yet, or the exact error Go's parser gives).
#pragma once

#include "ctxtrail/trace/event.h"
#include "trace/event_builder.h"
#include "trace/order.h"

namespace ctxtrail::trace {

namespace hot {

/// A state transition event, every field written.
[[gnu::always_inline]] inline void transition(Event& out, const RawEvent& ev, int64_t g, int64_t p,
                                              int64_t m, StackID stack, ResourceKind resource,
                                              int64_t id, uint8_t from, uint8_t to, StringID reason,
                                              StackID transition_stack) {
  out.time = ev.time;
  out.g = g;
  out.p = p;
  out.m = m;
  out.resource_id = id;
  out.stack = stack;
  out.transition_stack = transition_stack;
  out.reason = reason;
  set_small_fields(out, EventKind::StateTransition, ev.type, resource, from, to);
  clear_annotation_fields(out);
}

constexpr auto kGo = ResourceKind::Goroutine;
constexpr auto kProc = ResourceKind::Proc;
constexpr auto u8 = [](auto state) { return static_cast<uint8_t>(state); };

}  // namespace hot

/// Raw pointers into the ordering's and the generation's tables, taken once per run of hot
/// events. Stores to the output's byte-sized fields may alias anything, so reading the
/// containers themselves would reload their bounds after every event; locals are not reloaded.
/// IDs past a table's plain part are left to the general path.
struct Ordering::HotView {
  const uint32_t* g_slot;  // goroutine ID -> index in g_pool_, for IDs below g_slots
  uint64_t g_slots;
  GState* g_pool;
  const uint32_t* p_slot;  // proc ID -> index in p_pool_, for IDs below p_slots
  uint64_t p_slots;
  PState* p_pool;
  const uint32_t* stack_ids;  // wire stack ID -> global StackID, below n_stacks
  uint64_t n_stacks;
  const uint32_t* string_ids;  // wire string ID -> global StringID, below n_strings
  uint64_t n_strings;
  uint64_t gen;
  StringID heap_alloc_metric;  // the name HeapAlloc events carry (EventBuilder's)

  GState* g(int64_t id) const {
    const auto k = static_cast<uint64_t>(id);
    if (k >= g_slots) return nullptr;
    const uint32_t i = g_slot[k];
    return i == IdIndex::kNone ? nullptr : g_pool + i;
  }
  /// The goroutine, when it is there and in `status`.
  GState* g_in(int64_t id, uint8_t status) const {
    GState* gs = g(id);
    if (gs == nullptr || gs->status != status) return nullptr;
    return gs;
  }
  PState* p(int64_t id) const {
    const auto k = static_cast<uint64_t>(id);
    if (k >= p_slots) return nullptr;
    const uint32_t i = p_slot[k];
    return i == IdIndex::kNone ? nullptr : p_pool + i;
  }
  uint32_t stack(uint64_t id) const { return id < n_stacks ? stack_ids[id] : IdMap::kAbsent; }
  uint32_t string(uint64_t id) const { return id < n_strings ? string_ids[id] : IdMap::kAbsent; }
};

inline Ordering::HotView Ordering::hot_view(const Generation& gen, StringID heap_alloc_metric) {
  return HotView{g_index_.dense_data(), g_index_.dense_size(), g_pool_.data(),
                 p_index_.dense_data(), p_index_.dense_size(), p_pool_.data(),
                 gen.stacks.dense_data(), gen.stacks.dense_size(), gen.strings.dense_data(),
                 gen.strings.dense_size(), gen.gen, heap_alloc_metric};
}

inline Ordering::Hot Ordering::advance_hot(BatchCursor& cursor, const HotView& v, Event& out) {
  MState* ms = cursor.state;
  if (ms == nullptr) return Hot::kDeclined;  // the general path sets it up
  const RawEvent& ev = cursor.ev;
  const int64_t m = cursor.m;
  const int64_t p = ms->p;
  const int64_t g = ms->g;
  // An if-chain, not a switch: a jump table's one indirect branch is mispredicted far more
  // often than these well-patterned compares. The checks below are spelled out rather than
  // going through HotView::g_in: written that way the busy trace read 8% slower.
  const uint8_t type = ev.type;
  if (type == wire::EvGoBlock || type == wire::EvGoStop) {
    // Needs a thread, a proc and a goroutine, which must be running.
    if (p == -1 || g == -1) return Hot::kDeclined;
    GState* gs = v.g(g);
    if (gs == nullptr || gs->status != wire::GoRunning) return Hot::kDeclined;
    const uint32_t stack = v.stack(ev.args[1]);
    const uint32_t reason = v.string(ev.args[0]);
    if (stack == IdMap::kAbsent || reason == IdMap::kAbsent) return Hot::kDeclined;
    const bool block = type == wire::EvGoBlock;
    gs->status = block ? wire::GoWaiting : wire::GoRunnable;
    ms->g = -1;
    hot::transition(out, ev, g, p, m, stack, hot::kGo, g, hot::u8(GoState::Running),
                    hot::u8(block ? GoState::Waiting : GoState::Runnable), reason, stack);
    return Hot::kAdvanced;
  }
  if (type == wire::EvGoUnblock) {
    const auto gid = static_cast<int64_t>(ev.args[0]);
    GState* gs = v.g(gid);
    if (gs == nullptr) return Hot::kDeclined;
    const SeqCounter seq{v.gen, ev.args[1]};
    if (gs->status != wire::GoWaiting || !seq.follows(gs->seq)) return Hot::kDeclined;
    const uint32_t stack = v.stack(ev.args[2]);
    if (stack == IdMap::kAbsent) return Hot::kDeclined;
    gs->status = wire::GoRunnable;
    gs->seq = seq;
    hot::transition(out, ev, g, p, m, stack, hot::kGo, gid, hot::u8(GoState::Waiting),
                    hot::u8(GoState::Runnable), 0, 0);
    return Hot::kAdvanced;
  }
  if (type == wire::EvGoStart) {
    if (p == -1 || g != -1) return Hot::kDeclined;
    const auto gid = static_cast<int64_t>(ev.args[0]);
    GState* gs = v.g(gid);
    if (gs == nullptr) return Hot::kDeclined;
    const SeqCounter seq{v.gen, ev.args[1]};
    if (gs->status != wire::GoRunnable || !seq.follows(gs->seq)) return Hot::kDeclined;
    gs->status = wire::GoRunning;
    gs->seq = seq;
    ms->g = gid;
    hot::transition(out, ev, g, p, m, 0, hot::kGo, gid, hot::u8(GoState::Runnable),
                    hot::u8(GoState::Running), 0, 0);
    return Hot::kAdvanced;
  }
  return advance_hot_rest(cursor, v, out);
}

}  // namespace ctxtrail::trace
