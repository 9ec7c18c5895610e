/// Fuzz target: any bytes through every stage after the reader (model, context tree, rules and
/// each renderer) by way of the commands themselves, with --partial so that what is read before
/// a broken tail is analyzed too. Each must end with a result, findings or a clean input error,
/// never a crash, a sanitizer report or another exit code. Seeds: small real traces, some with
/// the IDs of long-lived processes; the mutator also shifts IDs (id_shift_mutator.h).
#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <sstream>
#include <string>
#include <vector>

#include "ctxtrail/cli/app.h"
#include "id_shift_mutator.h"

namespace {

int run(std::vector<std::string> args, std::string* err) {
  args.insert(args.begin(), "ctxtrail");
  std::vector<const char*> argv;
  for (const std::string& a : args) argv.push_back(a.c_str());
  std::ostringstream out, e;
  const int code = ctxtrail::cli::run(static_cast<int>(argv.size()), argv.data(), out, e);
  *err = e.str();
  return code;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // The commands read a file: the input is one in memory, named through /proc.
  const int fd = memfd_create("trace", 0);
  if (fd < 0) return 0;
  for (size_t off = 0; off < size;) {
    const ssize_t n = write(fd, data + off, size - off);
    if (n <= 0) {
      close(fd);
      return 0;
    }
    off += static_cast<size_t>(n);
  }
  const std::string file = "/proc/self/fd/" + std::to_string(fd);
  const std::vector<std::vector<std::string>> commands = {
      {"analyze", "--format", "json", "--partial", file},
      {"analyze", "--format", "sarif", "--partial", file},
      {"report", file, "-o", "/dev/null", "--partial"},
      {"export", file, "--format", "perfetto", "-o", "/dev/null", "--partial"},
      {"export", file, "--format", "chrome-json", "-o", "/dev/null", "--partial"},
      {"export", file, "--format", "dot", "-o", "/dev/null", "--partial"},
      {"export", file, "--format", "mermaid", "-o", "/dev/null", "--partial"},
      {"dag", file, "--partial"},
      {"contexts", "--json", file, "--partial"},
      {"lifecycle", file, "--goroutine", "1", "--partial"},
  };
  for (const auto& c : commands) {
    std::string err;
    const int code = run(c, &err);
    const bool absent = c[0] == "lifecycle" && code == 2;  // no goroutine 1 in this input
    if (code != 0 && code != 1 && code != 3 && !absent) std::abort();
    if (code == 3 && err.empty()) std::abort();  // an input error must say what was wrong
    // A broken invariant is reported, not undefined behaviour, but it is still a bug to find.
    if (err.find("internal error") != std::string::npos) std::abort();
  }
  close(fd);
  return 0;
}
