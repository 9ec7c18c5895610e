#include "cli/cli_docs.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <regex>
#include <sstream>

#include "ctxtrail/cli/app.h"
#include "ctxtrail/version.h"

namespace ctxtrail::cli {
namespace {

int run_args(std::vector<const char*> args, std::string* out) {
  args.insert(args.begin(), "ctxtrail");
  std::ostringstream o, e;
  int rc = run(static_cast<int>(args.size()), args.data(), o, e);
  *out = o.str();
  return rc;
}

std::string demo() { return std::string(CTXTRAIL_SOURCE_DIR) + "/testdata/demo/checkout.trace"; }

TEST(Version, IsSemanticAndNamedByEveryOutputThatNamesItsProducer) {
  const std::string v(version());
  // 0.1.0, or 0.1.0+git.<commit>[.dirty] from a checkout: SARIF's semanticVersion must be one.
  EXPECT_TRUE(std::regex_match(v, std::regex(R"(\d+\.\d+\.\d+(\+git\.[0-9a-f]+(\.dirty)?)?)"))) << v;
  std::string out;
  EXPECT_EQ(run_args({"--version"}, &out), kExitOk);
  EXPECT_EQ(out, "ctxtrail " + v + "\n");
  const std::string trace = demo();
  run_args({"analyze", trace.c_str(), "--format", "json"}, &out);
  auto json = nlohmann::json::parse(out);
  EXPECT_EQ(json["tool"]["name"], "ctxtrail");
  EXPECT_EQ(json["tool"]["version"], v);
  run_args({"analyze", trace.c_str(), "--format", "sarif"}, &out);
  auto sarif = nlohmann::json::parse(out);
  EXPECT_EQ(sarif["runs"][0]["tool"]["driver"]["version"], v);
  EXPECT_EQ(sarif["runs"][0]["tool"]["driver"]["semanticVersion"], v);
}

TEST(Completion, NamesEveryVisibleCommandAndTheValuesOfAFlag) {
  std::string bash, zsh, fish;
  ASSERT_EQ(run_args({"completion", "bash"}, &bash), kExitOk);
  ASSERT_EQ(run_args({"completion", "zsh"}, &zsh), kExitOk);
  ASSERT_EQ(run_args({"completion", "fish"}, &fish), kExitOk);
  for (const char* command : {"stats", "analyze", "report", "export", "capture", "diff"}) {
    EXPECT_NE(bash.find(std::string(command) + ")"), std::string::npos) << command;
    EXPECT_NE(zsh.find(std::string("'") + command + ":"), std::string::npos) << command;
    EXPECT_NE(fish.find(std::string("-a ") + command + " "), std::string::npos) << command;
  }
  // The hidden manpage command is not offered.
  EXPECT_EQ(bash.find("manpage"), std::string::npos);
  // export's --format values come from its own check.
  EXPECT_NE(bash.find("'perfetto chrome-json dot mermaid'"), std::string::npos);
  EXPECT_NE(zsh.find("(perfetto chrome-json dot mermaid)"), std::string::npos);
  EXPECT_NE(fish.find("-a 'perfetto chrome-json dot mermaid'"), std::string::npos);
  std::string out;
  EXPECT_EQ(run_args({"completion", "tcsh"}, &out), kExitUsage);
}

TEST(ManPage, HasASectionPerCommandAndTheExitCodes) {
  std::string page;
  ASSERT_EQ(run_args({"manpage"}, &page), kExitOk);
  EXPECT_EQ(page.find(".TH CTXTRAIL 1"), page.find(".TH"));
  for (const char* command : {"stats", "analyze", "report", "export", "capture", "diff", "completion"})
    EXPECT_NE(page.find(std::string(".SS \"ctxtrail ") + command + "\""), std::string::npos) << command;
  EXPECT_NE(page.find(".SH \"EXIT STATUS\""), std::string::npos);
  EXPECT_NE(page.find("\\fB\\-\\-format\\fR \\fIFORMAT\\fR"), std::string::npos);
  // A description line that starts with a dot would be a roff request: guarded.
  for (size_t at = page.find("\n."); at != std::string::npos; at = page.find("\n.", at + 1)) {
    const std::string line = page.substr(at + 1, page.find('\n', at + 1) - at - 1);
    EXPECT_TRUE(std::regex_match(line, std::regex(R"(\.(TH|SH|SS|TP|B|I|RI|BR|nf|fi|\\").*)"))) << line;
  }
}

}  // namespace
}  // namespace ctxtrail::cli
