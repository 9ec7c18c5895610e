/// The string store of a Snapshot (string_store.h): a hash set of views into text blocks.
#include "ctxtrail/snapshot/string_store.h"

#include <algorithm>
#include <cstring>

namespace ctxtrail::snapshot {
namespace {

constexpr size_t kBlockBytes = 64 << 10;
constexpr uint64_t kMul = 0x9E3779B97F4A7C15ull;

uint64_t load8(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

uint64_t mix(uint64_t h, uint64_t v) {
  h ^= v;
  h *= kMul;
  return h ^ (h >> 29);
}

}  // namespace

uint64_t StringStore::hash(std::string_view s) {
  const char* p = s.data();
  size_t n = s.size();
  uint64_t h = 0x243F6A8885A308D3ull ^ (n * kMul);
  // Eight bytes at a time; the last word overlaps the one before instead of a byte loop.
  if (n >= 8) {
    for (; n > 8; p += 8, n -= 8) h = mix(h, load8(p));
    return mix(h, load8(p + n - 8));
  }
  uint64_t tail = 0;
  if (n >= 4) {
    uint32_t a, b;
    std::memcpy(&a, p, 4);
    std::memcpy(&b, p + n - 4, 4);
    tail = (uint64_t{a} << 32) | b;
  } else if (n > 0) {
    tail = (uint64_t{static_cast<uint8_t>(p[0])} << 16) | (uint64_t{static_cast<uint8_t>(p[n / 2])} << 8) |
           static_cast<uint8_t>(p[n - 1]);
  }
  return mix(h, tail);
}

std::string_view StringStore::intern(std::string_view s) {
  if (s.empty()) return {};
  if ((used_ + 1) * 4 > slots_.size() * 3) grow();
  const uint64_t h = hash(s);
  const size_t mask = slots_.size() - 1;
  for (size_t i = h & mask;; i = (i + 1) & mask) {
    Slot& slot = slots_[i];
    if (slot.data == nullptr) {
      const std::string_view kept = copy(s);
      slot = Slot{h, kept.data(), kept.size()};
      used_++;
      return kept;
    }
    if (slot.hash == h && slot.size == s.size() && std::memcmp(slot.data, s.data(), s.size()) == 0)
      return {slot.data, slot.size};
  }
}

std::string_view StringStore::copy(std::string_view s) {
  // A long string gets a block of its own, so the open block's rest is not wasted.
  const bool own_block = s.size() > kBlockBytes / 4;
  if (own_block || s.size() > free_left_) {
    const size_t bytes = own_block ? s.size() : kBlockBytes;
    blocks_.push_back(std::make_unique_for_overwrite<char[]>(bytes));
    text_bytes_ += bytes;
    if (own_block) {
      std::memcpy(blocks_.back().get(), s.data(), s.size());
      return {blocks_.back().get(), s.size()};
    }
    free_ = blocks_.back().get();
    free_left_ = bytes;
  }
  std::memcpy(free_, s.data(), s.size());
  const std::string_view kept(free_, s.size());
  free_ += s.size();
  free_left_ -= s.size();
  return kept;
}

void StringStore::grow() {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(std::max<size_t>(64, old.size() * 2), Slot{});
  const size_t mask = slots_.size() - 1;
  for (const Slot& slot : old) {
    if (slot.data == nullptr) continue;
    size_t i = slot.hash & mask;
    while (slots_[i].data != nullptr) i = (i + 1) & mask;
    slots_[i] = slot;
  }
}

}  // namespace ctxtrail::snapshot
