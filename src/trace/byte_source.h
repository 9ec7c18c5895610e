/// Where trace bytes come from: a memory-mapped file, standard input, or either one gzip-
/// compressed (recognised by its magic bytes, inflated as a stream). The reader looks at a
/// window of bytes; for mapped input the window is the whole file, otherwise a buffer that
/// refills on demand, so memory stays bounded by what the reader keeps.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "ctxtrail/status.h"

namespace ctxtrail::trace {

class ByteSource {
 public:
  /// Reads up to `cap` bytes into `dst`: the count, 0 at the end, -1 on error (sets *err).
  using Pull = std::function<long(uint8_t* dst, size_t cap, std::string* err)>;

  /// Opens `path` ("-" for standard input): mmap for regular files, a stream otherwise.
  static Result<std::unique_ptr<ByteSource>> open(const std::string& path);
  static std::unique_ptr<ByteSource> from_bytes(std::string bytes);
  /// A stream source over `pull`; inflates it when the first bytes are the gzip magic.
  static std::unique_ptr<ByteSource> from_stream(Pull pull);

  virtual ~ByteSource() = default;

  /// Makes at least `n` bytes available at data() unless the input ends first; answers how
  /// many are available. An I/O error ends the input early and is kept in io_error().
  size_t ensure(size_t n) {
    if (static_cast<size_t>(end_ - pos_) >= n) return static_cast<size_t>(end_ - pos_);
    return refill(n);
  }
  const uint8_t* data() const { return pos_; }
  size_t available() const { return static_cast<size_t>(end_ - pos_); }
  void skip(size_t n) {
    pos_ += n;
    offset_ += n;
  }
  /// Byte offset of data() in the (decompressed) input.
  uint64_t offset() const { return offset_; }
  /// Total input size when known (uncompressed regular files), else 0.
  uint64_t total() const { return total_; }
  /// True when bytes handed out stay valid until release(): the reader may keep pointers.
  virtual bool stable() const { return false; }
  /// Everything before input offset `upto` is no longer needed.
  virtual void release(uint64_t upto) { (void)upto; }
  const std::string& io_error() const { return io_error_; }
  /// True when the input is gzip and offsets count the decompressed bytes.
  bool inflated() const { return inflated_; }
  void set_inflated() { inflated_ = true; }

 protected:
  virtual size_t refill(size_t n) = 0;

  const uint8_t* pos_ = nullptr;
  const uint8_t* end_ = nullptr;
  uint64_t offset_ = 0;
  uint64_t total_ = 0;
  std::string io_error_;
  bool inflated_ = false;
};

}  // namespace ctxtrail::trace
