// Differential tests: for every trace of the corpus, ctxtrail must say what Go's own parser
// says. The oracle is tools/goparse (golang.org/x/exp/trace's ReadEvent loop), built once into
// the build tree; both sides print the shapes of docs/event-stream.md.
//
// Corpus: testdata/traces/*.trace[.gz] (real traces, scripts/make-traces), testdata/gotests/
// (Go's own test cases converted to binary, with their SUCCESS/FAILURE expectation), and
// build/traces/*.trace when `scripts/make-traces --big` has made them (stats only).
//
// Environment: CTXTRAIL (the binary under test), CTXTRAIL_GOPARSE (the oracle; default
// <build>/goparse). Pointing CTXTRAIL at goparse checks the harness against the oracle itself.
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <deque>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "trace_cuts.h"

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// Traces up to this size also get the event-by-event comparison.
constexpr uintmax_t kEventsMaxBytes = 1u << 20;

struct Case {
  std::string name;  // test name: the file's, made a valid identifier
  fs::path path;
  fs::path expect;   // testdata/gotests/<name>.expect, or empty
  bool events = false;
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.path.string(); }

std::string ident(const std::string& s) {
  std::string out;
  for (char c : s) out += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return out;
}

std::vector<Case> corpus() {
  const fs::path src = CTXTRAIL_SOURCE_DIR;
  std::vector<Case> cases;
  auto add_dir = [&](const fs::path& dir, const std::string& prefix, bool events_allowed) {
    if (!fs::is_directory(dir)) return;
    std::vector<fs::path> files;
    for (const auto& e : fs::directory_iterator(dir)) {
      const std::string n = e.path().filename().string();
      if (e.is_regular_file() && (n.ends_with(".trace") || n.ends_with(".trace.gz"))) {
        files.push_back(e.path());
      }
    }
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      Case c;
      c.name = prefix + ident(f.filename().string());
      c.path = f;
      fs::path expect = f;
      expect.replace_extension(".expect");
      if (fs::exists(expect)) c.expect = expect;
      c.events = events_allowed && fs::file_size(f) <= kEventsMaxBytes;
      cases.push_back(c);
    }
  };
  add_dir(src / "testdata/traces", "", true);
  add_dir(src / "testdata/gotests", "gotests_", true);
#ifndef CTXTRAIL_SANITIZED
  add_dir(src / "build/traces", "big_", false);
#endif
  return cases;
}

