/// Reading a snapshot file (mapped, or whole from a stream) and recognising what it is by its
/// content, never its name.
#include <cstring>
#include <string>
#include <string_view>
#include <utility>

#include "ctxtrail/snapshot/snapshot.h"
#include "snapshot/dump_text.h"
#include "snapshot/file_bytes.h"
#include "snapshot/gzip.h"
#include "snapshot/profile.h"

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

// Whether the text holds a NUL, looked for a step at a time, telling `release` what is done.
bool has_nul(std::string_view bytes, const ReleaseText& release) {
  for (size_t at = 0; at < bytes.size(); at += kReleaseStep) {
    const std::string_view step = bytes.substr(at, kReleaseStep);
    if (std::memchr(step.data(), '\0', step.size()) != nullptr) return true;
    release(at + step.size());
  }
  return false;
}

}  // namespace

Result<Snapshot> read_snapshot(const std::string& path) {
  Result<FileBytes> read = FileBytes::read(path);
  if (!read) return read.error();
  FileBytes& file = read.value();
  std::string_view bytes = file.bytes();
  std::string inflated;
  if (is_gzip(bytes)) {
    Result<std::string> out = gunzip(bytes, path);
    if (!out) return out.error();
    inflated = std::move(out.value());
    bytes = inflated;
  }
  if (looks_like_trace(bytes.substr(0, 32)))
    return Error{path, 0, std::nullopt, "a Go execution trace, where a goroutine dump or profile was expected"};
  if (is_text_profile(bytes)) return parse_profile(bytes, path);
  // A dump may sit anywhere in a larger text (go test output, a log); binary input is protobuf
  // (Go's profiles always hold a NUL: the string table's first entry is empty).
  // Reading the file's own bytes (not inflated ones), each pass lets the pages it is done with
  // go, so a big dump is never resident whole.
  const ReleaseText release = [&file, own = inflated.empty()](size_t upto) {
    if (own) file.release(upto);
  };
  if (!has_nul(bytes, release)) {
    file.rewind();
    Result<Snapshot> dump = parse_dump(bytes, path, release);
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
