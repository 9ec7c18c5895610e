/// Reading a snapshot file whole and recognising what it is by its content, never its name.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>

#include <fmt/format.h>

#include "ctxtrail/snapshot/snapshot.h"
#include "snapshot/gzip.h"

namespace ctxtrail::snapshot {

std::string_view to_string(Kind kind) {
  switch (kind) {
    case Kind::Dump: return "goroutine dump";
    case Kind::Profile: return "goroutine profile";
    case Kind::LeakProfile: return "goroutine leak profile";
  }
  return "?";
}

bool looks_like_trace(std::string_view head) {
  return head.starts_with("go 1.") && head.find(" trace") != std::string_view::npos &&
         head.find(" trace") < 16;
}

namespace {

Result<std::string> slurp(const std::string& path) {
  std::string bytes;
  std::istream* in = &std::cin;
  std::ifstream file;
  if (path != "-") {
    file.open(path, std::ios::binary);
    if (!file) return Error{path, std::nullopt, std::nullopt, "cannot open"};
    in = &file;
  }
  char buf[1 << 16];
  while (in->read(buf, sizeof buf) || in->gcount() > 0) {
    bytes.append(buf, static_cast<size_t>(in->gcount()));
    if (bytes.size() > kMaxSnapshotBytes)
      return Error{path, std::nullopt, std::nullopt,
                   fmt::format("larger than {} MiB: not an input ctxtrail reads", kMaxSnapshotBytes >> 20)};
  }
  if (in->bad()) return Error{path, bytes.size(), std::nullopt, "read error"};
  return bytes;
}

bool is_text_profile(std::string_view s) {
  return s.starts_with("goroutine profile: total ") || s.starts_with("goroutineleak profile: total ");
}

}  // namespace

Result<Snapshot> read_snapshot(const std::string& path) {
  Result<std::string> raw = slurp(path);
  if (!raw) return raw.error();
  std::string bytes = std::move(raw.value());
  if (is_gzip(bytes)) {
    Result<std::string> inflated = gunzip(bytes, path);
    if (!inflated) return inflated.error();
    bytes = std::move(inflated.value());
  }
  if (looks_like_trace(bytes.substr(0, 32)))
    return Error{path, 0, std::nullopt, "a Go execution trace, where a goroutine dump or profile was expected"};
  if (is_text_profile(bytes)) return parse_profile(bytes, path);
  // A dump may sit anywhere in a larger text (go test output, a log); binary input is protobuf
  // (Go's profiles always hold a NUL: the string table's first entry is empty).
  if (bytes.find('\0') == std::string::npos) {
    Result<Snapshot> dump = parse_dump(bytes, path);
    if (dump) return dump;
    Result<Snapshot> profile = parse_profile(bytes, path);
    if (profile) return profile;
    return Error{path, std::nullopt, std::nullopt,
                 "not a Go execution trace, goroutine dump or pprof goroutine profile: expected a trace header "
                 "(\"go 1.NN trace\"), a line like \"goroutine 1 [running]:\", \"goroutine profile: total N\", "
                 "or a gzip/protobuf profile"};
  }
  return parse_profile(bytes, path);
}

}  // namespace ctxtrail::snapshot
