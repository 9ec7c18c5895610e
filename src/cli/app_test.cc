#include "ctxtrail/cli/app.h"

#include <gtest/gtest.h>

#include <sstream>

namespace ctxtrail::cli {
namespace {

int run_args(std::vector<const char*> args, std::string* out, std::string* err) {
  args.insert(args.begin(), "ctxtrail");
  std::ostringstream o, e;
  int rc = run(static_cast<int>(args.size()), args.data(), o, e);
  *out = o.str();
  *err = e.str();
  return rc;
}

TEST(App, UnknownCommandIsUsageError) {
  std::string out, err;
  EXPECT_EQ(run_args({"no-such-command"}, &out, &err), kExitUsage);
  EXPECT_NE(err.find("ctxtrail:"), std::string::npos);
}

TEST(App, NoCommandIsUsageError) {
  std::string out, err;
  EXPECT_EQ(run_args({}, &out, &err), kExitUsage);
}

TEST(App, HelpListsCommands) {
  std::string out, err;
  EXPECT_EQ(run_args({"--help"}, &out, &err), kExitOk);
  EXPECT_NE(out.find("stats"), std::string::npos);
  EXPECT_NE(out.find("events"), std::string::npos);
}

}  // namespace
}  // namespace ctxtrail::cli
