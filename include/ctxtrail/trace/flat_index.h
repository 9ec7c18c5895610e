/// An open-addressing hash map from int64 keys to uint32 slots (linear probing, backward-shift
/// deletion): the ordering's goroutine and proc lookups, with no allocation per entry.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

namespace ctxtrail::trace {

class FlatIndex {
 public:
  static constexpr uint32_t kNone = ~uint32_t{0};

  FlatIndex() { rehash(64); }

  [[gnu::always_inline]] uint32_t find(int64_t key) const {
    for (size_t i = slot_of(key);; i = (i + 1) & mask_) {
      const Entry& e = table_[i];
      if (e.value == kNone) return kNone;
      if (e.key == key) return e.value;
    }
  }
  /// Inserts key -> value; the key must not be present.
  void insert(int64_t key, uint32_t value) {
    if ((size_ + 1) * 4 > table_.size() * 3) rehash(table_.size() * 2);
    place(key, value);
    size_++;
  }
  /// Removes key; answers its value or kNone.
  uint32_t erase(int64_t key) {
    size_t i = slot_of(key);
    for (;; i = (i + 1) & mask_) {
      if (table_[i].value == kNone) return kNone;
      if (table_[i].key == key) break;
    }
    const uint32_t value = table_[i].value;
    // Backward shift: pull later entries of the probe run into the hole.
    size_t hole = i;
    for (size_t j = (i + 1) & mask_; table_[j].value != kNone; j = (j + 1) & mask_) {
      const size_t home = slot_of(table_[j].key);
      const bool movable = hole <= j ? (home <= hole || home > j) : (home <= hole && home > j);
      if (movable) {
        table_[hole] = table_[j];
        hole = j;
      }
    }
    table_[hole].value = kNone;
    size_--;
    return value;
  }
  size_t size() const { return size_; }
  /// Removes every key, keeping the capacity.
  void clear() {
    if (size_ == 0) return;
    std::fill(table_.begin(), table_.end(), Entry{});
    size_ = 0;
  }
  template <typename F>
  void for_each(F&& f) const {
    for (const Entry& e : table_)
      if (e.value != kNone) f(e.key, e.value);
  }

 private:
  struct Entry {
    int64_t key = 0;
    uint32_t value = kNone;
  };
  size_t slot_of(int64_t key) const {
    uint64_t h = static_cast<uint64_t>(key) * 0x9E3779B97F4A7C15ull;
    return static_cast<size_t>(h >> 20) & mask_;
  }
  void place(int64_t key, uint32_t value) {
    size_t i = slot_of(key);
    while (table_[i].value != kNone) i = (i + 1) & mask_;
    table_[i] = Entry{key, value};
  }
  void rehash(size_t n) {
    std::vector<Entry> old = std::move(table_);
    table_.assign(n, Entry{});
    mask_ = n - 1;
    for (const Entry& e : old)
      if (e.value != kNone) place(e.key, e.value);
  }

  std::vector<Entry> table_;
  size_t mask_ = 0;
  size_t size_ = 0;
};

}  // namespace ctxtrail::trace
