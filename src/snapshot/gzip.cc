/// gzip inflation with zlib, bounded.
#include "snapshot/gzip.h"

#include <zlib.h>

#include <algorithm>

#include <fmt/format.h>

namespace ctxtrail::snapshot {

bool is_gzip(std::string_view bytes) {
  return bytes.size() >= 2 && static_cast<unsigned char>(bytes[0]) == 0x1f &&
         static_cast<unsigned char>(bytes[1]) == 0x8b;
}

Result<std::string> gunzip(std::string_view bytes, const std::string& source, uint64_t limit) {
  if (bytes.size() > limit) return Error{source, 0, std::nullopt, fmt::format("larger than {} MiB", limit >> 20)};
  std::string out;
  char buf[1 << 16];
  size_t pos = 0;  // start of the current gzip member
  while (pos < bytes.size() && is_gzip(bytes.substr(pos))) {
    z_stream z{};
    if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) return Error{source, pos, std::nullopt, "cannot start gzip inflation"};
    z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data() + pos));
    z.avail_in = static_cast<uInt>(bytes.size() - pos);  // bytes.size() <= limit < 4 GiB
    int rc = Z_OK;
    while (rc == Z_OK) {
      z.next_out = reinterpret_cast<Bytef*>(buf);
      z.avail_out = sizeof buf;
      rc = inflate(&z, Z_NO_FLUSH);
      out.append(buf, sizeof buf - z.avail_out);
      if (out.size() > limit) {
        rc = Z_MEM_ERROR;
        break;
      }
    }
    // Z_BUF_ERROR: no progress possible; with no input left, the stream was cut off.
    const bool cut = rc == Z_BUF_ERROR && z.avail_in == 0;
    const uint64_t at = pos + z.total_in;
    const std::string why = z.msg != nullptr ? z.msg : "corrupt data";
    inflateEnd(&z);
    if (rc == Z_MEM_ERROR)
      return Error{source, at, std::nullopt,
                   fmt::format("inflates to more than {} MiB: not an input ctxtrail reads", limit >> 20)};
    if (cut) return Error{source, at, std::nullopt, "gzip stream cut off: expected more compressed bytes"};
    if (rc != Z_STREAM_END) return Error{source, at, std::nullopt, fmt::format("bad gzip data ({})", why)};
    pos = at;  // another member may follow (concatenated streams); trailing bytes are ignored
  }
  return out;
}

}  // namespace ctxtrail::snapshot
