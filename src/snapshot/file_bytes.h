/// A snapshot file's bytes, as cheaply as the file allows: a regular file is mapped read-only
/// (no copy on the heap, and the pages a parse has gone past can leave the resident set);
/// standard input, pipes and other streams are read whole into memory.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "ctxtrail/status.h"

namespace ctxtrail::snapshot {

class FileBytes {
 public:
  /// Opens `path` ("-": standard input). Errors: cannot open, a directory, a read error, or
  /// more than kMaxSnapshotBytes (gzip.h).
  static Result<FileBytes> read(const std::string& path);

  FileBytes(FileBytes&& other) noexcept;
  FileBytes& operator=(FileBytes&& other) noexcept;
  FileBytes(const FileBytes&) = delete;
  FileBytes& operator=(const FileBytes&) = delete;
  ~FileBytes();

  std::string_view bytes() const { return mapped_ ? std::string_view(map_, map_size_) : std::string_view(read_); }
  /// Nothing before offset `upto` is needed now. A mapped file's whole pages there leave the
  /// resident set (they stay in the page cache; reading them again maps them back), so a pass
  /// over a big dump holds a few MiB of it at a time. A no-op for bytes read into memory.
  void release(size_t upto);
  /// The next pass starts over: release() counts from the start again (the pages come back
  /// as that pass reads them).
  void rewind();

 private:
  FileBytes() = default;

  bool mapped_ = false;
  const char* map_ = nullptr;
  size_t map_size_ = 0;
  size_t released_ = 0;  // whole pages before this offset are out of the resident set
  std::string read_;
};

}  // namespace ctxtrail::snapshot
