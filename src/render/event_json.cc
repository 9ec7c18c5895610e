/// Event lines in JSON and text.
#include "ctxtrail/render/event_json.h"

#include <fmt/format.h>

#include <vector>

namespace ctxtrail::render {
namespace {

using trace::Event;
using trace::EventKind;
using trace::ResourceKind;

/// Length of the valid UTF-8 sequence at s[i], or 0 when it is not valid.
size_t utf8_len(std::string_view s, size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  size_t n;
  uint32_t cp;
  if (c >= 0xc2 && c <= 0xdf) {
    n = 2;
    cp = c & 0x1f;
  } else if (c >= 0xe0 && c <= 0xef) {
    n = 3;
    cp = c & 0x0f;
  } else if (c >= 0xf0 && c <= 0xf4) {
    n = 4;
    cp = c & 0x07;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  for (size_t k = 1; k < n; k++) {
    const auto cc = static_cast<unsigned char>(s[i + k]);
    if ((cc & 0xc0) != 0x80) return 0;
    cp = cp << 6 | (cc & 0x3f);
  }
  if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
      (cp >= 0xd800 && cp <= 0xdfff)) {
    return 0;
  }
  return n;
}

void key(std::string& out, std::string_view k) {
  out += ",\"";
  out += k;
  out += "\":";
}

void add_int(std::string& out, std::string_view k, int64_t v) {
  key(out, k);
  fmt::format_int f(v);
  out.append(f.data(), f.size());
}

void add_uint(std::string& out, std::string_view k, uint64_t v) {
  key(out, k);
  fmt::format_int f(v);
  out.append(f.data(), f.size());
}

void add_str(std::string& out, std::string_view k, std::string_view v) {
  key(out, k);
  append_go_json_string(out, v);
}

std::string_view state_name(const Event& ev, uint8_t s) {
  return ev.resource == ResourceKind::Goroutine ? trace::to_string(static_cast<trace::GoState>(s))
                                                : trace::to_string(static_cast<trace::ProcState>(s));
}

}  // namespace

void append_go_json_string(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  size_t run = 0;  // start of the current run of bytes copied as they are
  for (size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
      i++;
      continue;
    }
    size_t n = c < 0x80 ? 1 : utf8_len(s, i);
    if (n > 1) {
      i += n;  // valid multi-byte UTF-8: copied as it is
      continue;
    }
    out.append(s.substr(run, i - run));
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x80) {
      out += "\\u00";
      out += kHex[c >> 4];
      out += kHex[c & 0xf];
    } else {
      out += "\\ufffd";
    }
    i++;
    run = i;
  }
  out.append(s.substr(run));
  out += '"';
}

std::string_view EventJsonWriter::stack_json(trace::StackID id) {
  if (id >= stack_cache_.size()) {
    stack_cache_.resize(id + 1);
    stack_done_.resize(id + 1);
  }
  if (!stack_done_[id]) {
    stack_done_[id] = true;
    std::string& out = stack_cache_[id];
    out += '[';
    bool first = true;
    for (const trace::Frame& f : stacks_.frames(id)) {
      if (!first) out += ',';
      first = false;
      out += '[';
      append_go_json_string(out, strings_.get(f.func));
      out += ',';
      append_go_json_string(out, strings_.get(f.file));
      out += ',';
      fmt::format_int line(f.line);
      out.append(line.data(), line.size());
      out += ']';
    }
    out += ']';
  }
  return stack_cache_[id];
}

void EventJsonWriter::add_stack(std::string& out, std::string_view k, trace::StackID id) {
  if (id == 0 || stacks_.frames(id).empty()) return;
  key(out, k);
  out += stack_json(id);
}

