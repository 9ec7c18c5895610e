/// What the timeline shows that the model does not keep: heap metric samples and log
/// messages, collected from the event stream in the same pass as the model.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "ctxtrail/trace/event.h"
#include "ctxtrail/trace/tables.h"

namespace ctxtrail::analysis {

/// The runtime metric the report plots as "heap".
inline constexpr std::string_view kHeapMetric = "/memory/classes/heap/objects:bytes";

struct MetricSample {
  int64_t time = 0;
  uint64_t value = 0;
};

struct LogRecord {
  int64_t time = 0;
  trace::GoID g = trace::kNoGoroutine;
  trace::StringID category = 0;
  trace::StringID message = 0;
};

struct TraceExtras {
  /// A log-heavy trace would otherwise hold every message: the page shows the first ones.
  static constexpr size_t kMaxLogs = 20000;
  std::vector<MetricSample> heap;
  std::vector<LogRecord> logs;  // the first kMaxLogs
  uint64_t logs_dropped = 0;

  void on_event(const trace::Event& ev, const trace::StringTable& strings);

 private:
  trace::StringID heap_name_ = 0;
};

}  // namespace ctxtrail::analysis
