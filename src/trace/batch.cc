/// Batch headers and the file header.
#include "trace/batch.h"

#include <fmt/format.h>

#include "trace/varint.h"

namespace ctxtrail::trace {
namespace {

Error at(uint64_t offset, std::string message) {
  return Error{{}, offset, {}, std::move(message)};
}

/// Reads one varint of a batch header; `what` names it in errors.
Result<uint64_t> header_varint(ByteSource& src, const char* what, bool* eof_like) {
  const uint64_t off = src.offset();
  size_t have = src.ensure(kMaxVarintLen);
  uint64_t v = 0;
  int n = read_uvarint(src.data(), src.data() + have, &v);
  if (n < 0) return at(off, fmt::format("error reading batch {}: varint overflows a 64-bit integer", what));
  if (n == 0) {
    std::string why = have == 0 ? "EOF" : "unexpected EOF";
    if (have == 0 && eof_like != nullptr) *eof_like = true;
    if (!src.io_error().empty()) why += " (" + src.io_error() + ")";
    return at(off, fmt::format("error reading batch {}: {}", what, why));
  }
  src.skip(static_cast<size_t>(n));
  return v;
}

}  // namespace

Result<bool> read_batch(ByteSource& src, Batch* out, bool* eof_like) {
  *out = Batch{};
  out->offset = src.offset();
  if (src.ensure(1) == 0) return false;
  const uint8_t type = src.data()[0];
  src.skip(1);
  if (type == wire::EvEndOfGeneration) {
    out->end_of_generation = true;
    return true;
  }
  if (type != wire::EvEventBatch && type != wire::EvExperimentalBatch) {
    return at(out->offset, fmt::format("expected batch event, got event {}", type));
  }
  if (type == wire::EvExperimentalBatch) {
    if (src.ensure(1) == 0) return false;  // Go's readBatch answers a bare EOF here
    out->exp = src.data()[0];
    src.skip(1);
  }
  auto gen = header_varint(src, "gen", eof_like);
  if (!gen.ok()) return gen.error();
  out->gen = *gen;
  auto m = header_varint(src, "M ID", eof_like);
  if (!m.ok()) return m.error();
  out->m = static_cast<int64_t>(*m);
  auto ts = header_varint(src, "timestamp", eof_like);
  if (!ts.ok()) return ts.error();
  out->time = *ts;
  auto size = header_varint(src, "size", eof_like);
  if (!size.ok()) return size.error();
  if (*size > wire::kMaxBatchSize) {
    return at(out->offset, fmt::format("invalid batch size {}, maximum is {}", *size,
                                       wire::kMaxBatchSize));
  }
  size_t have = src.ensure(*size);
  if (have < *size) {
    std::string msg = fmt::format("failed to read full batch: read {} but wanted {}", have, *size);
    if (!src.io_error().empty()) msg += " (" + src.io_error() + ")";
    return at(src.offset(), msg);
  }
  out->payload_offset = src.offset();
  out->data = src.data();
  out->size = static_cast<uint32_t>(*size);
  src.skip(*size);
  return true;
}

Result<int> read_header(ByteSource& src) {
  constexpr size_t kHeaderSize = 16;
  size_t have = src.ensure(kHeaderSize);
  std::string_view head(reinterpret_cast<const char*>(src.data()), have < kHeaderSize ? have : kHeaderSize);
  auto bad = [&] {
    std::string msg = "bad file format: not a Go execution trace (expected header \"go 1.N trace\")";
    if (!src.io_error().empty()) msg += " (" + src.io_error() + ")";
    return at(0, msg);
  };
  constexpr std::string_view kPrefix = "go 1.";
  if (head.substr(0, kPrefix.size()) != kPrefix) return bad();
  size_t i = kPrefix.size();
  int version = 0;
  size_t digits = 0;
  while (i < head.size() && head[i] >= '0' && head[i] <= '9' && digits < 4) {
    version = version * 10 + (head[i] - '0');
    i++;
    digits++;
  }
  constexpr std::string_view kSuffix = " trace";
  if (digits == 0 || head.substr(i, kSuffix.size()) != kSuffix) return bad();
  i += kSuffix.size();
  if (version < 22) {
    return at(0, fmt::format("pre-1.22 trace format (Go 1.{}) is not supported; "
                             "re-record the trace with Go 1.22 or newer", version));
  }
  // Go reads the header with "go 1.%d trace\x00\x00\x00": three NUL bytes follow.
  for (int k = 0; k < 3; k++, i++) {
    if (i >= head.size() || head[i] != '\0') return bad();
  }
  if (version != wire::kGo122 && version != wire::kGo123 && version != wire::kGo125 &&
      version != wire::kGo126) {
    return at(0, fmt::format("unknown or unsupported trace version go 1.{}", version));
  }
  src.skip(i);
  return version;
}

}  // namespace ctxtrail::trace
