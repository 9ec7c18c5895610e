/// Watchers packed once frozen: a shared shape and offsets from the wake.
#include "ctxtrail/model/watcher_table.h"

namespace ctxtrail::model {
namespace {

// The seven times after the wake, in Slot::after's order.
constexpr std::array<int64_t Watcher::*, 7> kTimes = {
    &Watcher::ended_at,      &Watcher::reblocked_at,          &Watcher::left_wait_function_at,
    &Watcher::at_wake_site_at, &Watcher::at_woken_from_site_at, &Watcher::superseded_at,
    &Watcher::rewoken_at};

}  // namespace

size_t WatcherTable::ShapeHash::operator()(const Shape& s) const {
  uint64_t h = s.wait_stack;
  for (uint64_t v : {uint64_t{s.wait_reason}, uint64_t{s.wait_function}, uint64_t{s.reblock_stack},
                     uint64_t{s.reblock_reason}, uint64_t{s.woken_at_return_site}})
    h = h * 0x9e3779b97f4a7c15ULL + v;
  return static_cast<size_t>(h ^ (h >> 29));
}

uint32_t WatcherTable::take_open(const Watcher& w) {
  if (free_open_.empty()) {
    open_.push_back(w);
    return static_cast<uint32_t>(open_.size() - 1);
  }
  const uint32_t k = free_open_.back();
  free_open_.pop_back();
  open_[k] = w;
  return k;
}

int32_t WatcherTable::push_back(const Watcher& w) {
  Slot s;
  s.wave = w.wave;
  s.g = w.g;
  s.woken_at = w.woken_at;
  s.after[0] = take_open(w);
  slots_.push_back(s);
  return static_cast<int32_t>(slots_.size() - 1);
}

uint32_t WatcherTable::pack_time(size_t i, size_t field, int64_t woken_at, int64_t t) {
  if (t == -1) return kNever;
  const int64_t d = t - woken_at;
  if (d >= 0 && d < kFar) return static_cast<uint32_t>(d);
  far_[static_cast<uint64_t>(i) << 3 | field] = t;
  return kFar;
}

int64_t WatcherTable::unpack_time(size_t i, size_t field, int64_t woken_at, uint32_t v) const {
  if (v == kNever) return -1;
  if (v == kFar) return far_.at(static_cast<uint64_t>(i) << 3 | field);
  return woken_at + v;
}

void WatcherTable::freeze(size_t i) {
  Slot& s = slots_[i];
  if (s.shape != kOpen) return;
  const uint32_t k = s.after[0];
  const Watcher& w = open_[k];
  s.wave = w.wave;
  s.g = w.g;
  s.woken_at = w.woken_at;
  const Shape shape{w.wait_stack,    w.wait_reason,    w.wait_function,
                    w.reblock_stack, w.reblock_reason, w.woken_at_return_site};
  auto [it, inserted] = shape_index_.try_emplace(shape, static_cast<uint32_t>(shapes_.size()));
  if (inserted) shapes_.push_back(shape);
  for (size_t f = 0; f < kTimes.size(); ++f) s.after[f] = pack_time(i, f, w.woken_at, w.*kTimes[f]);
  s.shape = it->second;
  free_open_.push_back(k);
}

Watcher WatcherTable::operator[](size_t i) const {
  const Slot& s = slots_[i];
  if (s.shape == kOpen) return open_[s.after[0]];
  const Shape& shape = shapes_[s.shape];
  Watcher w;
  w.wave = s.wave;
  w.g = s.g;
  w.woken_at = s.woken_at;
  w.wait_stack = shape.wait_stack;
  w.wait_reason = shape.wait_reason;
  w.wait_function = shape.wait_function;
  w.reblock_stack = shape.reblock_stack;
  w.reblock_reason = shape.reblock_reason;
  w.woken_at_return_site = shape.woken_at_return_site;
  for (size_t f = 0; f < kTimes.size(); ++f) w.*kTimes[f] = unpack_time(i, f, s.woken_at, s.after[f]);
  return w;
}

Watcher& WatcherTable::open(size_t i) {
  Slot& s = slots_[i];
  if (s.shape != kOpen) {
    const Watcher w = (*this)[i];
    for (size_t f = 0; f < kTimes.size(); ++f)
      if (s.after[f] == kFar) far_.erase(static_cast<uint64_t>(i) << 3 | f);
    s.shape = kOpen;
    s.after[0] = take_open(w);
  }
  return open_[s.after[0]];
}

}  // namespace ctxtrail::model
