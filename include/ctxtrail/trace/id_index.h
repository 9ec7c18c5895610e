/// Goroutine and proc ID -> slot lookups for the ordering. The runtime numbers both from 1 up,
/// so small IDs index a plain table (one load, neighbours share cache lines); any other ID
/// (negative, or past kDenseLimit, as a hostile or very long trace may hold) goes to a hash
/// map, so memory stays bounded by the table's limit plus the IDs actually present.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "ctxtrail/trace/flat_index.h"

namespace ctxtrail::trace {

class IdIndex {
 public:
  static constexpr uint32_t kNone = FlatIndex::kNone;
  static constexpr uint64_t kDenseLimit = uint64_t{1} << 20;  // a 4 MiB table at most

  [[gnu::always_inline]] uint32_t find(int64_t key) const {
    const auto k = static_cast<uint64_t>(key);
    if (k < dense_.size()) [[likely]] return dense_[k];
    if (sparse_.size() == 0) return kNone;
    return sparse_.find(key);
  }
  /// Inserts key -> value; the key must not be present.
  void insert(int64_t key, uint32_t value) {
    const auto k = static_cast<uint64_t>(key);
    if (k < kDenseLimit) {
      // Doubling stops at the limit: a table reaching past it would answer "absent" for the
      // IDs between, which live in the hash map (goroutine 2^20 + 1 on a busy service).
      if (k >= dense_.size())
        dense_.resize(std::min(kDenseLimit, std::max<uint64_t>(k + 1, dense_.size() * 2)), kNone);
      dense_[k] = value;
      dense_count_++;
      return;
    }
    sparse_.insert(key, value);
  }
  /// Removes key; answers its value or kNone.
  uint32_t erase(int64_t key) {
    const auto k = static_cast<uint64_t>(key);
    if (k < kDenseLimit) {
      if (k >= dense_.size() || dense_[k] == kNone) return kNone;
      const uint32_t value = dense_[k];
      dense_[k] = kNone;
      dense_count_--;
      return value;
    }
    return sparse_.erase(key);
  }
  size_t size() const { return dense_count_ + sparse_.size(); }
  /// The plain table: the slot of each ID below dense_size() (kNone when absent).
  const uint32_t* dense_data() const { return dense_.data(); }
  uint64_t dense_size() const { return dense_.size(); }
  /// Visits every entry: the small IDs in increasing order, then the others.
  template <typename F>
  void for_each(F&& f) const {
    for (size_t k = 0; k < dense_.size(); k++)
      if (dense_[k] != kNone) f(static_cast<int64_t>(k), dense_[k]);
    sparse_.for_each(f);
  }

 private:
  std::vector<uint32_t> dense_;
  size_t dense_count_ = 0;
  FlatIndex sparse_;
};

}  // namespace ctxtrail::trace
