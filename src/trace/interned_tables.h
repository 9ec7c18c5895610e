/// The global string and stack tables behind the StringTable/StackTable interfaces:
/// append-only, deduplicated; per-generation wire IDs are interned into them.
#pragma once

#include <deque>
#include <string>
#include <unordered_map>
#include <unordered_set>
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
  std::deque<std::string> storage_;
  std::vector<std::string_view> views_;
  std::unordered_map<std::string_view, StringID> ids_;
};

class InternedStacks final : public StackTable {
 public:
  InternedStacks();
  std::span<const Frame> frames(StackID id) const override {
    if (id == 0 || id + 1 >= starts_.size()) return {};
    return {frames_.data() + starts_[id], frames_.data() + starts_[id + 1]};
  }
  size_t size() const override { return starts_.size() - 1; }

  /// Interning in two steps: push the frames of one stack, then finish() answers its ID
  /// (an existing one when the same frames were seen before).
  void push_frame(const Frame& f) { frames_.push_back(f); }
  StackID finish();

 private:
  struct Hash {
    const InternedStacks* t;
    size_t operator()(StackID id) const;
  };
  struct Eq {
    const InternedStacks* t;
    bool operator()(StackID a, StackID b) const;
  };
  std::span<const Frame> pending_or(StackID id) const;

  std::vector<Frame> frames_;
  std::vector<uint32_t> starts_;  // starts_[id]..starts_[id+1] are the frames of stack id
  std::unordered_set<StackID, Hash, Eq> ids_;
};

}  // namespace ctxtrail::trace
