// Every command on every trace of the corpus, whole and cut at every batch boundary (and one
// byte past it, inside the next batch): each must end with a result (0), findings (1) or a
// clean input error (3), never a usage error, a crash or a sanitizer report. The commands run
// in this process through cli::run, so the ASan+UBSan build of this test checks the whole
// pipeline (reader, model, rules, every renderer) on every such input; a signal or a sanitizer
// report kills the test binary and fails it.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "ctxtrail/cli/app.h"
#include "report_cli_util.h"
#include "trace_cuts.h"

namespace {

namespace fs = std::filesystem;

std::vector<fs::path> corpus() {
  const fs::path src = CTXTRAIL_SOURCE_DIR;
  std::vector<fs::path> files;
  for (const char* dir : {"testdata/traces", "testdata/gotests", "testdata/analyze", "testdata/report",
                          "testdata/demo"}) {
    if (!fs::is_directory(src / dir)) continue;
    for (const auto& e : fs::directory_iterator(src / dir)) {
      const std::string n = e.path().filename().string();
      if (e.is_regular_file() && (n.ends_with(".trace") || n.ends_with(".trace.gz"))) files.push_back(e.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The command lines: FILE stands for the trace, OUT for an output file. `partial` adds
// --partial to the commands that take it.
std::vector<std::vector<std::string>> command_lines(bool partial) {
  std::vector<std::vector<std::string>> lines = {
      {"stats", "--json", "FILE"},
      {"stats", "FILE"},
      {"events", "--json", "FILE"},
      {"analyze", "FILE"},
      {"analyze", "--format", "json", "FILE"},
      {"analyze", "--format", "sarif", "FILE"},
      {"report", "FILE", "-o", "OUT"},
      {"export", "FILE", "--format", "perfetto", "-o", "OUT"},
      {"export", "FILE", "--format", "chrome-json", "-o", "OUT"},
      {"export", "FILE", "--format", "dot", "-o", "OUT"},
      {"export", "FILE", "--format", "mermaid", "-o", "OUT"},
      {"lifecycle", "FILE", "--goroutine", "1"},
      {"dag", "FILE"},
      {"contexts", "FILE"},
      {"contexts", "--json", "FILE"},
  };
  if (partial) {
    // Cut traces: every stage with --partial; the text forms of stats, analyze and contexts
    // render what the JSON forms already walked, and cost the sanitizer build minutes.
    std::erase_if(lines, [](const std::vector<std::string>& l) {
      return (l[0] == "stats" || l[0] == "analyze" || l[0] == "contexts") && l.size() == 2;
    });
    for (auto& l : lines)
      if (l[0] != "stats" && l[0] != "events") l.push_back("--partial");
  }
  return lines;
}

struct Outcome {
  int code = 0;
  std::string command, err;
};

Outcome run(const std::vector<std::string>& line, const std::string& file, const std::string& out) {
  std::vector<std::string> args = {"ctxtrail"};
  for (const std::string& a : line) args.push_back(a == "FILE" ? file : a == "OUT" ? out : a);
  std::vector<const char*> argv;
  for (const std::string& a : args) argv.push_back(a.c_str());
  std::ostringstream o, e;
  Outcome r;
  r.code = ctxtrail::cli::run(static_cast<int>(argv.size()), argv.data(), o, e);
  for (size_t i = 1; i < args.size(); i++) r.command += (i > 1 ? " " : "") + args[i];
  r.err = e.str();
  return r;
}

// Runs every command line on `file`; answers the failures (a wrong exit code or an input
// error without a message).
std::vector<std::string> check_all(const std::string& file, const std::string& out, bool partial) {
  std::vector<std::string> failures;
  for (const auto& line : command_lines(partial)) {
    const Outcome r = run(line, file, out);
    // Asked about a goroutine the (cut) trace does not hold, lifecycle answers a usage error.
    const bool absent_goroutine =
        line[0] == "lifecycle" && r.code == 2 && r.err.find("does not appear in the trace") != std::string::npos;
    if (r.code != 0 && r.code != 1 && r.code != 3 && !absent_goroutine) {
      failures.push_back(r.command + ": exit " + std::to_string(r.code) + ": " + r.err.substr(0, 300));
    } else if (r.code == 3 && r.err.find(':') == std::string::npos) {
      failures.push_back(r.command + ": exit 3 without an error message");
    } else if (r.err.find("internal error") != std::string::npos) {
      failures.push_back(r.command + ": " + r.err.substr(0, 300));
    }
  }
  return failures;
}

class EveryCommand : public testing::TestWithParam<fs::path> {};

TEST_P(EveryCommand, WholeAndCutTracesEndCleanly) {
  const fs::path path = GetParam();
  const std::string dir = ctxtrail::report_test::out_dir(
      "every-command/" + path.parent_path().filename().string() + "-" + path.filename().string());
  const std::string out = dir + "/out";
  std::vector<std::string> failures = check_all(path.string(), out, false);
  const std::string bytes = read_file(path);
  // Compressed files are cut by the gzip tests; here only raw traces.
  if (!path.string().ends_with(".gz")) {
    std::vector<uint64_t> cuts;
    for (uint64_t end : ctxtrail::test::batch_ends(bytes))
      for (uint64_t cut : {end, end + 1})
        if (cut > 16 && cut < bytes.size()) cuts.push_back(cut);
    cuts.push_back(bytes.size() / 2);
    cuts.push_back(std::min<uint64_t>(17, bytes.size()));
    const std::string cut_file = dir + "/cut.trace";
    for (uint64_t cut : cuts) {
      std::ofstream(cut_file, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(cut));
      for (const std::string& f : check_all(cut_file, out, true))
        failures.push_back("cut to " + std::to_string(cut) + " bytes: " + f);
    }
  }
  for (size_t i = 0; i < failures.size() && i < 10; i++) ADD_FAILURE() << path << ": " << failures[i];
  EXPECT_TRUE(failures.empty()) << failures.size() << " failures";
}

INSTANTIATE_TEST_SUITE_P(Corpus, EveryCommand, testing::ValuesIn(corpus()),
                         [](const testing::TestParamInfo<fs::path>& info) {
                           std::string name = info.param.parent_path().filename().string() + "_" +
                                              info.param.filename().string();
                           for (char& c : name)
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           return name;
                         });

// A malformed tail is exit 3 for every command, --partial or not; with --partial the output of
// what was read is still written (README, "Exit codes").
TEST(EveryCommandPartial, AMalformedTailIsExitThreeWithTheOutputOfWhatWasRead) {
  const std::string trace = std::string(CTXTRAIL_SOURCE_DIR) + "/testdata/traces/truncated-no-end-of-generation.trace";
  const std::string dir = ctxtrail::report_test::out_dir("every-command-partial");
  for (const auto& line : command_lines(true)) {
    if (line[0] == "stats" || line[0] == "events") continue;  // they take no --partial
    const std::string out = dir + "/" + line[0] + (line.size() > 4 ? line[3] : "");
    std::filesystem::remove(out);
    const Outcome r = run(line, trace, out);
    EXPECT_EQ(r.code, 3) << r.command << ": " << r.err;
    EXPECT_NE(r.err.find("--partial:"), std::string::npos) << r.command << ": " << r.err;
    if (std::find(line.begin(), line.end(), "OUT") != line.end()) {
      EXPECT_GT(std::filesystem::exists(out) ? std::filesystem::file_size(out) : 0, 0u) << r.command;
    }
  }
}

TEST(EveryCommandCorpus, IsThere) { EXPECT_GE(corpus().size(), 80u); }

}  // namespace
