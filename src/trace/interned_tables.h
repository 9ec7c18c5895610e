/// The global string and stack tables behind the StringTable/StackTable interfaces:
/// append-only, deduplicated; per-generation wire IDs are interned into them.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "ctxtrail/trace/tables.h"

namespace ctxtrail::trace {

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
  std::string_view store(std::string_view s);
  void grow();

  // Bytes live in chunks that never move, so views_ stay valid: one allocation for many
  // strings instead of one each (a generation's string table has thousands).
  std::vector<std::unique_ptr<char[]>> chunks_;
  size_t chunk_left_ = 0;
  char* chunk_at_ = nullptr;
  std::vector<std::string_view> views_;
  std::vector<uint64_t> hashes_;  // hashes_[id]: hash_of(views_[id])
  // Open addressing, linear probing: string IDs, 0 for an empty slot.
  std::vector<StringID> slots_;
  size_t mask_ = 0;
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
  const Frame* store(std::span<const Frame> frames);
  void grow();

  // Frames live in chunks that never move (no copying as the table grows): each stack's
  // frames are contiguous within one chunk.
  std::vector<std::unique_ptr<Frame[]>> chunks_;
  size_t chunk_left_ = 0;
  Frame* chunk_at_ = nullptr;
  std::vector<Stored> stacks_;  // stacks_[0]: no frames
  // Open addressing, linear probing: stack IDs, 0 for an empty slot. Every trace generation
  // re-sends its stacks, so lookups that hit are the common case and must be cheap.
  std::vector<StackID> slots_;
  size_t mask_ = 0;
};

}  // namespace ctxtrail::trace