struct ToolRun {
  int code = -1;
  std::string err;
  fs::path out;  // file holding standard output
};

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string shell_quote(const std::string& s) {
  std::string q = "'";
  for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

class Scratch {
 public:
  Scratch() {
    std::string tmpl = (fs::temp_directory_path() / "ctxtrail-diff-XXXXXX").string();
    dir_ = mkdtemp(tmpl.data()) ? fs::path(tmpl) : fs::path();
  }
  ~Scratch() {
    std::error_code ec;
    if (!dir_.empty()) fs::remove_all(dir_, ec);
  }
  fs::path file(const std::string& name) const { return dir_ / name; }

 private:
  fs::path dir_;
};

// Runs `exe args... FILE`, standard output to `<tag>.out` in the scratch folder.
ToolRun run_tool(const Scratch& scratch, const std::string& tag, const std::string& exe,
        const std::string& args, const fs::path& file) {
  ToolRun r;
  r.out = scratch.file(tag + ".out");
  const fs::path err = scratch.file(tag + ".err");
  const std::string cmd = shell_quote(exe) + " " + args + " " + shell_quote(file.string()) + " >" +
                          shell_quote(r.out.string()) + " 2>" + shell_quote(err.string());
  int status = std::system(cmd.c_str());
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  r.err = read_file(err);
  return r;
}

std::string env_or(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v && *v ? v : fallback;
}

std::string ctxtrail_exe() { return env_or("CTXTRAIL", std::string(CTXTRAIL_BINARY_DIR) + "/ctxtrail"); }
std::string goparse_exe() { return env_or("CTXTRAIL_GOPARSE", std::string(CTXTRAIL_BINARY_DIR) + "/goparse"); }

// The skeleton's `stats` and `events` are placeholders whose help says "(placeholder)"; until
// the reader lands there is nothing to compare.
bool placeholder(const std::string& command) {
  Scratch scratch;
  const fs::path out = scratch.file("help");
  const std::string cmd = shell_quote(ctxtrail_exe()) + " " + command + " --help >" + shell_quote(out.string()) + " 2>&1";
  if (std::system(cmd.c_str()) != 0) return false;
  return read_file(out).find("(placeholder)") != std::string::npos;
}

// Checks Go's verdict against Go's own expectation file (SUCCESS or FAILURE "<regexp>"): this
// guards the converter and the oracle.
void check_expectation(const Case& c, const ToolRun& go) {
  std::string expect = read_file(c.expect);
  while (!expect.empty() && std::isspace(static_cast<unsigned char>(expect.back()))) expect.pop_back();
  if (expect == "SUCCESS") {
    EXPECT_EQ(go.code, 0) << "Go's parser rejects a trace its test expects to pass: " << go.err;
    return;
  }
  ASSERT_TRUE(expect.starts_with("FAILURE \"") && expect.ends_with("\"")) << "bad expect file: " << expect;
  const std::string re = expect.substr(9, expect.size() - 10);
  EXPECT_EQ(go.code, 3) << "Go's parser accepts a trace its test expects to fail with " << re;
  EXPECT_TRUE(std::regex_search(go.err, std::regex(re))) << "Go's error `" << go.err << "` does not match " << re;
}

std::string describe_counts(const json& want, const json& got) {
  std::ostringstream s;
  for (auto it = want.begin(); it != want.end(); ++it) {
    if (!got.contains(it.key())) {
      s << "\n    " << it.key() << ": go " << it.value() << ", ctxtrail missing";
    } else if (got[it.key()] != it.value()) {
      s << "\n    " << it.key() << ": go " << it.value() << ", ctxtrail " << got[it.key()];
    }
  }
  for (auto it = got.begin(); it != got.end(); ++it) {
    if (!want.contains(it.key())) s << "\n    " << it.key() << ": go missing, ctxtrail " << it.value();
  }
  return s.str();
}

// Both sides must accept the trace, or both reject it (ctxtrail with exit code 3). Answers
// whether there is output to compare.
bool same_verdict(const Case& c, const ToolRun& go, const ToolRun& ct) {
  if (go.code == 3) {
    EXPECT_EQ(ct.code, 3) << c.path << ": Go's parser rejects this trace (" << go.err
                          << "), ctxtrail must exit 3; ctxtrail said: " << ct.err;
    return false;
  }
  EXPECT_EQ(ct.code, 0) << c.path << ": Go's parser reads this trace, ctxtrail fails: " << ct.err;
  return ct.code == 0;
}

class Differential : public testing::TestWithParam<Case> {};

void compare_stats(const Case& c) {
  Scratch scratch;
  const ToolRun go = run_tool(scratch, "go", goparse_exe(), "stats --json", c.path);
  ASSERT_TRUE(go.code == 0 || go.code == 3) << "oracle " << goparse_exe() << " failed (exit " << go.code
                                            << "): " << go.err;
  if (!c.expect.empty()) check_expectation(c, go);

  if (placeholder("stats")) GTEST_SKIP() << "ctxtrail stats is still the skeleton's placeholder";
  const ToolRun ct = run_tool(scratch, "ct", ctxtrail_exe(), "stats --json", c.path);
  if (!same_verdict(c, go, ct)) return;

  json want, got;
  ASSERT_NO_THROW(want = json::parse(read_file(go.out))) << "oracle output is not JSON";
  ASSERT_NO_THROW(got = json::parse(read_file(ct.out))) << "ctxtrail stats --json is not JSON: "
                                                         << read_file(ct.out).substr(0, 500);
  for (const char* field : {"format_version", "events", "goroutines", "duration_ns"}) {
    EXPECT_EQ(got.value(field, json()), want[field]) << c.path << ": field " << field;
  }
  for (const char* field : {"events_by_kind", "goroutine_transitions"}) {
    const json g = got.value(field, json::object());
    EXPECT_EQ(g, want[field]) << c.path << ": field " << field << " differs:" << describe_counts(want[field], g);
  }
}

void compare_events(const Case& c) {
  if (!c.events) GTEST_SKIP() << "events are compared only for traces up to " << kEventsMaxBytes << " bytes";
  Scratch scratch;
  const ToolRun go = run_tool(scratch, "go", goparse_exe(), "events --json", c.path);
  ASSERT_TRUE(go.code == 0 || go.code == 3) << "oracle failed (exit " << go.code << "): " << go.err;
  if (placeholder("events")) GTEST_SKIP() << "ctxtrail events is still the skeleton's placeholder";
  const ToolRun ct = run_tool(scratch, "ct", ctxtrail_exe(), "events --json", c.path);
  if (!same_verdict(c, go, ct)) return;

  // Line by line. Equal text is equal; otherwise both lines are parsed and compared as JSON
  // values, so key order and number spelling do not matter.
  std::ifstream want_in(go.out), got_in(ct.out);
  std::deque<std::string> context;  // the last few equal lines
  std::string want_line, got_line;
  for (uint64_t line = 1;; ++line) {
    const bool more_want = static_cast<bool>(std::getline(want_in, want_line));
    const bool more_got = static_cast<bool>(std::getline(got_in, got_line));
    if (!more_want && !more_got) break;
    bool same = more_want && more_got && want_line == got_line;
    if (!same && more_want && more_got) {
      try {
        same = json::parse(want_line) == json::parse(got_line);
      } catch (const json::exception&) {
        same = false;
      }
    }
    if (!same) {
      std::ostringstream msg;
      msg << c.path.string() << ": first difference at event line " << line << "\n";
      for (size_t i = 0; i < context.size(); ++i) {
        msg << "  same  " << line - context.size() + i << ": " << context[i] << "\n";
      }
      msg << "  go       " << line << ": " << (more_want ? want_line : "<end of events>") << "\n";
      msg << "  ctxtrail " << line << ": " << (more_got ? got_line : "<end of events>") << "\n";
      std::string next;
      if (std::getline(want_in, next)) msg << "  go       " << line + 1 << ": " << next << "\n";
      if (std::getline(got_in, next)) msg << "  ctxtrail " << line + 1 << ": " << next << "\n";
      FAIL() << msg.str();
    }
    context.push_back(want_line);
    if (context.size() > 3) context.pop_front();
  }
}

// testdata/traces/known-mismatches.txt: `FILE REASON` lines for traces on which ctxtrail is
// known to differ from Go. Such a trace's differences are reported as a skip that names the
// reason; once ctxtrail agrees, the test fails until the line is removed (strict xfail).
std::string known_mismatch(const Case& c) {
  std::ifstream in(fs::path(CTXTRAIL_SOURCE_DIR) / "testdata/traces/known-mismatches.txt");
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const size_t space = line.find(' ');
    if (line.substr(0, space) == c.path.filename().string()) {
      return space == std::string::npos ? "(no reason given)" : line.substr(space + 1);
    }
  }
  return "";
}

