// End-to-end tests of the context rules and `ctxtrail contexts`: every Go program in
// testdata/contexts is built with the machine's `go` and run to record its own trace (it uses
// the companion package trail), then analysed with `ctxtrail analyze --format json`. The
// findings must match the `// want <rule> <role>` comments in its main.go (docs/findings.md):
// every want is met by a finding of that rule with a location of that role at that line, and
// every warning or error finding sits on a line that wants its rule; a `// want-text <rule>
// "<regex>"` comment asks for a finding of that rule whose message matches the regex. Clean twins (`*_clean`)
// have no want, so they must stay silent. The programs depend on timing on 2 shared cores, so
// a program gets three runs and must pass one of them; failures of earlier runs are printed.
//
// The `tree` program prints what it knows about its own contexts (trail.ID of each and of its
// parent, and its kind); `ctxtrail contexts --json` must rebuild exactly that tree.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string EnvOr(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? std::string(v) : fallback;
}
fs::path SourceDir() { return EnvOr("CTXTRAIL_SOURCE_DIR", CTXTRAIL_SOURCE_DIR); }
fs::path ProgramsDir() { return SourceDir() / "testdata" / "contexts"; }
fs::path WorkDir() { return fs::path(CTXTRAIL_BINARY_DIR) / "contexts"; }
fs::path Ctxtrail() { return EnvOr("CTXTRAIL", (fs::path(CTXTRAIL_BINARY_DIR) / "ctxtrail").string()); }

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string Quote(const std::string& s) { return "'" + s + "'"; }

