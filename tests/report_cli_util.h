/// Helpers for the report and export end-to-end tests: paths, running commands, reading files.
#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace ctxtrail::report_test {

inline std::string source_dir() { return CTXTRAIL_SOURCE_DIR; }
inline std::string ctxtrail_binary() {
  const char* env = std::getenv("CTXTRAIL");
  return env != nullptr ? env : std::string(CTXTRAIL_BINARY_DIR) + "/ctxtrail";
}
/// A folder in the build tree for this test's outputs (kept as artefacts).
inline std::string out_dir(const std::string& name) {
  std::string d = std::string(CTXTRAIL_BINARY_DIR) + "/test-artefacts/" + name;
  std::filesystem::create_directories(d);
  return d;
}
inline std::string workerpool_trace() { return source_dir() + "/testdata/report/workerpool.trace"; }

/// Runs a shell command, its output appended to `log`; answers the exit status.
inline int run(const std::string& cmd, const std::string& log) {
  int rc = std::system((cmd + " >>" + log + " 2>&1").c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : 128;
}
inline std::string slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}
inline bool have_program(const std::string& name) {
  return std::system(("command -v " + name + " >/dev/null 2>&1").c_str()) == 0;
}

}  // namespace ctxtrail::report_test
