/// Interning of strings and stacks into the trace-global tables.
#include "trace/interned_tables.h"

#include <cstring>

namespace ctxtrail::trace {

InternedStrings::InternedStrings() { views_.push_back(std::string_view()); }

StringID InternedStrings::find(std::string_view s) const {
  if (s.empty()) return 0;
  auto it = ids_.find(s);
  return it == ids_.end() ? 0 : it->second;
}

StringID InternedStrings::intern(std::string_view s) {
  if (s.empty()) return 0;
  auto it = ids_.find(s);
  if (it != ids_.end()) return it->second;
  storage_.emplace_back(s);
  std::string_view view = storage_.back();
  auto id = static_cast<StringID>(views_.size());
  views_.push_back(view);
  ids_.emplace(view, id);
  return id;
}

// The pending stack (frames pushed since the last finish) has the ID size()+1 until finished.
InternedStacks::InternedStacks() : ids_(64, Hash{this}, Eq{this}) {
  starts_.push_back(0);  // stack 0: no frames
  starts_.push_back(0);
}

std::span<const Frame> InternedStacks::pending_or(StackID id) const {
  if (id + 1 < starts_.size()) return frames(id);
  return {frames_.data() + starts_.back(), frames_.data() + frames_.size()};
}

size_t InternedStacks::Hash::operator()(StackID id) const {
  uint64_t h = 1469598103934665603ull;
  for (const Frame& f : t->pending_or(id)) {
    for (uint64_t v : {f.pc, uint64_t{f.func}, uint64_t{f.file}, f.line}) {
      h ^= v;
      h *= 1099511628211ull;
      h ^= h >> 29;
    }
  }
  return static_cast<size_t>(h);
}

bool InternedStacks::Eq::operator()(StackID a, StackID b) const {
  auto fa = t->pending_or(a);
  auto fb = t->pending_or(b);
  if (fa.size() != fb.size()) return false;
  for (size_t i = 0; i < fa.size(); i++) {
    if (fa[i].pc != fb[i].pc || fa[i].func != fb[i].func || fa[i].file != fb[i].file ||
        fa[i].line != fb[i].line)
      return false;
  }
  return true;
}

StackID InternedStacks::finish() {
  if (frames_.size() == starts_.back()) return 0;  // no frames: "no stack"
  auto pending = static_cast<StackID>(starts_.size() - 1);
  auto it = ids_.find(pending);
  if (it != ids_.end()) {
    frames_.resize(starts_.back());
    return *it;
  }
  starts_.push_back(static_cast<uint32_t>(frames_.size()));
  ids_.insert(pending);
  return pending;
}

}  // namespace ctxtrail::trace
