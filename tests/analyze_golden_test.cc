// Whole-pipeline tests of `ctxtrail analyze` on the real traces in testdata/analyze: the JSON
// report must equal the reviewed golden file, and the findings must match the programs'
// `// want <rule> <role>` annotations (and nothing else at warning or error).
// Regenerate the golden files (after testdata/analyze/make_traces.sh, or a deliberate change):
//   CTXTRAIL_UPDATE_GOLDEN=1 build/release/pipeline_tests --gtest_filter='AnalyzeGolden*'
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "ctxtrail/cli/app.h"

namespace {

namespace fs = std::filesystem;
const fs::path kDir = fs::path(CTXTRAIL_SOURCE_DIR) / "testdata" / "analyze";

std::vector<std::string> trace_names() {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(kDir))
    if (e.path().extension() == ".trace") names.push_back(e.path().stem().string());
  std::sort(names.begin(), names.end());
  return names;
}

nlohmann::json analyze(const std::string& name, int* rc) {
  std::string path = (kDir / (name + ".trace")).string();
  std::vector<const char*> argv = {"ctxtrail", "analyze", path.c_str(), "--format", "json"};
  std::ostringstream out, err;
  *rc = ctxtrail::cli::run(static_cast<int>(argv.size()), argv.data(), out, err);
  auto j = nlohmann::json::parse(out.str());
  j["trace"] = name + ".trace";  // not the checkout's path
  j.erase("tool");                // the build's version (cli_version_test checks it)
  return j;
}

struct Want {
  std::string rule, role, file;
  int line;
};

// `// want <rule> <role>` lines of programs/<name>/*.go; file is relative to programs/.
std::vector<Want> wants(const std::string& name) {
  std::vector<Want> out;
  std::regex re(R"(//\s*want\s+([a-z-]+)\s+([a-z]+))");
  for (const auto& e : fs::directory_iterator(kDir / "programs" / name)) {
    if (e.path().extension() != ".go") continue;
    std::ifstream in(e.path());
    std::string line;
    for (int n = 1; std::getline(in, line); ++n) {
      std::smatch m;
      if (std::regex_search(line, m, re))
        out.push_back({m[1], m[2], name + "/" + e.path().filename().string(), n});
    }
  }
  return out;
}

class AnalyzeGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(AnalyzeGolden, MatchesGoldenJson) {
  int rc = 0;
  nlohmann::json got = analyze(GetParam(), &rc);
  fs::path golden = kDir / (GetParam() + ".golden.json");
  if (std::getenv("CTXTRAIL_UPDATE_GOLDEN")) {
    std::ofstream(golden) << got.dump(2) << "\n";
    GTEST_SKIP() << "rewrote " << golden;
  }
  std::ifstream in(golden);
  ASSERT_TRUE(in) << "no " << golden << "; run with CTXTRAIL_UPDATE_GOLDEN=1";
  nlohmann::json want = nlohmann::json::parse(in);
  EXPECT_EQ(got, want) << got.dump(2);
  bool errors = false;
  for (const auto& f : got["findings"]) errors = errors || f["severity"] == "error";
  EXPECT_EQ(rc, errors ? 1 : 0);  // --fail-on error
}

TEST_P(AnalyzeGolden, FindingsMatchWantAnnotations) {
  int rc = 0;
  nlohmann::json got = analyze(GetParam(), &rc);
  std::vector<Want> ws = wants(GetParam());
  for (const Want& w : ws) {
    bool found = false;
    for (const auto& f : got["findings"])
      for (const auto& l : f["locations"]) {
        std::string file = l["file"];
        if (f["rule"] == w.rule && l["role"] == w.role && l["line"] == w.line &&
            file.size() >= w.file.size() && file.compare(file.size() - w.file.size(), w.file.size(), w.file) == 0)
          found = true;
      }
    EXPECT_TRUE(found) << "missing: " << w.rule << " " << w.role << " at " << w.file << ":" << w.line;
  }
  for (const auto& f : got["findings"]) {
    bool wanted = false;
    for (const Want& w : ws) wanted = wanted || f["rule"] == w.rule;
    EXPECT_TRUE(wanted || f["severity"] == "info") << "unexpected: " << f.dump();
  }
}

INSTANTIATE_TEST_SUITE_P(Traces, AnalyzeGolden, ::testing::ValuesIn(trace_names()),
                         [](const auto& info) { return info.param; });

}  // namespace
