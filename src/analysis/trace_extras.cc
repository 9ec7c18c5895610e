/// Heap samples and logs from the event stream.
#include "ctxtrail/analysis/trace_extras.h"

namespace ctxtrail::analysis {

void TraceExtras::on_event(const trace::Event& ev, const trace::StringTable& strings) {
  if (ev.kind == trace::EventKind::Metric) {
    // The metric's name is interned once the generation that names it is read.
    if (heap_name_ == 0) heap_name_ = strings.find(kHeapMetric);
    if (heap_name_ != 0 && ev.name == heap_name_) heap.push_back({ev.time, ev.value});
  } else if (ev.kind == trace::EventKind::Log) {
    if (logs.size() < kMaxLogs) {
      logs.push_back({ev.time, ev.g, ev.name, ev.text});
    } else {
      ++logs_dropped;
    }
  }
}

}  // namespace ctxtrail::analysis
