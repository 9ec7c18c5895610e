// Running `ctxtrail` commands in the test's own process (cli::run), with their exit code and
// both output streams: the pipeline tests' way to use the tool as a user does.
#pragma once

#include <sstream>
#include <string>
#include <vector>

#include "ctxtrail/cli/app.h"

namespace ctxtrail::testing {

struct Outcome {
  int code = 0;
  std::string out, err;
};

inline Outcome run(std::vector<std::string> args) {
  args.insert(args.begin(), "ctxtrail");
  std::vector<const char*> argv;
  for (const auto& a : args) argv.push_back(a.c_str());
  std::ostringstream out, err;
  Outcome o;
  o.code = cli::run(static_cast<int>(argv.size()), argv.data(), out, err);
  o.out = out.str();
  o.err = err.str();
  return o;
}

}  // namespace ctxtrail::testing
