/// The model's watchers (goroutines woken by cancel waves): a million on chi's trace. A watcher's
/// record changes only while it is its goroutine's latest and the goroutine lives; after that
/// (a later wave woke the goroutine again, or it ended) it is frozen and kept packed: its stacks
/// and strings as one of a few shared shapes, its times as offsets from its wake.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "ctxtrail/model/index_iterator.h"
#include "ctxtrail/trace/event.h"

namespace ctxtrail::model {

using trace::GoID;
using trace::StackID;
using trace::StringID;

/// A goroutine woken by a cancel wave.
struct Watcher {
  int32_t wave = -1;
  StackID wait_stack = 0;      // the blocking stack it was woken from (select on ctx.Done())
  StringID wait_reason = 0;
  StringID wait_function = 0;  // top user function of wait_stack: "the function waiting on Done()"
  StackID reblock_stack = 0;   // of the first block after the wake
  StringID reblock_reason = 0;
  GoID g = trace::kNoGoroutine;
  int64_t woken_at = 0;
  int64_t ended_at = -1;
  int64_t reblocked_at = -1;   // first block after the wake
  // What it did after the wake, as first times (-1: never). What they mean together is
  // diagnose::reaction_of's to say, not the model's.
  int64_t left_wait_function_at = -1;   // first seen parked with wait_function off its stack
  int64_t at_wake_site_at = -1;         // first parked again at the site the wave woke it from
  int64_t at_woken_from_site_at = -1;   // first parked at one of its sites_woken_from
  bool woken_at_return_site = false;    // the wave woke it at a site where an earlier wave
                                        // had woken it and that it had parked at again since
  int64_t superseded_at = -1;  // woken by a later wave while wait_function was on its stack
  int64_t rewoken_at = -1;     // first later wake by another goroutine from a channel or
                               // select wait
};

/// Watchers by index (CancelWave::watchers, Goroutine::watch), read by value. 56 bytes a frozen
/// watcher, not 104: chi's waves each wake one of a hundred long-lived goroutines again and again.
class WatcherTable {
 public:
  size_t size() const { return slots_.size(); }
  bool empty() const { return slots_.empty(); }
  /// Watcher i as recorded.
  Watcher operator[](size_t i) const;
  /// Watcher i, to change: the builder's (a frozen one is opened again).
  Watcher& open(size_t i);
  /// Appends w, open; answers its index.
  int32_t push_back(const Watcher& w);
  /// Packs watcher i: the builder changes it no more (it can still be opened again).
  void freeze(size_t i);

  using Iterator = IndexIterator<WatcherTable, Watcher>;
  Iterator begin() const { return {this, 0}; }
  Iterator end() const { return {this, size()}; }

 private:
  // What a goroutine's successive watchers mostly share: where it waited and blocked again.
  struct Shape {
    StackID wait_stack = 0;
    StringID wait_reason = 0;
    StringID wait_function = 0;
    StackID reblock_stack = 0;
    StringID reblock_reason = 0;
    bool woken_at_return_site = false;
    bool operator==(const Shape&) const = default;
  };
  struct ShapeHash {
    size_t operator()(const Shape& s) const;
  };
  // The seven times after the wake, as offsets from woken_at: kNever for -1, kFar for one that
  // does not fit (its exact value in far_).
  static constexpr uint32_t kNever = 0xffffffff;
  static constexpr uint32_t kFar = 0xfffffffe;
  static constexpr uint32_t kOpen = 0xffffffff;  // Slot::shape of an open watcher
  struct Slot {
    int32_t wave = -1;
    uint32_t shape = kOpen;  // index into shapes_, or kOpen: after[0] indexes open_
    GoID g = trace::kNoGoroutine;
    int64_t woken_at = 0;
    std::array<uint32_t, 7> after{};
  };
  uint32_t take_open(const Watcher& w);  // an entry of open_ holding w
  uint32_t pack_time(size_t i, size_t field, int64_t woken_at, int64_t t);
  int64_t unpack_time(size_t i, size_t field, int64_t woken_at, uint32_t v) const;

  std::vector<Slot> slots_;
  std::vector<Watcher> open_;
  std::vector<uint32_t> free_open_;  // open_ entries no watcher uses
  std::vector<Shape> shapes_;
  std::unordered_map<Shape, uint32_t, ShapeHash> shape_index_;
  std::unordered_map<uint64_t, int64_t> far_;  // (watcher << 3 | field) -> time
};

}  // namespace ctxtrail::model
