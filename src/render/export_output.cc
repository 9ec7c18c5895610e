#include "ctxtrail/render/export_output.h"

#include <cerrno>
#include <cstring>
#include <fstream>

namespace ctxtrail::render {

std::string write_output(const std::string& path, std::string_view data, std::ostream& out) {
  if (path == "-") {
    out.write(data.data(), static_cast<std::streamsize>(data.size()));
    out.flush();
    return out ? "" : "cannot write to standard output";
  }
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  if (!f) return path + ": " + std::strerror(errno);
  f.write(data.data(), static_cast<std::streamsize>(data.size()));
  f.close();
  if (!f) return path + ": write failed";
  return "";
}

}  // namespace ctxtrail::render
