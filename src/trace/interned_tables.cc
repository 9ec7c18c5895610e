/// Interning of strings and stacks into the trace-global tables.
#include "trace/interned_tables.h"

#include <algorithm>
#include <cstring>

namespace ctxtrail::trace {

InternedStrings::InternedStrings() {
  views_.push_back(std::string_view());
  hashes_.push_back(0);
  slots_.assign(1024, 0);
  mask_ = slots_.size() - 1;
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
  size_t i = h & mask_;
  for (; slots_[i] != 0; i = (i + 1) & mask_) {
    const StringID id = slots_[i];
    if (hashes_[id] == h && views_[id] == s) break;
  }
  return i;
}

StringID InternedStrings::find(std::string_view s) const {
  if (s.empty()) return 0;
  return slots_[slot_of(s, hash_of(s))];
}

std::string_view InternedStrings::store(std::string_view s) {
  constexpr size_t kChunk = 64 << 10;
  if (s.size() > chunk_left_) {
    const size_t n = s.size() > kChunk / 4 ? s.size() : kChunk;  // a big string: its own chunk
    chunks_.emplace_back(new char[n]);
    if (n == kChunk) {
      chunk_at_ = chunks_.back().get();
      chunk_left_ = n;
    } else {
      std::memcpy(chunks_.back().get(), s.data(), s.size());
      return {chunks_.back().get(), s.size()};
    }
  }
  std::memcpy(chunk_at_, s.data(), s.size());
  std::string_view view(chunk_at_, s.size());
  chunk_at_ += s.size();
  chunk_left_ -= s.size();
  return view;
}

void InternedStrings::grow() {
  slots_.assign(slots_.size() * 2, 0);
  mask_ = slots_.size() - 1;
  for (StringID id = 1; id < hashes_.size(); id++) {
    size_t i = hashes_[id] & mask_;
    while (slots_[i] != 0) i = (i + 1) & mask_;
    slots_[i] = id;
  }
}

StringID InternedStrings::intern(std::string_view s) {
  if (s.empty()) return 0;
  const uint64_t h = hash_of(s);
  const size_t i = slot_of(s, h);
  if (slots_[i] != 0) return slots_[i];
  const auto id = static_cast<StringID>(views_.size());
  views_.push_back(store(s));
  hashes_.push_back(h);
  slots_[i] = id;
  if (hashes_.size() * 2 > slots_.size()) grow();  // load at most 1/2
  return id;
}

InternedStacks::InternedStacks() {
  stacks_.emplace_back();  // stack 0: no frames
  slots_.assign(1024, 0);
  mask_ = slots_.size() - 1;
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

const Frame* InternedStacks::store(std::span<const Frame> frames) {
  constexpr size_t kChunk = 4096;  // frames: 96 KiB
  if (frames.size() > chunk_left_) {
    const size_t n = std::max(kChunk, frames.size());
    chunks_.emplace_back(new Frame[n]);
    chunk_at_ = chunks_.back().get();
    chunk_left_ = n;
  }
  Frame* at = chunk_at_;
  std::copy(frames.begin(), frames.end(), at);
  chunk_at_ += frames.size();
  chunk_left_ -= frames.size();
  return at;
}

void InternedStacks::grow() {
  slots_.assign(slots_.size() * 2, 0);
  mask_ = slots_.size() - 1;
  for (StackID id = 1; id < stacks_.size(); id++) {
    size_t i = stacks_[id].hash & mask_;
    while (slots_[i] != 0) i = (i + 1) & mask_;
    slots_[i] = id;
  }
}

StackID InternedStacks::intern(std::span<const Frame> frames) {
  if (frames.empty()) return 0;
  const uint64_t h = hash_of(frames);
  size_t i = h & mask_;
  for (; slots_[i] != 0; i = (i + 1) & mask_) {
    const StackID id = slots_[i];
    if (stacks_[id].hash == h && same(id, frames)) return id;
  }
  const auto id = static_cast<StackID>(stacks_.size());
  stacks_.push_back(Stored{store(frames), static_cast<uint32_t>(frames.size()), h});
  slots_[i] = id;
  if (stacks_.size() * 2 > slots_.size()) grow();  // load at most 1/2
  return id;
}

}  // namespace ctxtrail::trace
