// End-to-end scenario tests: every Go program in testdata/scenarios is built with the machine's
// `go`, run (or its tests run with -test.trace) to record a trace, and analysed with
// `ctxtrail analyze --format json`; the findings must match the `// want <rule> <role>` comments
// in its sources exactly (docs/findings.md, docs/scenarios.md).
//
// A want is met by a finding of that rule with a location of that role at that file and line.
// A finding of severity error or warning must itself be asked for: one of its locations must
// sit on a line that wants its rule. Clean twins have no want, so they must yield no such finding.
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

extern char** environ;

namespace {

namespace fs = std::filesystem;
using nlohmann::json;
using namespace std::chrono_literals;

// Rule ids and location roles are fixed by docs/findings.md; a want naming anything else is a typo.
const std::set<std::string> kRules = {"cancel-ignored",     "slow-cancel-exit", "orphaned-goroutine",
                                      "blocked-forever",    "slow-propagation", "leaked-goroutine"};
const std::set<std::string> kRoles = {"creation", "start", "block", "running", "cancel", "context", "test"};

// Time limits, wide because the machine has 2 shared cores: a scenario runs for about 3 s.
constexpr auto kBuildTimeout = 300s;
constexpr auto kRunTimeout = 60s;
constexpr auto kAnalyzeTimeout = 120s;

std::string EnvOr(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? std::string(v) : fallback;
}

fs::path SourceDir() { return EnvOr("CTXTRAIL_SOURCE_DIR", CTXTRAIL_SOURCE_DIR); }
fs::path CorpusDir() { return SourceDir() / "testdata" / "scenarios"; }
fs::path WorkDir() { return fs::path(EnvOr("CTXTRAIL_BINARY_DIR", CTXTRAIL_BINARY_DIR)) / "scenarios"; }
fs::path CtxtrailBinary() { return EnvOr("CTXTRAIL", (fs::path(CTXTRAIL_BINARY_DIR) / "ctxtrail").string()); }

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The last `max` bytes of a text, for failure messages.
std::string Tail(const std::string& s, size_t max = 60000) {
  return s.size() <= max ? s : "[...]\n" + s.substr(s.size() - max);
}

// One finished child process.
struct RunResult {
  int exit_code = -1;  // -1 when it did not exit normally
  bool timed_out = false;
  std::string output;  // stdout and stderr, interleaved
  std::string Describe() const {
    if (timed_out) return "timed out";
    return exit_code >= 0 ? "exit code " + std::to_string(exit_code) : "killed by a signal";
  }
};

// Runs argv in cwd with stdout to out_path (or with stderr when out_path is empty), stderr to a
// log, killing its whole process group after timeout. extra_env entries are NAME=VALUE.
RunResult RunProcess(const std::vector<std::string>& argv, const fs::path& cwd, const fs::path& log_path,
              std::chrono::seconds timeout, const fs::path& out_path = {},
              const std::vector<std::string>& extra_env = {}) {
  std::vector<std::string> env_strings;
  for (char** e = environ; *e != nullptr; ++e) env_strings.emplace_back(*e);
  env_strings.insert(env_strings.end(), extra_env.begin(), extra_env.end());
  std::vector<char*> envp;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::vector<std::string> args = argv;
  std::vector<char*> argp;
  for (auto& s : args) argp.push_back(s.data());
  argp.push_back(nullptr);

  RunResult result;
  pid_t pid = fork();
  if (pid < 0) {
    result.output = std::string("fork: ") + std::strerror(errno);
    return result;
  }
  if (pid == 0) {
    setpgid(0, 0);
    int log_fd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int out_fd = out_path.empty() ? log_fd : open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int null_fd = open("/dev/null", O_RDONLY);
    if (log_fd < 0 || out_fd < 0 || null_fd < 0 || chdir(cwd.c_str()) != 0) _exit(126);
    dup2(null_fd, 0);
    dup2(out_fd, 1);
    dup2(log_fd, 2);
    // argv[0] is a path: FindGo and the build tree give absolute ones.
    execve(argp[0], argp.data(), envp.data());
    _exit(127);
  }
  setpgid(pid, pid);  // also from the parent, so the kill below cannot miss the group
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  int status = 0;
  for (;;) {
    pid_t r = waitpid(pid, &status, WNOHANG);
    if (r == pid) break;
    if (r < 0 && errno != EINTR) break;
    if (std::chrono::steady_clock::now() > deadline) {
      kill(-pid, SIGKILL);
      waitpid(pid, &status, 0);
      result.timed_out = true;
      break;
    }
    std::this_thread::sleep_for(10ms);
  }
  if (!result.timed_out && WIFEXITED(status)) result.exit_code = WEXITSTATUS(status);
  result.output = ReadFile(log_path);
  if (WIFEXITED(status) && WEXITSTATUS(status) == 127 && result.output.empty()) {
    result.output = "could not execute " + argv[0];
  }
  return result;
}

// The `go` command: $GO, else the first `go` on PATH, else Go's default install location.
std::string FindGo() {
  std::string go = EnvOr("GO", "");
  if (!go.empty()) return go;
  std::stringstream path(EnvOr("PATH", ""));
  std::string dir;
  while (std::getline(path, dir, ':')) {
    fs::path candidate = fs::path(dir.empty() ? "." : dir) / "go";
    if (access(candidate.c_str(), X_OK) == 0) return candidate.string();
  }
  if (access("/usr/local/go/bin/go", X_OK) == 0) return "/usr/local/go/bin/go";
  return "";
}

// One `// want <rule> <role>` annotation.
struct Want {
  std::string file;  // base name, e.g. main.go
  int line = 0;
  std::string rule;
  std::string role;
  std::string test;  // role test: the enclosing top-level Test function, which the finding must name
  /// `// want? <rule> <role>`: such a finding is true and allowed, but which of two rules
  /// claims a goroutine varies from run to run (scheduling), so it is not required.
  bool optional = false;
  std::string ToString() const {
    return file + ":" + std::to_string(line) + (optional ? ": want? " : ": want ") + rule + " " + role;
  }
};

// One scenario: a folder of testdata/scenarios with a main package or a test package.
struct Scenario {
  std::string name;
  bool is_test_package = false;
};

// Names the scenario in test listings and failure messages.
void PrintTo(const Scenario& s, std::ostream* os) { *os << s.name; }

std::vector<Scenario> ListScenarios() {
  std::vector<Scenario> out;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(CorpusDir(), ec)) {
    if (!entry.is_directory() || entry.path().filename() == "internal") continue;
    Scenario s{entry.path().filename().string()};
    bool has_main = fs::exists(entry.path() / "main.go");
    for (const auto& f : fs::directory_iterator(entry.path())) {
      const std::string n = f.path().filename().string();
      if (n.size() > 8 && n.ends_with("_test.go")) s.is_test_package = true;
    }
    if (has_main || s.is_test_package) out.push_back(s);
  }
  std::sort(out.begin(), out.end(), [](const Scenario& a, const Scenario& b) { return a.name < b.name; });
  return out;
}