void check(const Case& c, void (*compare)(const Case&)) {
  const std::string reason = known_mismatch(c);
  if (reason.empty()) {
    compare(c);
    return;
  }
  testing::TestPartResultArray results;
  {
    testing::ScopedFakeTestPartResultReporter intercept(
        testing::ScopedFakeTestPartResultReporter::INTERCEPT_ONLY_CURRENT_THREAD, &results);
    compare(c);
  }
  for (int i = 0; i < results.size(); ++i) {
    if (results.GetTestPartResult(i).failed()) {
      GTEST_SKIP() << "known mismatch (" << reason << "): " << results.GetTestPartResult(i).message();
    }
    if (results.GetTestPartResult(i).skipped()) GTEST_SKIP() << results.GetTestPartResult(i).message();
  }
  FAIL() << c.path << " is listed in testdata/traces/known-mismatches.txt (" << reason
         << ") but ctxtrail now agrees with Go: remove the line";
}

TEST_P(Differential, Stats) { check(GetParam(), compare_stats); }
TEST_P(Differential, Events) { check(GetParam(), compare_events); }

INSTANTIATE_TEST_SUITE_P(Corpus, Differential, testing::ValuesIn(corpus()),
                         [](const testing::TestParamInfo<Case>& info) { return info.param.name; });

