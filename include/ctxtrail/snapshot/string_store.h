/// The text a Snapshot's frames point into. A dump of 100,000 goroutines names a few hundred
/// distinct functions and files a million times over: each is kept here once, and every Frame
/// holds a std::string_view of the one copy. Views stay valid as long as the store lives
/// (Snapshot holds it by shared_ptr, so copies and moves of a Snapshot keep them valid).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

namespace ctxtrail::snapshot {

class StringStore {
 public:
  StringStore() = default;
  StringStore(const StringStore&) = delete;
  StringStore& operator=(const StringStore&) = delete;

  /// `s` kept in the store: equal strings answer the same view (same data()), which never
  /// moves or dangles while the store lives. The empty string answers an empty view.
  std::string_view intern(std::string_view s);
  /// Distinct strings held.
  size_t size() const { return used_; }
  /// Bytes the store has allocated (text blocks and table), for memory accounting.
  size_t allocated_bytes() const { return text_bytes_ + slots_.capacity() * sizeof(Slot); }

  /// The hash intern() uses: 64 bits of `s`, fast on short strings (names, paths).
  static uint64_t hash(std::string_view s);

 private:
  struct Slot {
    uint64_t hash = 0;
    const char* data = nullptr;  // nullptr: free
    size_t size = 0;
  };
  std::string_view copy(std::string_view s);
  void grow();

  std::vector<Slot> slots_;  // open addressing, linear probing; size a power of two
  size_t used_ = 0;
  std::vector<std::unique_ptr<char[]>> blocks_;
  char* free_ = nullptr;  // the next unused byte of the last block
  size_t free_left_ = 0;
  size_t text_bytes_ = 0;
};

}  // namespace ctxtrail::snapshot
