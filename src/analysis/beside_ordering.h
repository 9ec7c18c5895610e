/// A per-event consumer run on the reader's ordering thread (Reader::consume_beside) when it has
/// one, so that with --jobs 2 its work leaves the caller's thread, which builds the model and is
/// what the wall time waits for. What the caller sees stays that of one thread: the consumer sees
/// every event once and in order, and when it throws, the caller's loop throws the same exception
/// at the same event (rethrow_at), so for_each_event reports the same error after the same events.
#pragma once

#include <atomic>
#include <cstdint>
#include <exception>
#include <span>

#include "ctxtrail/trace/reader.h"

namespace ctxtrail::analysis {

template <typename Consumer>
class BesideOrdering {
 public:
  /// Asks r to run the consumer on its ordering thread when it has one: answers the string
  /// table the consumer must read there (then use() names the consumer before the first event is
  /// read), else null: the caller's loop calls the consumer itself.
  const trace::StringTable* attach(trace::Reader& r) {
    return r.consume_beside([this](std::span<const trace::Event> events) { consume(events); });
  }
  void use(Consumer& consumer) { consumer_ = &consumer; }

  /// Called by the caller's loop after its own work on the event it was handed as number
  /// `index` (from 0): throws what the consumer threw at that event. The ordering thread ran the
  /// consumer on a block before handing it over, so a failure at `index` is visible by then.
  [[gnu::always_inline]] void rethrow_at(uint64_t index) const {
    if (index == failed_at_.load(std::memory_order_acquire)) [[unlikely]] std::rethrow_exception(failure_);
  }

 private:
  void consume(std::span<const trace::Event> events) {
    if (failure_) return;  // one thread would have stopped at the failing event
    for (const trace::Event& ev : events) {
      try {
        consumer_->on_event(ev);
      } catch (...) {
        failure_ = std::current_exception();
        failed_at_.store(seen_, std::memory_order_release);
        return;
      }
      seen_++;
    }
  }

  Consumer* consumer_ = nullptr;
  uint64_t seen_ = 0;  // the ordering thread's
  std::exception_ptr failure_;  // written by the ordering thread before failed_at_
  std::atomic<uint64_t> failed_at_{UINT64_MAX};
};

}  // namespace ctxtrail::analysis
