/// Turns ordered wire events into public Events: resolves per-generation string and stack IDs
/// to global ones (failing on IDs the generation does not define, as Go's validateTableIDs
/// does) and fills the kind-specific fields the way Go's Event accessors compute them.
#pragma once

#include <bit>
#include <cstddef>
#include <cstring>
#include <string>

#include "ctxtrail/trace/event.h"
#include "trace/generation.h"
#include "trace/interned_tables.h"
#include "trace/order.h"

namespace ctxtrail::trace {

/// Sets the six byte-sized fields of `out`, kind to scope (scope: None), and the two padding
/// bytes after them, in one store instead of six.
[[gnu::always_inline]] inline void set_small_fields(Event& out, EventKind kind, uint8_t wire_type,
                                                    ResourceKind resource, uint8_t from, uint8_t to) {
  static_assert(std::endian::native == std::endian::little);
  static_assert(offsetof(Event, kind) == 52 && offsetof(Event, wire_type) == 53 &&
                offsetof(Event, resource) == 54 && offsetof(Event, from) == 55 &&
                offsetof(Event, to) == 56 && offsetof(Event, scope) == 57 && offsetof(Event, name) == 60);
  const uint64_t bytes = uint64_t{static_cast<uint8_t>(kind)} | uint64_t{wire_type} << 8 |
                         uint64_t{static_cast<uint8_t>(resource)} << 16 | uint64_t{from} << 24 |
                         uint64_t{to} << 32 | uint64_t{static_cast<uint8_t>(ResourceKind::None)} << 40;
  std::memcpy(reinterpret_cast<unsigned char*>(&out) + offsetof(Event, kind), &bytes, sizeof bytes);
}

/// Zeroes the fields only annotation, range, metric and sync events use.
[[gnu::always_inline]] inline void clear_annotation_fields(Event& out) {
  out.name = 0;
  out.text = 0;
  out.id = 0;
  out.parent = 0;
  out.value = 0;
}

/// Resets every field of `out` in place to what an event with this time, context, kind and wire
/// type has before its kind-specific fields are set (assigning a fresh Event{} goes through a
/// temporary, which costs more than the rest of building an event).
[[gnu::always_inline]] inline void reset_event(Event& out, int64_t time, int64_t g, int64_t p, int64_t m,
                                               EventKind kind, uint8_t wire_type) {
  // In the order of Event's fields, so that neighbouring stores can merge.
  out.time = time;
  out.g = g;
  out.p = p;
  out.m = m;
  out.resource_id = 0;
  out.stack = 0;
  out.transition_stack = 0;
  out.reason = 0;
  set_small_fields(out, kind, wire_type, ResourceKind::None, 0, 0);
  clear_annotation_fields(out);
}
static_assert(sizeof(Event) == 96, "reset_event writes every field of Event");

class EventBuilder {
 public:
  explicit EventBuilder(InternedStrings& strings);

  /// Fills `out` from `q`; false with *err on a string or stack ID the generation lacks.
  bool build(const QueuedEvent& q, const Generation& gen, Event& out, std::string* err);
  /// Fills `out` from a CPU sample; false with *err when its stack ID is not in the generation.
  bool build_sample(const CpuSample& s, const Generation& gen, Event& out, std::string* err);
  /// The metric name HeapAlloc events carry.
  StringID heap_alloc_metric() const { return metric_heap_alloc_; }

 private:
  [[gnu::always_inline]] inline void fill_state_transition(const QueuedEvent& q, const Generation& gen, Event& out);
  void fill_range(const QueuedEvent& q, const Generation& gen, Event& out);

  InternedStrings& strings_;
  StringID gc_mark_, gc_sweep_, gc_assist_;
  StringID metric_procs_, metric_heap_alloc_, metric_heap_goal_;
};

}  // namespace ctxtrail::trace
