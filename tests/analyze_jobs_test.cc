// `analyze --jobs 2` builds the context tree on the reader's ordering thread
// (src/analysis/beside_ordering.h) while the caller builds the model: its output must be
// byte-identical to `--jobs 1`'s, where both are built on one thread, on every trace with trail
// events (testdata/analyze, whose context trees are not empty) and on the traces of other kinds.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <sstream>

#include "ctxtrail/cli/app.h"

namespace {

namespace fs = std::filesystem;

std::vector<fs::path> traces() {
  std::vector<fs::path> out;
  for (const char* dir : {"analyze", "traces"}) {
    for (const auto& e : fs::directory_iterator(fs::path(CTXTRAIL_SOURCE_DIR) / "testdata" / dir))
      if (e.path().extension() == ".trace") out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

struct Output {
  int rc = 0;
  std::string out, err;
};

Output analyze(const fs::path& trace, const char* jobs, const char* format) {
  const std::string path = trace.string();
  std::vector<const char*> argv = {"ctxtrail", "analyze", path.c_str(), "--format", format, "--jobs", jobs};
  std::ostringstream out, err;
  Output o;
  o.rc = ctxtrail::cli::run(static_cast<int>(argv.size()), argv.data(), out, err);
  o.out = out.str();
  o.err = err.str();
  return o;
}

TEST(AnalyzeJobs, ContextTreeBuiltBesideTheOrderingGivesTheSameOutput) {
  const std::vector<fs::path> all = traces();
  ASSERT_GT(all.size(), 20u);
  for (const fs::path& t : all) {
    for (const char* format : {"json", "text"}) {
      const Output one = analyze(t, "1", format);
      const Output two = analyze(t, "2", format);
      EXPECT_NE(one.out + one.err, "") << t << " " << format;
      EXPECT_EQ(one.rc, two.rc) << t << " " << format;
      EXPECT_EQ(one.out, two.out) << t << " " << format;
      EXPECT_EQ(one.err, two.err) << t << " " << format;
    }
  }
}

}  // namespace
