/// Interning of strings and stacks into the trace-global tables.
#include "trace/interned_tables.h"

#include <algorithm>
#include <cstring>

namespace ctxtrail::trace {

InternedStrings::InternedStrings() {
  views_.push_back(std::string_view());
  hashes_.push_back(0);
}

// 8 bytes per multiply; strings here are symbol and file names of tens of bytes.
uint64_t InternedStrings::hash_of(std::string_view s) {
  uint64_t h = s.size() * 0x9E3779B97F4A7C15ull;
  size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    h = (h ^ w) * 0xff51afd7ed558ccdull;
    h ^= h >> 32;
  }
  uint64_t tail = 0;
  std::memcpy(&tail, s.data() + i, s.size() - i);
  h = (h ^ tail) * 0xc4ceb9fe1a85ec53ull;
  return h ^ (h >> 29);
}

size_t InternedStrings::slot_of(std::string_view s, uint64_t h) const {
  return slots_.find(h, [&](StringID id) { return hashes_[id] == h && views_[id] == s; });
}

StringID InternedStrings::find(std::string_view s) const {
  if (s.empty()) return 0;
  return slots_.at(slot_of(s, hash_of(s)));
}

StringID InternedStrings::intern(std::string_view s) {
  if (s.empty()) return 0;
  const uint64_t h = hash_of(s);
  const size_t i = slot_of(s, h);
  if (slots_.at(i) != 0) return slots_.at(i);
  const auto id = static_cast<StringID>(views_.size());
  views_.emplace_back(bytes_.store(std::span<const char>(s.data(), s.size())), s.size());
  hashes_.push_back(h);
  slots_.put(i, id, hashes_.size(), [&](StringID k) { return hashes_[k]; });
  return id;
}

InternedStacks::InternedStacks() {
  stacks_.emplace_back();  // stack 0: no frames
}

// One multiply per frame: the PC alone nearly always tells stacks apart; func, file and line
// are folded in so that equal hashes stay necessary for equal frames.
uint64_t InternedStacks::hash_of(std::span<const Frame> frames) {
  uint64_t h = frames.size();
  for (const Frame& f : frames) {
    const uint64_t x = f.pc ^ (uint64_t{f.func} << 40 | uint64_t{f.file} << 20) ^ (f.line << 7);
    h = (h ^ x) * 0x9E3779B97F4A7C15ull;
    h ^= h >> 32;
  }
  return h;
}

bool InternedStacks::same(StackID id, std::span<const Frame> frames) const {
  const auto have = this->frames(id);
  if (have.size() != frames.size()) return false;
  for (size_t i = 0; i < frames.size(); i++) {
    const Frame& a = have[i];
    const Frame& b = frames[i];
    if (a.pc != b.pc || a.func != b.func || a.file != b.file || a.line != b.line) return false;
  }
  return true;
}

StackID InternedStacks::intern(std::span<const Frame> frames) {
  if (frames.empty()) return 0;
  const uint64_t h = hash_of(frames);
  const size_t i = slots_.find(h, [&](StackID id) { return stacks_[id].hash == h && same(id, frames); });
  if (slots_.at(i) != 0) return slots_.at(i);
  const auto id = static_cast<StackID>(stacks_.size());
  stacks_.push_back(Stored{frames_.store(frames), static_cast<uint32_t>(frames.size()), h});
  slots_.put(i, id, stacks_.size(), [&](StackID k) { return stacks_[k].hash; });
  return id;
}

}  // namespace ctxtrail::trace
