/// Byte sources: mapped memory (stable pointers) and refilling streams (read(2) or zlib).
#include "trace/byte_source.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <cerrno>
#include <cstring>

namespace ctxtrail::trace {
namespace {

bool is_gzip(const uint8_t* p, size_t n) { return n >= 2 && p[0] == 0x1f && p[1] == 0x8b; }

/// The whole input in memory: owned bytes or a read-only file mapping.
class MemorySource final : public ByteSource {
 public:
  explicit MemorySource(std::string bytes) : owned_(std::move(bytes)) {
    init(reinterpret_cast<const uint8_t*>(owned_.data()), owned_.size());
  }
  MemorySource(void* map, size_t size) : map_(map), map_size_(size) {
    init(static_cast<const uint8_t*>(map), size);
  }
  ~MemorySource() override {
    if (map_ != nullptr) munmap(map_, map_size_);
  }
  bool stable() const override { return true; }
  void release(uint64_t upto) override {
    // Drop the mapped pages already consumed so the resident set stays about one generation.
    if (map_ == nullptr) return;
    const uint64_t page = static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
    const uint64_t end = upto / page * page;
    if (end > released_) {
      madvise(static_cast<uint8_t*>(map_) + released_, end - released_, MADV_DONTNEED);
      released_ = end;
    }
  }

 protected:
  size_t refill(size_t) override { return available(); }

 private:
  void init(const uint8_t* p, size_t n) {
    pos_ = p;
    end_ = p + n;
    total_ = n;
  }
  std::string owned_;
  void* map_ = nullptr;
  size_t map_size_ = 0;
  uint64_t released_ = 0;
};

/// A buffer refilled from a pull function; bytes move when the buffer compacts.
class StreamSource final : public ByteSource {
 public:
  explicit StreamSource(Pull pull) : pull_(std::move(pull)) {
    buf_.resize(1 << 20);
    pos_ = end_ = buf_.data();
  }

 protected:
  size_t refill(size_t n) override {
    size_t have = available();
    if (eof_) return have;
    const size_t start = static_cast<size_t>(pos_ - buf_.data());
    if (start + n > buf_.size()) {
      // Compact: keep only the unread bytes, at the front.
      std::memmove(buf_.data(), pos_, have);
      if (n > buf_.size()) buf_.resize(n);
      pos_ = buf_.data();
      end_ = pos_ + have;
    }
    while (have < n && !eof_) {
      uint8_t* dst = const_cast<uint8_t*>(end_);
      const size_t cap = buf_.size() - static_cast<size_t>(end_ - buf_.data());
      long got = pull_(dst, cap, &io_error_);
      if (got <= 0) {
        eof_ = true;
        break;
      }
      end_ += got;
      have += static_cast<size_t>(got);
    }
    return have;
  }

 private:
  Pull pull_;
  std::vector<uint8_t> buf_;
  bool eof_ = false;
};

/// Inflates gzip (or zlib) data pulled from `inner`; concatenated gzip members are read on.
class Inflater {
 public:
  explicit Inflater(ByteSource::Pull inner) : inner_(std::move(inner)) {
    std::memset(&z_, 0, sizeof z_);
    ok_ = inflateInit2(&z_, 15 + 32) == Z_OK;
    in_.resize(1 << 16);
  }
  Inflater(const uint8_t* data, size_t size) : Inflater(ByteSource::Pull{}) {
    z_.next_in = const_cast<Bytef*>(data);
    z_.avail_in = 0;
    mem_ = data;
    mem_left_ = size;
  }
  ~Inflater() { inflateEnd(&z_); }

  long pull(uint8_t* dst, size_t cap, std::string* err) {
    if (!ok_) {
      *err = "cannot initialise zlib";
      return -1;
    }
    // A corrupt or cut stream is reported on the call after the last good bytes, so those
    // bytes still count; it is reported again on every later call (never as a clean end).
    if (done_) {
      if (failure_.empty()) return 0;
      *err = failure_;
      return -1;
    }
    z_.next_out = dst;
    z_.avail_out = static_cast<uInt>(cap > (1u << 30) ? (1u << 30) : cap);
    while (z_.avail_out > 0) {
      if (z_.avail_in == 0 && !input_eof_) {
        if (!feed(err)) return -1;
        if (z_.avail_in == 0) input_eof_ = true;
      }
      if (input_eof_ && !in_member_) {
        done_ = true;
        break;
      }
      in_member_ = true;
      const uInt before = z_.avail_out;
      int rc = inflate(&z_, Z_NO_FLUSH);
      if (rc == Z_STREAM_END) {
        in_member_ = false;
        inflateReset(&z_);
        continue;
      }
      if (rc == Z_BUF_ERROR || (input_eof_ && z_.avail_out == before)) {
        failure_ = "gzip stream truncated (no gzip trailer)";
        done_ = true;
        break;
      }
      if (rc != Z_OK) {
        failure_ = std::string("gzip data corrupt: ") + (z_.msg ? z_.msg : "inflate failed");
        done_ = true;
        break;
      }
    }
    long produced = static_cast<long>(cap - z_.avail_out);
    if (produced == 0 && !failure_.empty()) {
      *err = failure_;
      return -1;
    }
    return produced;
  }

