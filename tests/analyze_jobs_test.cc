// `analyze --jobs 2` builds the context tree on the reader's ordering thread
// (src/analysis/beside_ordering.h) while the caller builds the model: its output (and that of
// `contexts`, which prints the tree) must be byte-identical to `--jobs 1`'s, where both are built
// on one thread, on every trace under testdata/, those with trail events among them.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <sstream>

#include "ctxtrail/cli/app.h"

namespace {

namespace fs = std::filesystem;

/// Every trace under testdata/ (*.trace and trace.out), in a stable order.
std::vector<fs::path> traces() {
  std::vector<fs::path> out;
  for (const auto& e : fs::recursive_directory_iterator(fs::path(CTXTRAIL_SOURCE_DIR) / "testdata")) {
    if (!e.is_regular_file()) continue;
    if (e.path().extension() == ".trace" || e.path().filename() == "trace.out") out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

struct Output {
  int rc = 0;
  std::string out, err;
};

Output run(const char* command, const fs::path& trace, const char* jobs, const char* format) {
  const std::string path = trace.string();
  std::vector<const char*> argv = {"ctxtrail", command, path.c_str(), "--jobs", jobs};
  if (format != nullptr) {
    argv.push_back("--format");
    argv.push_back(format);
  }
  std::ostringstream out, err;
  Output o;
  o.rc = ctxtrail::cli::run(static_cast<int>(argv.size()), argv.data(), out, err);
  o.out = out.str();
  o.err = err.str();
  return o;
}

TEST(AnalyzeJobs, ContextTreeBuiltBesideTheOrderingGivesTheSameOutput) {
  const std::vector<fs::path> all = traces();
  ASSERT_GT(all.size(), 100u);
  size_t with_contexts = 0;
  for (size_t i = 0; i < all.size(); ++i) {
    const fs::path& t = all[i];
#if defined(__SANITIZE_ADDRESS__)
    // Under the sanitizers (three minutes on all of it): the traces with trail events, whose
    // trees the ordering thread builds, and every third of the rest; the release tree compares
    // all of them.
    if (i % 3 != 0 && run("contexts", t, "1", nullptr).out.find(" 0 ctxtrail events") != std::string::npos) continue;
#endif
    for (auto [command, format] : {std::pair<const char*, const char*>{"analyze", "json"}, {"analyze", "text"},
                                   {"contexts", nullptr}}) {
      const Output one = run(command, t, "1", format);
      const Output two = run(command, t, "2", format);
      const std::string what = t.string() + " " + command + " " + (format ? format : "");
      EXPECT_NE(one.out + one.err, "") << what;
      EXPECT_EQ(one.rc, two.rc) << what;
      EXPECT_EQ(one.out, two.out) << what;
      EXPECT_EQ(one.err, two.err) << what;
      if (std::string(command) == "contexts" && one.out.find(" 0 ctxtrail events") == std::string::npos) {
        with_contexts++;
      }
    }
  }
  // Traces with trail events (testdata/report/trail.trace, testdata/realworld/*trail*): their
  // context trees are what the ordering thread builds.
  EXPECT_GE(with_contexts, 3u);
}

}  // namespace
