#include <fmt/format.h>

#include "ctxtrail/status.h"

namespace ctxtrail {

std::string Error::to_string() const {
  std::string out = file.empty() ? std::string("<input>") : file;
  if (offset) out += fmt::format(": byte {}", *offset);
  if (generation) out += fmt::format(" (generation {})", *generation);
  out += ": ";
  out += message;
  return out;
}

}  // namespace ctxtrail