 private:
  bool feed(std::string* err) {
    if (mem_ != nullptr) {
      size_t n = mem_left_ > (1u << 30) ? (1u << 30) : mem_left_;
      z_.next_in = const_cast<Bytef*>(mem_);
      z_.avail_in = static_cast<uInt>(n);
      mem_ += n;
      mem_left_ -= n;
      return true;
    }
    if (!inner_) return true;
    long got = inner_(in_.data(), in_.size(), err);
    if (got < 0) return false;
    z_.next_in = in_.data();
    z_.avail_in = static_cast<uInt>(got);
    return true;
  }

  ByteSource::Pull inner_;
  z_stream z_;
  bool ok_ = false;
  bool done_ = false;
  bool in_member_ = false;
  bool input_eof_ = false;
  std::string failure_;  // sticky: the stream's corruption, once found
  std::vector<uint8_t> in_;
  const uint8_t* mem_ = nullptr;
  size_t mem_left_ = 0;
};

ByteSource::Pull inflating(std::shared_ptr<Inflater> z) {
  return [z](uint8_t* dst, size_t cap, std::string* err) { return z->pull(dst, cap, err); };
}

ByteSource::Pull fd_pull(int fd, bool close_it) {
  auto holder = std::shared_ptr<int>(new int(fd), [close_it](int* p) {
    if (close_it) ::close(*p);
    delete p;
  });
  return [holder](uint8_t* dst, size_t cap, std::string* err) -> long {
    for (;;) {
      ssize_t n = ::read(*holder, dst, cap);
      if (n >= 0) return static_cast<long>(n);
      if (errno == EINTR) continue;
      *err = std::strerror(errno);
      return -1;
    }
  };
}

/// Gzip over mapped memory: keeps the mapping alive for the inflater.
class MappedGzip {
 public:
  MappedGzip(void* map, size_t size) : map_(map), size_(size) {}
  ~MappedGzip() { munmap(map_, size_); }
  void* map_;
  size_t size_;
};

}  // namespace

std::unique_ptr<ByteSource> ByteSource::from_bytes(std::string bytes) {
  const auto* p = reinterpret_cast<const uint8_t*>(bytes.data());
  if (is_gzip(p, bytes.size())) {
    auto owned = std::make_shared<std::string>(std::move(bytes));
    auto z = std::make_shared<Inflater>(reinterpret_cast<const uint8_t*>(owned->data()),
                                        owned->size());
    auto src = std::make_unique<StreamSource>(
        [owned, z](uint8_t* dst, size_t cap, std::string* err) { return z->pull(dst, cap, err); });
    src->set_inflated();
    return src;
  }
  return std::make_unique<MemorySource>(std::move(bytes));
}

std::unique_ptr<ByteSource> ByteSource::from_stream(Pull pull) {
  // Peek at the first two bytes to decide whether to inflate.
  uint8_t head[2];
  size_t have = 0;
  std::string err;
  while (have < 2) {
    long got = pull(head + have, 2 - have, &err);
    if (got <= 0) break;
    have += static_cast<size_t>(got);
  }
  auto prefix = std::make_shared<std::vector<uint8_t>>(head, head + have);
  auto prefixed = [prefix, pull, err](uint8_t* dst, size_t cap, std::string* e) mutable -> long {
    if (!prefix->empty()) {
      size_t n = std::min(cap, prefix->size());
      std::memcpy(dst, prefix->data(), n);
      prefix->erase(prefix->begin(), prefix->begin() + static_cast<long>(n));
      return static_cast<long>(n);
    }
    if (!err.empty()) {
      *e = err;
      return -1;
    }
    return pull(dst, cap, e);
  };
  if (is_gzip(head, have)) {
    auto src = std::make_unique<StreamSource>(inflating(std::make_shared<Inflater>(prefixed)));
    src->set_inflated();
    return src;
  }
  return std::make_unique<StreamSource>(prefixed);
}

Result<std::unique_ptr<ByteSource>> ByteSource::open(const std::string& path) {
  if (path == "-") return from_stream(fd_pull(0, false));
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Error{path, {}, {}, std::string("cannot open: ") + std::strerror(errno)};
  struct stat st;
  if (fstat(fd, &st) != 0) {
    std::string msg = std::strerror(errno);
    ::close(fd);
    return Error{path, {}, {}, "cannot stat: " + msg};
  }
  if (S_ISDIR(st.st_mode)) {
    ::close(fd);
    return Error{path, {}, {}, "is a directory, not a trace file"};
  }
  if (!S_ISREG(st.st_mode)) return from_stream(fd_pull(fd, true));
  const size_t size = static_cast<size_t>(st.st_size);
  if (size == 0) {
    ::close(fd);
    return from_bytes(std::string());
  }
  void* map = mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  if (map == MAP_FAILED) return from_stream(fd_pull(fd, true));
  ::close(fd);
  madvise(map, size, MADV_SEQUENTIAL);
  if (is_gzip(static_cast<const uint8_t*>(map), size)) {
    auto keep = std::make_shared<MappedGzip>(map, size);
    auto z = std::make_shared<Inflater>(static_cast<const uint8_t*>(map), size);
    auto src = std::make_unique<StreamSource>(
        [keep, z](uint8_t* dst, size_t cap, std::string* err) { return z->pull(dst, cap, err); });
    src->set_inflated();
    return std::unique_ptr<ByteSource>(std::move(src));
  }
  return std::unique_ptr<ByteSource>(std::make_unique<MemorySource>(map, size));
}

}  // namespace ctxtrail::trace
