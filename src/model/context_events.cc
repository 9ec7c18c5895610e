/// Decoding of trail's log messages. The grammar is a table, one row per event with its fields
/// in their fixed order, so it can be checked against docs/trail-events.md line by line.
#include "ctxtrail/model/context_events.h"

#include <array>
#include <charconv>
#include <vector>

#include <fmt/format.h>

namespace ctxtrail::model {

namespace {

enum class Field : uint8_t {
  Id, Parent, CtxKind, Deadline, Flags, Ambient, Reason, From, Err, Cause, AfterId, Site,
  // version 2
  ReqId, ProcId, Version, Name, Pid, Host, Wall, Mono, Transport, Dest, Timeout, Sent, Target, RemoteCtx, How,
};

std::string_view field_name(Field f) {
  switch (f) {
    case Field::Id: return "id";
    case Field::Parent: return "parent";
    case Field::CtxKind: return "kind";
    case Field::Deadline: return "deadline";
    case Field::Flags: return "flags";
    case Field::Ambient: return "ambient";
    case Field::Reason: return "reason";
    case Field::From: return "from";
    case Field::Err: return "err";
    case Field::Cause: return "cause";
    case Field::AfterId: return "afterid";
    case Field::Site: return "site";
    case Field::ReqId: return "reqid";
    case Field::ProcId: return "procid";
    case Field::Version: return "version";
    case Field::Name: return "name";
    case Field::Pid: return "pid";
    case Field::Host: return "host";
    case Field::Wall: return "wall";
    case Field::Mono: return "mono";
    case Field::Transport: return "transport";
    case Field::Dest: return "dest";
    case Field::Timeout: return "timeout";
    case Field::Sent: return "sent";
    case Field::Target: return "target";
    case Field::RemoteCtx: return "rctxid";
    case Field::How: return "how";
  }
  return "?";
}

struct EventSpec {
  std::string_view name;
  TrailEventKind kind;
  std::vector<Field> fields;  // a Site is three tokens: func file line
};

const std::array<EventSpec, 12>& specs() {
  using enum Field;
  static const std::array<EventSpec, 12> t = {{
      {"new", TrailEventKind::New, {Id, Parent, CtxKind, Deadline, Flags, Ambient, Site}},
      {"cancel", TrailEventKind::Cancel, {Id, Reason, From, Err, Flags, Site, Cause}},
      {"watch", TrailEventKind::Watch, {Id, Site}},
      {"errseen", TrailEventKind::ErrSeen, {Id, Err, Site}},
      {"late", TrailEventKind::Late, {Id, Err, Site}},
      {"after", TrailEventKind::After, {Id, AfterId, Site}},
      {"afterrun", TrailEventKind::AfterRun, {Id, AfterId}},
      {"proc", TrailEventKind::Proc, {ProcId, Version, Name, Pid, Host, Wall, Mono}},
      {"send", TrailEventKind::Send, {ReqId, Id, Transport, Dest, Deadline, Timeout, Sent, Target}},
      {"abort", TrailEventKind::Abort, {ReqId, Id, Err, Cause}},
      {"remote", TrailEventKind::Remote, {Id, ReqId, Transport, ProcId, RemoteCtx, Deadline, Timeout, Sent, Flags, Target}},
      {"remotecancel", TrailEventKind::RemoteCancel, {Id, ReqId, How, Sent, Cause}},
  }};
  return t;
}

template <typename T>
bool number(std::string_view s, T& out) {
  if (s.empty() || s.front() == '+') return false;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size();
}

bool is_word(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) return false;
  return true;
}

// A transport or `how` name: letters and digits ("k8s").
bool is_name(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return false;
  return true;
}

int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

}  // namespace

std::string_view to_string(TrailEventKind kind) {
  for (const EventSpec& s : specs())
    if (s.kind == kind) return s.name;
  return "?";
}

