/// group_by_stack: one pass; each goroutine's key is hashed field by field, never built as
/// text, and compared with its group's first member only when the hashes agree.
#include "ctxtrail/snapshot/groups.h"

#include <algorithm>
#include <string>

#include "ctxtrail/snapshot/string_store.h"

namespace ctxtrail::snapshot {
namespace {

void append_frame(std::string& key, const Frame& f) {
  key += f.function;
  key += '\x1f';
  key += f.file;
  key += ':';
  key += std::to_string(f.line);
  key += '\x1e';
}

// Views of a parsed snapshot point into one StringStore, where equal text is the same view:
// the pointer test settles nearly every comparison without reading the text.
bool same_text(std::string_view a, std::string_view b) {
  return a.size() == b.size() && (a.data() == b.data() || a == b);
}

bool same_frame(const Frame& a, const Frame& b) {
  return a.line == b.line && same_text(a.function, b.function) && same_text(a.file, b.file);
}

// The key's fields, compared as stack_key's text would be.
bool same_stack(const Goroutine& a, const Goroutine& b) {
  if (a.frames.size() != b.frames.size() || a.state != b.state || !same_frame(a.created_by, b.created_by))
    return false;
  for (size_t i = 0; i < a.frames.size(); ++i)
    if (!same_frame(a.frames[i], b.frames[i])) return false;
  return true;
}

uint64_t mix(uint64_t h, uint64_t v) {
  h = (h ^ v) * 0x9E3779B97F4A7C15ull;
  return h ^ (h >> 31);
}

uint64_t hash_frame(uint64_t h, const Frame& f) {
  h = mix(h, StringStore::hash(f.function));
  h = mix(h, StringStore::hash(f.file));
  return mix(h, static_cast<uint64_t>(f.line));
}

uint64_t hash_stack(const Goroutine& g) {
  uint64_t h = mix(StringStore::hash(g.state), g.frames.size());
  for (const Frame& f : g.frames) h = hash_frame(h, f);
  return hash_frame(h, g.created_by);
}

// Group index by key hash: open addressing over (hash, group) pairs; equal hashes are checked
// against the group's first member, so a collision costs a comparison, never a wrong group.
class GroupIndex {
 public:
  GroupIndex() : slots_(64) {}

  // The group of `g` (hash `h`), or `fresh` after recording it as a new one.
  size_t find_or_add(uint64_t h, const Goroutine& g, size_t fresh, const std::vector<StackGroup>& groups,
                     const std::vector<Goroutine>& goroutines) {
    if ((used_ + 1) * 2 > slots_.size()) grow();
    const size_t mask = slots_.size() - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
      Slot& slot = slots_[i];
      if (slot.group == kFree) {
        slot = Slot{h, fresh};
        used_++;
        return fresh;
      }
      if (slot.hash == h && same_stack(goroutines[groups[slot.group].first], g)) return slot.group;
    }
  }

 private:
  static constexpr size_t kFree = ~size_t{0};
  struct Slot {
    uint64_t hash = 0;
    size_t group = kFree;
  };

  void grow() {
    std::vector<Slot> old = std::move(slots_);
    slots_.assign(old.size() * 2, Slot{});
    const size_t mask = slots_.size() - 1;
    for (const Slot& slot : old) {
      if (slot.group == kFree) continue;
      size_t i = slot.hash & mask;
      while (slots_[i].group != kFree) i = (i + 1) & mask;
      slots_[i] = slot;
    }
  }

  std::vector<Slot> slots_;
  size_t used_ = 0;
};

}  // namespace

std::string stack_key(const Goroutine& g) {
  std::string key = g.state;
  key += '\x1d';
  for (const Frame& f : g.frames) append_frame(key, f);
  key += '\x1d';
  append_frame(key, g.created_by);
  return key;
}

std::vector<StackGroup> group_by_stack(const Snapshot& snapshot) {
  std::vector<StackGroup> groups;
  GroupIndex index;
  const bool has_ids = snapshot.kind == Kind::Dump;
  const std::vector<Goroutine>& goroutines = snapshot.goroutines;
  for (size_t i = 0; i < goroutines.size(); ++i) {
    const Goroutine& g = goroutines[i];
    const size_t at = index.find_or_add(hash_stack(g), g, groups.size(), groups, goroutines);
    if (at == groups.size()) {
      StackGroup group;
      group.first = i;
      group.longest_wait_minutes = g.wait_minutes;
      group.shortest_wait_minutes = g.wait_minutes;
      groups.push_back(std::move(group));
    }
    StackGroup& group = groups[at];
    group.count += g.count;
    if (g.leaked) group.leaked += g.count;
    group.longest_wait_minutes = std::max(group.longest_wait_minutes, g.wait_minutes);
    group.shortest_wait_minutes = std::min(group.shortest_wait_minutes, g.wait_minutes);
    if (has_ids && g.id >= 0) group.ids.push_back(g.id);
  }
  std::stable_sort(groups.begin(), groups.end(),
                   [](const StackGroup& a, const StackGroup& b) { return a.count > b.count; });
  return groups;
}

}  // namespace ctxtrail::snapshot