// Parses the wants of every .go file of a scenario; an annotation that names an unknown rule or
// role is reported in bad.
std::vector<Want> ParseWants(const fs::path& dir, std::vector<std::string>& bad) {
  static const std::regex kWant(R"(//\s*want(\??)\s+(\S+)\s+(\S+))");
  static const std::regex kTestFunc(R"(^func (Test\w*)\(\w+ \*testing\.T\))");
  std::vector<Want> wants;
  std::vector<fs::path> files;
  for (const auto& f : fs::directory_iterator(dir)) {
    if (f.path().extension() == ".go") files.push_back(f.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& path : files) {
    std::ifstream in(path);
    std::string text, test;
    for (int line = 1; std::getline(in, text); ++line) {
      if (std::smatch m; std::regex_search(text, m, kTestFunc)) test = m[1];
      for (std::sregex_iterator it(text.begin(), text.end(), kWant), end; it != end; ++it) {
        Want w{path.filename().string(), line, (*it)[2], (*it)[3], {}, (*it)[1] == "?"};
        if (w.role == "test") w.test = test;
        if (!kRules.contains(w.rule) || !kRoles.contains(w.role)) {
          bad.push_back(w.ToString());
        } else {
          wants.push_back(w);
        }
      }
    }
  }
  return wants;
}

// Whether a location's file is the scenario's file `base` (the trace holds absolute paths, or
// module paths under -trimpath).
bool SameFile(const std::string& location_file, const std::string& scenario, const std::string& base) {
  const std::string suffix = scenario + "/" + base;
  return location_file == base || location_file == suffix || location_file.ends_with("/" + suffix);
}

bool LocationAt(const json& loc, const std::string& scenario, const std::string& file, int line) {
  return loc.value("line", -1) == line && SameFile(loc.value("file", std::string()), scenario, file);
}

std::string DescribeFinding(const json& f) {
  std::string s = f.value("rule", "?") + " (" + f.value("severity", "?") + ")";
  if (f.contains("locations") && f["locations"].is_array()) {
    for (const auto& loc : f["locations"]) {
      s += "\n      " + loc.value("role", "?") + " " + loc.value("function", "?") + " " +
           fs::path(loc.value("file", "?")).filename().string() + ":" + std::to_string(loc.value("line", -1));
    }
  }
  return s + "\n      message: " + f.value("message", "");
}

// Copies a failed run's trace, logs and reports to work/failed-<time>/ so that a later run, which
// overwrites them, does not erase the evidence of a flaky failure. Returns that folder.
fs::path KeepFailedRun(const fs::path& work) {
  const auto now = std::chrono::system_clock::now().time_since_epoch();
  const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(now).count();
  const fs::path kept = work / ("failed-" + std::to_string(seconds));
  std::error_code ec;
  fs::create_directories(kept, ec);
  for (const char* name : {"trace.out", "run.log", "findings.json", "findings.txt", "analyze.log"}) {
    fs::copy_file(work / name, kept / name, fs::copy_options::overwrite_existing, ec);
  }
  return kept;
}

class ScenarioTest : public testing::TestWithParam<Scenario> {};

TEST_P(ScenarioTest, FindingsMatchWants) {
  const Scenario& sc = GetParam();
  const fs::path src = CorpusDir() / sc.name;
  const fs::path work = WorkDir() / sc.name;
  fs::create_directories(work);

  std::vector<std::string> bad;
  const std::vector<Want> wants = ParseWants(src, bad);
  ASSERT_TRUE(bad.empty()) << "annotations with an unknown rule or role:\n  " << testing::PrintToString(bad);
  if (sc.name.ends_with("_clean")) {
    ASSERT_TRUE(wants.empty()) << "a clean twin must not want any finding";
  } else {
    ASSERT_FALSE(wants.empty()) << "a scenario that is not a clean twin must want a finding";
  }

  const std::string go = FindGo();
  ASSERT_FALSE(go.empty()) << "the Go toolchain was not found (set GO or put `go` on PATH; "
                              "scripts/setup installs what the tests need): the end-to-end scenarios "
                              "build Go programs with it";

  // Build. Go's own build cache makes a rebuild of an unchanged scenario a quick link.
  const fs::path bin = work / (sc.is_test_package ? sc.name + ".test" : sc.name);
  std::vector<std::string> build = {go, sc.is_test_package ? "test" : "build"};
  if (sc.is_test_package) build.push_back("-c");
  build.insert(build.end(), {"-o", bin.string(), "./" + sc.name});
  RunResult built =
      RunProcess(build, CorpusDir(), work / "build.log", kBuildTimeout, {}, {"GOTOOLCHAIN=local"});
  ASSERT_EQ(built.exit_code, 0) << "building the scenario failed (" << built.Describe() << "):\n"
                                << Tail(built.output);

  // Record the trace.
  const fs::path trace = work / "trace.out";
  fs::remove(trace);
  std::vector<std::string> run = {bin.string()};
  if (sc.is_test_package) {
    // A parallelism above GOMAXPROCS, so that the parallel tests really overlap.
    run.insert(run.end(), {"-test.trace=" + trace.string(), "-test.parallel=4", "-test.count=1", "-test.v"});
  } else {
    run.push_back(trace.string());
  }
  RunResult ran = RunProcess(run, src, work / "run.log", kRunTimeout);
  ASSERT_EQ(ran.exit_code, 0) << "running the scenario failed (" << ran.Describe() << "):\n"
                              << Tail(ran.output);
  ASSERT_TRUE(fs::exists(trace) && fs::file_size(trace) > 0) << "the scenario wrote no trace to " << trace;

  // Analyse, in JSON for the checks and in text for a person reading a failure.
  const std::string ctxtrail = CtxtrailBinary().string();
  const fs::path json_path = work / "findings.json";
  RunResult analyzed = RunProcess({ctxtrail, "analyze", "--format", "json", trace.string()}, work,
                                  work / "analyze.log", kAnalyzeTimeout, json_path);
  RunResult text = RunProcess({ctxtrail, "analyze", trace.string()}, work, work / "analyze-text.log",
                              kAnalyzeTimeout, work / "findings.txt");
  const std::string report = "ctxtrail analyze " + trace.string() + " (" + text.Describe() + "):\n" +
                             Tail(ReadFile(work / "findings.txt")) + Tail(text.output, 2000);
  // Exit code 1 may mean "there are findings", as with linters; the JSON says which.
  ASSERT_TRUE(analyzed.exit_code == 0 || analyzed.exit_code == 1)
      << "ctxtrail analyze --format json failed (" << analyzed.Describe() << "):\n"
                                   << Tail(analyzed.output) << "\n" << report;
  json doc;
  try {
    doc = json::parse(ReadFile(json_path));
  } catch (const json::exception& e) {
    FAIL() << "ctxtrail analyze --format json printed no valid JSON: " << e.what() << "\n"
           << Tail(ReadFile(json_path)) << "\n" << report;
  }
  ASSERT_TRUE(doc.contains("findings") && doc["findings"].is_array()) << "no findings array\n" << report;
  const json& findings = doc["findings"];

  // Every want must be met.
  std::vector<std::string> problems;
  for (const Want& w : wants) {
    bool met = false;
    for (const auto& f : findings) {
      if (f.value("rule", "") != w.rule || !f.contains("locations")) continue;
      for (const auto& loc : f["locations"]) {
        if (loc.value("role", "") == w.role && LocationAt(loc, sc.name, w.file, w.line)) {
          met = true;
          // "Names the test": the message says which test started the goroutine.
          if (!w.test.empty() && f.value("message", "").find(w.test) == std::string::npos) {
            problems.push_back("finding for " + w.ToString() + " does not name test " + w.test + ": " +
                               f.value("message", ""));
          }
        }
      }
    }
    if (!met && !w.optional) problems.push_back("missing finding: " + w.ToString());
  }
  // Every warning or error must be wanted.
  for (const auto& f : findings) {
    const std::string severity = f.value("severity", "");
    if (severity != "error" && severity != "warning") continue;
    bool wanted = false;
    for (const Want& w : wants) {
      if (f.value("rule", "") != w.rule || !f.contains("locations")) continue;
      for (const auto& loc : f["locations"]) {
        if (LocationAt(loc, sc.name, w.file, w.line)) wanted = true;
      }
    }
    if (!wanted) problems.push_back("unexpected finding: " + DescribeFinding(f));
  }
  if (!problems.empty()) {
    std::string all;
    for (const auto& p : problems) all += "  " + p + "\n";
    FAIL() << sc.name << ": " << problems.size() << " problem(s)\n" << all << "\n" << report
           << "\n(trace and reports kept in " << KeepFailedRun(work).string() << ")";
  }
  // `--rule R` runs R and the rules R is superseded by: exactly the R findings of the full run.
  std::set<std::string> rules_found;
  for (const auto& f : findings) rules_found.insert(f.value("rule", ""));
  for (const std::string& rule : rules_found) {
    json want = json::array();
    for (const auto& f : findings)
      if (f.value("rule", "") == rule) want.push_back(f);
    const fs::path one = work / ("rule-" + rule + ".json");
    RunResult r = RunProcess({ctxtrail, "analyze", "--format", "json", "--rule", rule, trace.string()}, work,
                             work / ("rule-" + rule + ".log"), kAnalyzeTimeout, one);
    ASSERT_TRUE(r.exit_code == 0 || r.exit_code == 1) << r.Describe();
    EXPECT_EQ(json::parse(ReadFile(one))["findings"], want) << sc.name << " --rule " << rule;
  }
}

INSTANTIATE_TEST_SUITE_P(Scenarios, ScenarioTest, testing::ValuesIn(ListScenarios()),
                         [](const testing::TestParamInfo<Scenario>& info) { return info.param.name; });

// The corpus itself: found, and every rule covered by at least one scenario.
TEST(ScenarioCorpus, CoversEveryRule) {
  const auto scenarios = ListScenarios();
  ASSERT_FALSE(scenarios.empty()) << "no scenarios under " << CorpusDir();
  std::set<std::string> covered;
  for (const auto& sc : scenarios) {
    std::vector<std::string> bad;
    for (const auto& w : ParseWants(CorpusDir() / sc.name, bad)) covered.insert(w.rule);
    EXPECT_TRUE(bad.empty()) << sc.name << ": " << testing::PrintToString(bad);
  }
  for (const auto& rule : kRules) EXPECT_TRUE(covered.contains(rule)) << "no scenario wants " << rule;
}

}  // namespace
