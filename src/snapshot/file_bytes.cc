/// Snapshot files mapped or read whole (file_bytes.h).
#include "snapshot/file_bytes.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <algorithm>
#include <cstring>
#include <utility>

#include <fmt/format.h>

#include "snapshot/gzip.h"

namespace ctxtrail::snapshot {
namespace {

Error too_large(const std::string& path) {
  return Error{path, std::nullopt, std::nullopt,
               fmt::format("larger than {} MiB: not an input ctxtrail reads", kMaxSnapshotBytes >> 20)};
}

// Reads a stream to its end; `path` names it in errors.
Result<std::string> read_stream(int fd, const std::string& path) {
  std::string bytes;
  char buf[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n == 0) return bytes;
    if (n < 0) {
      if (errno == EINTR) continue;
      return Error{path, bytes.size(), std::nullopt, "read error"};
    }
    bytes.append(buf, static_cast<size_t>(n));
    if (bytes.size() > kMaxSnapshotBytes) return too_large(path);
  }
}

}  // namespace

Result<FileBytes> FileBytes::read(const std::string& path) {
  FileBytes file;
  if (path == "-") {
    Result<std::string> bytes = read_stream(0, path);
    if (!bytes) return bytes.error();
    file.read_ = std::move(bytes.value());
    return file;
  }
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Error{path, std::nullopt, std::nullopt, "cannot open"};
  struct stat st;
  if (::fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
    // A directory opens but does not read: the same "read error" a stream of it gives.
    ::close(fd);
    return Error{path, 0, std::nullopt, "read error"};
  }
  if (S_ISREG(st.st_mode) && st.st_size > 0) {
    const size_t size = static_cast<size_t>(st.st_size);
    if (size > kMaxSnapshotBytes) {
      ::close(fd);
      return too_large(path);
    }
    void* map = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (map != MAP_FAILED) {
      ::close(fd);
      ::madvise(map, size, MADV_SEQUENTIAL);
      file.mapped_ = true;
      file.map_ = static_cast<const char*>(map);
      file.map_size_ = size;
      return file;
    }
  }
  Result<std::string> bytes = read_stream(fd, path);
  ::close(fd);
  if (!bytes) return bytes.error();
  file.read_ = std::move(bytes.value());
  return file;
}

FileBytes::FileBytes(FileBytes&& other) noexcept { *this = std::move(other); }

FileBytes& FileBytes::operator=(FileBytes&& other) noexcept {
  if (this == &other) return *this;
  if (mapped_) ::munmap(const_cast<char*>(map_), map_size_);
  mapped_ = std::exchange(other.mapped_, false);
  map_ = std::exchange(other.map_, nullptr);
  map_size_ = std::exchange(other.map_size_, 0);
  released_ = std::exchange(other.released_, 0);
  read_ = std::move(other.read_);
  return *this;
}

FileBytes::~FileBytes() {
  if (mapped_) ::munmap(const_cast<char*>(map_), map_size_);
}

void FileBytes::release(size_t upto) {
  if (!mapped_) return;
  const size_t page = static_cast<size_t>(::sysconf(_SC_PAGESIZE));
  const size_t whole = std::min(upto, map_size_) / page * page;
  // The mapping is private and never written: dropping its pages loses nothing.
  if (whole > released_) ::madvise(const_cast<char*>(map_) + released_, whole - released_, MADV_DONTNEED);
  released_ = std::max(released_, whole);
}

void FileBytes::rewind() { released_ = 0; }

}  // namespace ctxtrail::snapshot