std::optional<std::string> unescape_trail_string(std::string_view field) {
  if (field == "-") return std::string();
  std::string out;
  out.reserve(field.size());
  for (size_t i = 0; i < field.size(); ++i) {
    if (field[i] != '%') {
      out += field[i];
      continue;
    }
    if (i + 2 >= field.size()) return std::nullopt;
    int hi = hex(field[i + 1]), lo = hex(field[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

TrailParseResult parse_trail_message(std::string_view message) {
  TrailParseResult r;
  std::vector<std::string_view> tok;
  for (size_t at = 0;;) {
    size_t sp = message.find(' ', at);
    tok.push_back(message.substr(at, sp == std::string_view::npos ? std::string_view::npos : sp - at));
    if (sp == std::string_view::npos) break;
    at = sp + 1;
  }
  const EventSpec* spec = nullptr;
  for (const EventSpec& s : specs())
    if (s.name == tok[0]) spec = &s;
  if (spec == nullptr) {
    r.status = TrailParse::Unknown;
    return r;
  }
  TrailEvent& e = r.event;
  e.kind = spec->kind;
  auto bad = [&](size_t i, Field f, std::string_view why) {
    r.status = TrailParse::Malformed;
    r.problem = fmt::format("{}: field {} ({}): {}", spec->name, i, field_name(f), why);
    return r;
  };
  size_t i = 1;
  for (Field f : spec->fields) {
    size_t need = f == Field::Site ? 3 : 1;
    if (i + need > tok.size()) return bad(i, f, "missing");
    std::string_view t = tok[i];
    auto id = [&](uint64_t& out) { return number(t, out); };
    auto str = [&](std::string& out) {
      if (t.empty()) return false;
      auto v = unescape_trail_string(t);
      if (!v) return false;
      out = std::move(*v);
      return true;
    };
    bool ok = true;
    switch (f) {
      case Field::Id: ok = id(e.id); break;
      case Field::Parent: ok = id(e.parent); break;
      case Field::Ambient: ok = id(e.ambient); break;
      case Field::From: ok = id(e.from); break;
      case Field::AfterId: ok = id(e.after_id); break;
      case Field::Deadline: ok = number(t, e.deadline); break;
      case Field::CtxKind: ok = is_word(t), e.ctx_kind = t; break;
      case Field::Reason: ok = is_word(t), e.reason = t; break;
      case Field::Flags:
        ok = t == "-" || is_word(t);
        if (ok && t != "-") e.flags = t;
        break;
      case Field::Err: ok = str(e.err); break;
      case Field::Cause: ok = str(e.cause); break;
      case Field::ReqId: ok = id(e.req_id); break;
      case Field::ProcId: ok = id(e.proc_id); break;
      case Field::Version: ok = id(e.version); break;
      case Field::Pid: ok = id(e.pid); break;
      case Field::Dest: ok = id(e.dest); break;
      case Field::RemoteCtx: ok = id(e.remote_ctx); break;
      case Field::Wall: ok = number(t, e.wall); break;
      case Field::Mono: ok = number(t, e.mono); break;
      case Field::Timeout: ok = number(t, e.timeout); break;
      case Field::Sent: ok = number(t, e.sent); break;
      case Field::Name: ok = str(e.name); break;
      case Field::Host: ok = str(e.host); break;
      case Field::Target: ok = str(e.target); break;
      case Field::Transport: ok = is_name(t), e.transport = t; break;
      case Field::How: ok = is_name(t), e.how = t; break;
      case Field::Site: {
        ok = str(e.site.function);
        if (ok) {
          t = tok[i + 1];
          ok = str(e.site.file);
        }
        if (ok) {
          t = tok[i + 2];
          ok = number(t, e.site.line);
        }
        break;
      }
    }
    if (!ok) return bad(i, f, fmt::format("bad value '{}'", t));
    i += need;
  }
  return r;
}

}  // namespace ctxtrail::model