// Runs a shell command with a time limit; answers its exit code (124 on timeout).
int Shell(const std::string& cmd) {
  int rc = std::system(("timeout 180 sh -c " + Quote(cmd)).c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

// Builds testdata/contexts/<name> into the work dir; answers the binary or "" (and fails).
std::string Build(const std::string& name) {
  fs::create_directories(WorkDir());
  fs::path bin = WorkDir() / name;
  fs::path log = WorkDir() / (name + ".build.log");
  int rc = Shell("cd " + ProgramsDir().string() + " && go build -o " + bin.string() + " ./" + name + " >" +
                 log.string() + " 2>&1");
  if (rc != 0) {
    ADD_FAILURE() << "go build ./" << name << " failed (" << rc << "):\n" << ReadFile(log);
    return "";
  }
  return bin.string();
}

struct Want {
  std::string rule, role;
  std::string file;
  uint64_t line;
  std::string text;  // a want-text: the regex its message must match (role is then empty)
};

std::vector<Want> Wants(const fs::path& main_go) {
  std::vector<Want> out;
  std::ifstream in(main_go);
  std::string text;
  std::regex want(R"(// want ([a-z-]+) ([a-z]+))");
  std::regex want_text(R"re(// want-text ([a-z-]+) "(.*)")re");
  for (uint64_t n = 1; std::getline(in, text); ++n) {
    for (auto m = std::sregex_iterator(text.begin(), text.end(), want); m != std::sregex_iterator(); ++m)
      out.push_back(Want{(*m)[1], (*m)[2], fs::canonical(main_go).string(), n, ""});
    if (std::smatch m; std::regex_search(text, m, want_text))
      out.push_back(Want{m[1], "", fs::canonical(main_go).string(), n, m[2]});
  }
  return out;
}

bool HasLoc(const json& finding, const std::string& role, const std::string& file, uint64_t line) {
  for (const json& l : finding["locations"])
    if ((role.empty() || l["role"] == role) && l["file"] == file && l["line"] == line) return true;
  return false;
}

// The problems of one analysis against the wants; empty when it passes.
std::string Check(const json& report, const std::vector<Want>& wants) {
  std::string problems;
  for (const Want& w : wants) {
    bool met = false;
    if (!w.text.empty()) {
      const std::regex text(w.text);
      for (const json& f : report["findings"])
        met = met || (f["rule"] == w.rule && std::regex_search(f["message"].get<std::string>(), text));
      if (!met) problems += "no " + w.rule + " finding whose message matches \"" + w.text + "\"\n";
      continue;
    }
    for (const json& f : report["findings"]) met = met || (f["rule"] == w.rule && HasLoc(f, w.role, w.file, w.line));
    if (!met) problems += "no " + w.rule + " finding with a " + w.role + " location at line " + std::to_string(w.line) + "\n";
  }
  for (const json& f : report["findings"]) {
    if (f["severity"] != "error" && f["severity"] != "warning") continue;
    bool asked = false;
    for (const Want& w : wants)
      asked = asked || (w.text.empty() && f["rule"] == w.rule && HasLoc(f, "", w.file, w.line));
    if (!asked) problems += "unexpected " + f["rule"].get<std::string>() + ": " + f["message"].get<std::string>() + "\n";
  }
  return problems;
}

class ContextScenario : public ::testing::TestWithParam<std::string> {};

TEST_P(ContextScenario, FindingsMatchWants) {
  const std::string name = GetParam();
  std::string bin = Build(name);
  if (bin.empty()) return;
  std::vector<Want> wants = Wants(ProgramsDir() / name / "main.go");
  if (name.ends_with("_clean")) {
    EXPECT_TRUE(wants.empty()) << "a clean twin has no want";
  } else {
    EXPECT_FALSE(wants.empty()) << "a scenario needs at least one want";
  }
  std::string history;
  for (int attempt = 1; attempt <= 3; ++attempt) {
    fs::path trace = WorkDir() / (name + ".trace");
    fs::path out = WorkDir() / (name + ".json");
    int rc = Shell(bin + " " + trace.string() + " >/dev/null 2>&1");
    if (rc != 0) {
      history += "run " + std::to_string(attempt) + ": the program failed (" + std::to_string(rc) + ")\n";
      continue;
    }
    rc = Shell(Ctxtrail().string() + " analyze --format json --grace 100ms --fail-on never " + trace.string() + " >" +
               out.string());
    if (rc != 0) {
      history += "run " + std::to_string(attempt) + ": analyze failed (" + std::to_string(rc) + ")\n";
      continue;
    }
    json report = json::parse(ReadFile(out), nullptr, false);
    if (report.is_discarded()) {
      history += "run " + std::to_string(attempt) + ": analyze printed no JSON\n";
      continue;
    }
    std::string problems = Check(report, wants);
    if (problems.empty()) {
      if (!history.empty()) std::cerr << name << ": passed on run " << attempt << " after:\n" << history;
      return;
    }
    history += "run " + std::to_string(attempt) + ":\n" + problems + report.dump(1) + "\n";
  }
  ADD_FAILURE() << name << " failed three runs:\n" << history;
}

INSTANTIATE_TEST_SUITE_P(Programs, ContextScenario,
                         ::testing::Values("nil_canceler", "nil_canceler_clean", "outer_capture", "outer_capture_clean",
                                           "leaked_watcher", "leaked_watcher_clean", "delayed_cancel",
                                           "delayed_cancel_clean", "derived_from_done", "derived_from_done_clean",
                                           "detached_background", "detached_background_clean", "deadline_race",
                                           "deadline_race_clean", "slow_relay", "slow_relay_clean", "running_after_err",
                                           "running_after_err_clean", "detached_in_goroutine",
                                           "detached_in_goroutine_clean", "fanout_deadline", "fanout_deadline_clean",
                                           "relay_late_child", "relay_late_child_clean", "remote_deadline_dropped",
                                           "remote_deadline_dropped_clean", "remote_cancel_ignored",
                                           "remote_cancel_ignored_clean"),
                         [](const auto& info) { return info.param; });

// Every program directory is listed above (a new one cannot be forgotten).
TEST(ContextScenarios, EveryProgramIsListed) {
  std::set<std::string> listed = {"nil_canceler", "nil_canceler_clean", "outer_capture", "outer_capture_clean",
                                  "leaked_watcher", "leaked_watcher_clean", "delayed_cancel", "delayed_cancel_clean",
                                  "derived_from_done", "derived_from_done_clean", "detached_background",
                                  "detached_background_clean", "deadline_race", "deadline_race_clean", "slow_relay",
                                  "slow_relay_clean", "running_after_err", "running_after_err_clean", "detached_in_goroutine",
                                  "detached_in_goroutine_clean", "fanout_deadline", "fanout_deadline_clean",
                                  "relay_late_child", "relay_late_child_clean", "remote_deadline_dropped",
                                  "remote_deadline_dropped_clean", "remote_cancel_ignored",
                                  "remote_cancel_ignored_clean", "tree", "internal"};
  for (const auto& e : fs::directory_iterator(ProgramsDir())) {
    if (e.is_directory()) {
      EXPECT_TRUE(listed.count(e.path().filename().string())) << e.path();
    }
  }
}

// The tree ctxtrail rebuilds equals what the program knows about its own contexts.
TEST(ContextTree, EqualsWhatTheProgramKnows) {
  std::string bin = Build("tree");
  if (bin.empty()) return;
  fs::path trace = WorkDir() / "tree.trace";
  fs::path printed = WorkDir() / "tree.out";
  fs::path out = WorkDir() / "tree.json";
  ASSERT_EQ(Shell(bin + " " + trace.string() + " >" + printed.string()), 0);
  ASSERT_EQ(Shell(Ctxtrail().string() + " contexts --json " + trace.string() + " >" + out.string()), 0);
  std::map<uint64_t, std::pair<uint64_t, std::string>> known;  // id -> (parent, kind)
  std::istringstream lines(ReadFile(printed));
  uint64_t id, parent;
  std::string kind;
  while (lines >> id >> parent >> kind) known[id] = {parent, kind};
  ASSERT_EQ(known.size(), 10u) << ReadFile(printed);
  json tree = json::parse(ReadFile(out));
  std::map<uint64_t, std::pair<uint64_t, std::string>> rebuilt;
  for (const json& c : tree["contexts"]) rebuilt[c["id"]] = {c["parent"], c["kind"]};
  EXPECT_EQ(rebuilt, known);
  for (const json& c : tree["contexts"]) {
    EXPECT_TRUE(c["known"].get<bool>());
    EXPECT_EQ(c["created"]["file"], fs::canonical(ProgramsDir() / "tree" / "main.go").string());
    // Every parent lists the child.
    if (c["parent"] != 0) {
      bool listed = false;
      for (const json& p : tree["contexts"])
        if (p["id"] == c["parent"])
          for (const json& ch : p["children"]) listed = listed || ch == c["id"];
      EXPECT_TRUE(listed) << c.dump();
    }
  }
  for (const auto& [name, count] : tree["oddities"].items()) EXPECT_EQ(count, 0) << name;
  // The cause given to the cancel func, the parent cancellation it propagated to, and the
  // watcher of context 5 (the timeout under the cancelcause context).
  const json* c4 = nullptr;
  const json* c5 = nullptr;
  for (const json& c : tree["contexts"]) {
    if (c["id"] == 4) c4 = &c;
    if (c["id"] == 5) c5 = &c;
  }
  ASSERT_TRUE(c4 && c5);
  EXPECT_EQ((*c4)["done"]["reason"], "own");
  EXPECT_EQ((*c4)["done"]["cause"], "client went away");
  EXPECT_EQ((*c5)["done"]["reason"], "parent");
  EXPECT_EQ((*c5)["done"]["from"], 4);
  EXPECT_EQ((*c5)["done"]["cause"], "client went away");
  EXPECT_EQ((*c5)["watchers"].size(), 1u);
  EXPECT_FALSE((*c5)["done"]["propagation_ns"].is_null());
  EXPECT_EQ(tree["propagation"]["edges"].get<int>() >= 1, true);

  // analyze names the context whose cancel func made the cancel wave that woke the watcher:
  // the cancelcause one (context 4), not its child that trail records right after it, nor
  // the contexts main cancels right after it, which wake nobody (one of them may start
  // trail's observer of the untraced context in between: a wave that wakes nobody).
  fs::path report = WorkDir() / "tree.analyze.json";
  ASSERT_EQ(Shell(Ctxtrail().string() + " analyze --format json --fail-on never " + trace.string() + " >" +
                  report.string()),
            0);
  json analysis = json::parse(ReadFile(report));
  std::vector<json> waking;
  for (const json& w : analysis["waves"])
    if (!w["woken"].empty()) waking.push_back(w);
  ASSERT_EQ(waking.size(), 1u) << analysis["waves"].dump();
  const json& wave = waking[0];
  ASSERT_TRUE(wave.contains("context")) << wave.dump();
  EXPECT_EQ(wave["context"]["id"], 4);
  EXPECT_EQ(wave["context"]["location"]["line"], 33);
}

}  // namespace