// Truncation: a trace cut at each batch boundary, and one byte either side of it. Go 1.26
// traces end each generation with an end-of-generation byte, so a cut there is clean and a cut
// elsewhere is "truncated"; older formats have no such mark and Go reads what is whole. Either
// way ctxtrail must decide as Go does and count the same events.
class DifferentialTruncation : public testing::TestWithParam<std::string> {};

TEST_P(DifferentialTruncation, CutAtBatchBoundaries) {
  if (placeholder("stats")) GTEST_SKIP() << "ctxtrail stats is still the skeleton's placeholder";
  const fs::path path = fs::path(CTXTRAIL_SOURCE_DIR) / "testdata/traces" / GetParam();
  const std::string bytes = read_file(path);
  const auto ends = ctxtrail::test::batch_ends(bytes);
  ASSERT_GE(ends.size(), 4u) << path << ": batch framing not understood";
  Scratch scratch;
  std::vector<uint64_t> cuts;
  for (uint64_t end : ends) {
    for (uint64_t cut : {end - 1, end, end + 1}) {
      if (cut > 16 && cut < bytes.size()) cuts.push_back(cut);
    }
  }
  int mismatches = 0;
  for (uint64_t cut : cuts) {
    const fs::path f = scratch.file("cut.trace");
    std::ofstream(f, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(cut));
    const ToolRun go = run_tool(scratch, "go", goparse_exe(), "stats --json", f);
    const ToolRun ct = run_tool(scratch, "ct", ctxtrail_exe(), "stats --json", f);
    std::string why;
    if (go.code != ct.code) {
      why = "exit " + std::to_string(ct.code) + ", Go " + std::to_string(go.code) + " (" + go.err + ")";
    } else if (go.code == 0) {
      const json want = json::parse(read_file(go.out));
      const json got = json::parse(read_file(ct.out));
      for (const char* field : {"events", "events_by_kind", "goroutine_transitions", "duration_ns"}) {
        if (got.value(field, json()) != want[field]) why += std::string(" ") + field + " differs;";
      }
    }
    if (!why.empty() && ++mismatches <= 5) {
      ADD_FAILURE() << path << " cut to " << cut << " of " << bytes.size() << " bytes: " << why;
    }
  }
  EXPECT_EQ(mismatches, 0) << "of " << cuts.size() << " cuts";
}

INSTANTIATE_TEST_SUITE_P(Corpus, DifferentialTruncation,
                         testing::Values("annotations.trace", "go125-annotations.trace",
                                         "go123-annotations.trace", "go122-annotations.trace",
                                         "flightrec.trace", "go125-flightrec.trace"),
                         [](const testing::TestParamInfo<std::string>& info) { return ident(info.param); });

// The corpus must not silently vanish (a moved folder would make every test above disappear).
TEST(DifferentialCorpus, IsThere) {
  const auto cases = corpus();
  auto count = [&](const std::string& prefix) {
    return std::count_if(cases.begin(), cases.end(), [&](const Case& c) { return c.name.starts_with(prefix); });
  };
  EXPECT_GE(cases.size() - count("gotests_") - count("big_"), 20u) << "testdata/traces looks empty";
  EXPECT_GE(count("gotests_"), 22) << "testdata/gotests looks empty";
}

}  // namespace
