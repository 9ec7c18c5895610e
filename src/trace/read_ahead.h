/// The events next() reads ahead, for both readers: one event at a time pays a batch's setup
/// per event (about twice the time of a batch), so next() fills a batch and hands it out one by
/// one, and next_batch() gives those events first.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

#include "ctxtrail/status.h"
#include "ctxtrail/trace/event.h"

namespace ctxtrail::trace {

class ReadAhead {
 public:
  /// fill(Event* out, size_t cap) -> Result<size_t>: the reader's batch read.
  template <typename Fill>
  Result<bool> next(Event& out, Fill&& fill) {
    if (empty()) {
      events_.resize(kEvents);
      pos_ = 0;
      Result<size_t> got = fill(events_.data(), events_.size());
      events_.resize(got.ok() ? *got : 0);
      if (!got.ok()) return got.error();
      if (*got == 0) return false;
    }
    out = events_[pos_++];
    return true;
  }

  template <typename Fill>
  Result<size_t> next_batch(std::span<Event> events, Fill&& fill) {
    size_t given = 0;
    while (pos_ < events_.size() && given < events.size()) events[given++] = events_[pos_++];
    if (given == events.size()) return given;
    Result<size_t> got = fill(events.data() + given, events.size() - given);
    if (!got.ok()) {
      if (given == 0) return got.error();
      return given;  // the error is sticky: the next call answers it
    }
    return given + *got;
  }

  /// Nothing read ahead is left to hand out.
  bool empty() const { return pos_ == events_.size(); }

 private:
  static constexpr size_t kEvents = 256;
  std::vector<Event> events_;  // read by next() and not handed out yet, from pos_ on
  size_t pos_ = 0;
};

}  // namespace ctxtrail::trace
