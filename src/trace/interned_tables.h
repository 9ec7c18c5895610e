/// The global string and stack tables behind the StringTable/StackTable interfaces:
/// append-only, deduplicated; per-generation wire IDs are interned into them.
#pragma once

#include <algorithm>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "ctxtrail/trace/tables.h"

namespace ctxtrail::trace {

/// Append-only storage in chunks that never move, so what it hands out stays valid as it grows:
/// one allocation for many strings or stacks instead of one each, and no copying on growth.
template <typename T, size_t kChunk>
class ChunkArena {
 public:
  const T* store(std::span<const T> items) {
    if (items.size() > left_) {
      if (items.size() > kChunk / 4) {  // a big one: a chunk of its own, the current one kept
        chunks_.emplace_back(new T[items.size()]);
        std::copy(items.begin(), items.end(), chunks_.back().get());
        return chunks_.back().get();
      }
      chunks_.emplace_back(new T[kChunk]);
      at_ = chunks_.back().get();
      left_ = kChunk;
    }
    T* out = at_;
    std::copy(items.begin(), items.end(), out);
    at_ += items.size();
    left_ -= items.size();
    return out;
  }

 private:
  std::vector<std::unique_ptr<T[]>> chunks_;
  size_t left_ = 0;
  T* at_ = nullptr;
};

/// An open-addressing index of IDs 1..n-1 by hash (linear probing, 0 for an empty slot, at
/// most half full). The tables keep each ID's hash; this keeps only where to find it.
template <typename Id>
class IdSlots {
 public:
  IdSlots() : slots_(1024, 0), mask_(1023) {}
  /// The slot of the ID `is` accepts among those probed for hash h, or the empty slot where it
  /// would go.
  template <typename Is>
  size_t find(uint64_t h, Is is) const {
    size_t i = h & mask_;
    for (; slots_[i] != 0; i = (i + 1) & mask_)
      if (is(slots_[i])) break;
    return i;
  }
  Id at(size_t slot) const { return slots_[slot]; }
  /// Puts `id` in the empty `slot` find() answered; `count` IDs are now in use (0 included),
  /// and past half full the slots double and every ID is placed again by hash_of(ID).
  template <typename HashOf>
  void put(size_t slot, Id id, size_t count, HashOf hash_of) {
    slots_[slot] = id;
    if (count * 2 <= slots_.size()) return;
    slots_.assign(slots_.size() * 2, 0);
    mask_ = slots_.size() - 1;
    for (Id k = 1; k < count; k++) {
      size_t i = hash_of(k) & mask_;
      while (slots_[i] != 0) i = (i + 1) & mask_;
      slots_[i] = k;
    }
  }

 private:
  std::vector<Id> slots_;
  size_t mask_;
};

class InternedStrings final : public StringTable {
 public:
  InternedStrings();
  std::string_view get(StringID id) const override {
    return id < views_.size() ? views_[id] : std::string_view();
  }
  StringID find(std::string_view s) const override;
  size_t size() const override { return views_.size(); }
  /// The ID of `s`, adding it when new.
  StringID intern(std::string_view s);

 private:
  static uint64_t hash_of(std::string_view s);
  /// The slot holding `s`, or the empty slot where it would go.
  size_t slot_of(std::string_view s, uint64_t h) const;

  ChunkArena<char, 64 << 10> bytes_;  // views_ point into it
  std::vector<std::string_view> views_;
  std::vector<uint64_t> hashes_;  // hashes_[id]: hash_of(views_[id])
  IdSlots<StringID> slots_;
};

class InternedStacks final : public StackTable {
 public:
  InternedStacks();
  std::span<const Frame> frames(StackID id) const override {
    if (id == 0 || id >= stacks_.size()) return {};
    return {stacks_[id].first, stacks_[id].count};
  }
  size_t size() const override { return stacks_.size(); }

  /// The ID of the stack with these frames (leaf first), adding it when new; 0 for no frames.
  StackID intern(std::span<const Frame> frames);

 private:
  struct Stored {
    const Frame* first = nullptr;
    uint32_t count = 0;
    uint64_t hash = 0;  // hash_of(its frames)
  };
  static uint64_t hash_of(std::span<const Frame> frames);
  bool same(StackID id, std::span<const Frame> frames) const;

  // Each stack's frames are contiguous (4096 frames: 96 KiB a chunk).
  ChunkArena<Frame, 4096> frames_;
  std::vector<Stored> stacks_;  // stacks_[0]: no frames
  // Every trace generation re-sends its stacks, so lookups that hit are the common case and
  // must be cheap.
  IdSlots<StackID> slots_;
};

}  // namespace ctxtrail::trace
