/// Chrome Trace Event JSON: pid = start-function group, tid = goroutine ID; states as X events,
/// cancels as i events, spawn / wake / cancel edges as s/f flows bound to enclosing slices;
/// findings as i events (category "finding", named by rule) on their goroutines' threads.
#include <iterator>

#include <fmt/format.h>

#include "ctxtrail/render/html_escape.h"
#include "export_timeline.h"

namespace ctxtrail::render {
namespace {

/// Microseconds with three decimals: exact nanoseconds.
void append_us(std::string& out, int64_t ns) {
  fmt::format_to(std::back_inserter(out), "{}.{:03}", ns / 1000, ns % 1000);
}

}  // namespace

std::string export_chrome_json(const RenderInput& in, const ExportOptions& options) {
  const model::Model& m = in.model;
  Timeline t = build_timeline(in, options);
  std::string out = "{\"displayTimeUnit\":\"ns\",\"otherData\":{\"tool\":\"ctxtrail\",\"trace\":";
  append_json_string(out, in.trace_name);
  out += "},\"traceEvents\":[\n";
  bool first = true;
  auto begin_event = [&] {
    if (!first) out += ",\n";
    first = false;
  };
  auto pid = [&](size_t row) { return t.group_of[row] + 1; };
  auto tid = [&](size_t row) { return m.goroutines[row].id; };

  for (size_t gi = 0; gi < t.groups.size(); ++gi) {
    begin_event();
    out += fmt::format("{{\"ph\":\"M\",\"name\":\"process_name\",\"pid\":{},\"args\":{{\"name\":", gi + 1);
    append_json_string(out, fmt::format("{} ({})", t.groups[gi].function, t.groups[gi].rows.size()));
    out += "}}";
    for (size_t row : t.groups[gi].rows) {
      begin_event();
      out += fmt::format("{{\"ph\":\"M\",\"name\":\"thread_name\",\"pid\":{},\"tid\":{},\"args\":{{\"name\":",
                         gi + 1, tid(row));
      append_json_string(out, fmt::format("G{} {}", tid(row), t.groups[gi].function));
      out += "}}";
      begin_event();
      out += fmt::format("{{\"ph\":\"M\",\"name\":\"thread_sort_index\",\"pid\":{},\"tid\":{},\"args\":{{\"sort_index\":{}}}}}",
                         gi + 1, tid(row), tid(row));
    }
  }
  for (const TimelineSlice& s : t.slices) {
    begin_event();
    out += fmt::format("{{\"ph\":\"X\",\"cat\":\"state\",\"pid\":{},\"tid\":{},\"ts\":", pid(s.row), tid(s.row));
    append_us(out, s.begin);
    out += ",\"dur\":";
    append_us(out, s.end - s.begin);
    out += ",\"name\":";
    append_json_string(out, *s.name);
    if (!s.stack->empty()) {
      out += ",\"args\":{\"stack\":";
      append_json_string(out, *s.stack);
      out += "}";
    }
    out += "}";
  }
  // An instant on a goroutine's thread (row), or global (SIZE_MAX), up to its name.
  auto begin_instant = [&](size_t row, std::string_view category, int64_t time, std::string_view name) {
    begin_event();
    if (row == SIZE_MAX) {
      out += fmt::format("{{\"ph\":\"i\",\"s\":\"g\",\"cat\":\"{}\",\"pid\":1,\"tid\":0,\"ts\":", category);
    } else {
      out += fmt::format("{{\"ph\":\"i\",\"s\":\"t\",\"cat\":\"{}\",\"pid\":{},\"tid\":{},\"ts\":", category,
                         pid(row), tid(row));
    }
    append_us(out, time);
    out += ",\"name\":";
    append_json_string(out, name);
  };
  for (const TimelineInstant& i : t.instants) {
    begin_instant(i.row, "cancel", i.time, i.name);
    out += fmt::format(",\"args\":{{\"wave\":{}}}}}", i.wave);
  }
  for (const TimelineFinding& tf : t.findings) {
    const diagnose::Finding& f = *tf.finding;
    begin_instant(tf.row, "finding", tf.time, f.rule);
    out += ",\"args\":{\"severity\":";
    append_json_string(out, diagnose::to_string(f.severity));
    out += ",\"message\":";
    append_json_string(out, f.message);
    out += ",\"locations\":";
    append_json_string(out, *tf.locations);
    out += fmt::format(",\"goroutines\":{}}}}}", f.count);
  }
  static constexpr const char* kFlowName[] = {"spawn", "wake", "cancel"};
  for (const TimelineFlow& f : t.flows) {
    for (int end = 0; end < 2; ++end) {
      size_t row = end == 0 ? f.from_row : f.to_row;
      begin_event();
      out += fmt::format("{{\"ph\":\"{}\",\"bp\":\"e\",\"cat\":\"flow\",\"name\":\"{}\",\"id\":{},\"pid\":{},\"tid\":{},\"ts\":",
                         end == 0 ? 's' : 'f', kFlowName[f.kind], f.id, pid(row), tid(row));
      append_us(out, f.time);
      out += "}";
    }
  }
  out += "\n]}\n";
  return out;
}

}  // namespace ctxtrail::render
