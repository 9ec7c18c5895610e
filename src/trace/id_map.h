/// Per-generation wire ID -> global ID maps: a dense vector for the small sequential IDs the
/// runtime writes, a hash map for anything else, so a hostile huge ID costs no memory.
#pragma once

#include <algorithm>
#include <cstdint>
#include <unordered_map>
#include <vector>

namespace ctxtrail::trace {

class IdMap {
 public:
  static constexpr uint32_t kAbsent = ~uint32_t{0};
  static constexpr uint64_t kDenseLimit = 1 << 22;

  /// Adds id -> value; false when id is already present (id 0 is always present).
  bool insert(uint64_t id, uint32_t value) {
    if (id == 0) return false;
    if (id < kDenseLimit) {
      // Doubling stops at the limit: get() reads the dense part for every ID below its size.
      if (id >= dense_.size())
        dense_.resize(std::min(kDenseLimit, std::max<uint64_t>(id + 1, dense_.size() * 2)), kAbsent);
      if (dense_[id] != kAbsent) return false;
      dense_[id] = value;
      return true;
    }
    return sparse_.emplace(id, value).second;
  }
  /// Replaces the value of an id already inserted.
  void set(uint64_t id, uint32_t value) {
    if (id < dense_.size()) {
      dense_[id] = value;
    } else if (id != 0) {
      sparse_[id] = value;
    }
  }
  /// The value of `id`, 0 for id 0, kAbsent when missing.
  uint32_t get(uint64_t id) const {
    if (id < dense_.size()) return dense_[id];
    if (id == 0) return 0;
    if (id < kDenseLimit || sparse_.empty()) return kAbsent;
    auto it = sparse_.find(id);
    return it == sparse_.end() ? kAbsent : it->second;
  }
  bool contains(uint64_t id) const { return get(id) != kAbsent; }
  /// The dense part: the value of each ID below dense_size() (kAbsent when missing).
  const uint32_t* dense_data() const { return dense_.data(); }
  uint64_t dense_size() const { return dense_.size(); }

 private:
  // dense_[0] is 0: ID 0 maps to global ID 0 ("" / no stack).
  std::vector<uint32_t> dense_{0};
  std::unordered_map<uint64_t, uint32_t> sparse_;
};

}  // namespace ctxtrail::trace