void EventJsonWriter::append(std::string& out, const Event& ev) {
  const trace::StringTable& strings = strings_;
  out += "{\"time\":";
  fmt::format_int t(ev.time);
  out.append(t.data(), t.size());
  add_str(out, "kind", trace::to_string(ev.kind));
  add_int(out, "g", ev.g);
  add_int(out, "p", ev.p);
  add_int(out, "m", ev.m);
  add_stack(out, "stack", ev.stack);
  switch (ev.kind) {
    case EventKind::StateTransition:
      add_str(out, "resource", trace::to_string(ev.resource));
      add_int(out, "id", ev.resource_id);
      add_str(out, "from", state_name(ev, ev.from));
      add_str(out, "to", state_name(ev, ev.to));
      if (ev.reason != 0) add_str(out, "reason", strings.get(ev.reason));
      add_stack(out, "transition_stack", ev.transition_stack);
      break;
    case EventKind::RangeBegin:
    case EventKind::RangeActive:
    case EventKind::RangeEnd:
      add_str(out, "name", strings.get(ev.name));
      add_str(out, "scope", trace::to_string(ev.scope));
      add_int(out, "scope_id", static_cast<int64_t>(ev.value));
      break;
    case EventKind::TaskBegin:
    case EventKind::TaskEnd:
      add_uint(out, "task", ev.id);
      if (ev.kind == EventKind::TaskBegin) add_uint(out, "parent", ev.parent);
      add_str(out, "type", strings.get(ev.name));
      break;
    case EventKind::RegionBegin:
    case EventKind::RegionEnd:
      add_uint(out, "task", ev.id);
      add_str(out, "type", strings.get(ev.name));
      break;
    case EventKind::Log:
      add_uint(out, "task", ev.id);
      add_str(out, "category", strings.get(ev.name));
      add_str(out, "message", strings.get(ev.text));
      break;
    case EventKind::Label:
      add_str(out, "label", strings.get(ev.name));
      add_str(out, "resource", trace::to_string(ev.resource));
      add_int(out, "id", ev.resource_id);
      break;
    case EventKind::Metric:
      add_str(out, "name", strings.get(ev.name));
      add_uint(out, "value", ev.value);
      break;
    case EventKind::Sync: add_int(out, "n", static_cast<int64_t>(ev.id)); break;
    case EventKind::Experimental: add_str(out, "name", strings.get(ev.name)); break;
    default: break;
  }
  out += "}\n";
}

void append_event_text(std::string& out, const Event& ev, const trace::StringTable& strings,
                       const trace::StackTable& stacks) {
  fmt::format_to(std::back_inserter(out), "{:>15} G{:<6} P{:<3} M{:<8} {}", ev.time, ev.g, ev.p,
                 ev.m, trace::to_string(ev.kind));
  switch (ev.kind) {
    case EventKind::StateTransition:
      fmt::format_to(std::back_inserter(out), " {} {} {}->{}", trace::to_string(ev.resource),
                     ev.resource_id, state_name(ev, ev.from), state_name(ev, ev.to));
      if (ev.reason != 0) fmt::format_to(std::back_inserter(out), " ({})", strings.get(ev.reason));
      break;
    case EventKind::RangeBegin:
    case EventKind::RangeActive:
    case EventKind::RangeEnd:
      fmt::format_to(std::back_inserter(out), " {} [{} {}]", strings.get(ev.name),
                     trace::to_string(ev.scope), static_cast<int64_t>(ev.value));
      break;
    case EventKind::TaskBegin:
    case EventKind::TaskEnd:
    case EventKind::RegionBegin:
    case EventKind::RegionEnd:
      fmt::format_to(std::back_inserter(out), " task={} {}", ev.id, strings.get(ev.name));
      break;
    case EventKind::Log:
      fmt::format_to(std::back_inserter(out), " task={} {}={}", ev.id, strings.get(ev.name),
                     strings.get(ev.text));
      break;
    case EventKind::Label:
    case EventKind::Experimental: fmt::format_to(std::back_inserter(out), " {}", strings.get(ev.name)); break;
    case EventKind::Metric:
      fmt::format_to(std::back_inserter(out), " {}={}", strings.get(ev.name), ev.value);
      break;
    case EventKind::Sync: fmt::format_to(std::back_inserter(out), " n={}", ev.id); break;
    default: break;
  }
  auto frames = stacks.frames(ev.stack);
  if (!frames.empty()) {
    fmt::format_to(std::back_inserter(out), " at {} {}:{}", strings.get(frames[0].func),
                   strings.get(frames[0].file), frames[0].line);
  }
  out += '\n';
}

}  // namespace ctxtrail::render
