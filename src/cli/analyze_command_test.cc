#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/analysis.h"
#include "cli/duration.h"
#include "testing/synthetic_trace.h"

namespace ctxtrail::cli {
namespace {

using model::GoState;
using model::testing::rt;
using model::testing::SyntheticReader;
using model::testing::SyntheticTrace;
using model::testing::user;
constexpr int64_t ms = 1'000'000;

// "leak.trace": one leaked sender (error). "slow.trace": one slow exit (warning).
// "clean.trace": nothing. "broken.trace": the leak, then a malformed event.
std::shared_ptr<SyntheticTrace> make(const std::string& which) {
  auto t = std::make_shared<SyntheticTrace>();
  t->status(0, 1, GoState::Running);
  trace::StackID site = t->stack({user("main.main", 30)});
  if (which == "leak" || which == "broken") {
    t->create(1 * ms, 1, 5, site, t->start_of("main.fetch"));
    t->start(1 * ms, 5);
    t->create(2 * ms, 5, 20, t->stack({user("main.fetch", 61)}), t->start_of("main.fetch.func1"));
    t->start(3 * ms, 20);
    t->block(3 * ms, 20, "chan send", t->stack({rt("runtime.chansend1", "runtime/chan.go", 161), user("main.fetch.func1", 63)}));
    t->end(4 * ms, 5);
  }
  if (which == "slow") {
    t->create(1 * ms, 1, 11, site, t->start_of("main.worker"));
    t->start(1 * ms, 11);
    t->block(2 * ms, 11, "select", t->select_stack("main.worker", 14));
    t->unblock(20 * ms, 1, 11, t->cancel_stack());
    t->start(21 * ms, 11);
    t->end(100 * ms, 11);
  }
  t->tick(1000 * ms);
  return t;
}

Result<std::unique_ptr<trace::Reader>> fake_open(const std::string& path, trace::ReaderOptions) {
  std::string base = path.substr(0, path.find('.'));
  if (base == "leak" || base == "slow" || base == "clean")
    return std::unique_ptr<trace::Reader>(std::make_unique<SyntheticReader>(make(base)));
  if (base == "broken")
    return std::unique_ptr<trace::Reader>(std::make_unique<SyntheticReader>(make(base), 7));
  return Error{path, std::nullopt, std::nullopt, "no such file"};
}

struct Cli : ::testing::Test {
  analysis::ReaderOpener saved = analysis::reader_opener();
  void SetUp() override { analysis::reader_opener() = fake_open; }
  void TearDown() override { analysis::reader_opener() = saved; }
  std::string out, err;
  int run(std::vector<const char*> args) {
    args.insert(args.begin(), "ctxtrail");
    std::ostringstream o, e;
    int rc = cli::run(static_cast<int>(args.size()), args.data(), o, e);
    out = o.str();
    err = e.str();
    return rc;
  }
};

TEST_F(Cli, ExitCodeOneOnErrorFindings) {
  EXPECT_EQ(run({"analyze", "leak.trace"}), kExitFindings);
  EXPECT_NE(out.find("error[leaked-goroutine]"), std::string::npos) << out;
}

TEST_F(Cli, CleanTraceExitsZero) {
  EXPECT_EQ(run({"analyze", "clean.trace"}), kExitOk);
  EXPECT_NE(out.find("no findings"), std::string::npos);
}

TEST_F(Cli, FailOnThresholds) {
  EXPECT_EQ(run({"analyze", "slow.trace"}), kExitOk);  // a warning, default --fail-on error
  EXPECT_EQ(run({"analyze", "slow.trace", "--fail-on", "warning"}), kExitFindings);
  EXPECT_EQ(run({"analyze", "slow.trace", "--fail-on", "info"}), kExitFindings);
  EXPECT_EQ(run({"analyze", "leak.trace", "--fail-on", "never"}), kExitOk);
  EXPECT_EQ(run({"analyze", "slow.trace", "--slow", "100ms", "--fail-on", "warning"}), kExitOk);
}

TEST_F(Cli, RuleSubsetAndGrace) {
  EXPECT_EQ(run({"analyze", "leak.trace", "--rule", "cancel-ignored", "--rule", "slow-cancel-exit"}), kExitOk);
  // A grace longer than the trace does not hide the sender: its creator ended and nothing alive
  // could ever receive (issue 14: leaks that begin inside the last grace).
  EXPECT_EQ(run({"analyze", "leak.trace", "--grace", "2s"}), kExitFindings);
  EXPECT_EQ(run({"analyze", "leak.trace", "--grace", "1m30s"}), kExitFindings);
  // 80ms to exit is past a 50ms grace: not slow but ignored.
  EXPECT_EQ(run({"analyze", "slow.trace", "--grace", "50ms"}), kExitFindings);
  EXPECT_EQ(out.find("slow-cancel-exit"), std::string::npos) << out;
  EXPECT_NE(out.find("error[cancel-ignored]"), std::string::npos) << out;
}

TEST_F(Cli, JsonAndSarifAndOutputFile) {
  EXPECT_EQ(run({"analyze", "leak.trace", "--format", "json"}), kExitFindings);
  auto j = nlohmann::json::parse(out);
  EXPECT_EQ(j["findings"][0]["rule"], "leaked-goroutine");
  EXPECT_EQ(j["trace"], "leak.trace");
  std::string file = std::string(CTXTRAIL_BINARY_DIR) + "/cli_test_out.sarif";
  EXPECT_EQ(run({"analyze", "leak.trace", "--format", "sarif", "-o", file.c_str(), "--source-root", "/home/dev/app"}),
            kExitFindings);
  EXPECT_TRUE(out.empty());
  std::ifstream in(file);
  auto s = nlohmann::json::parse(in);
  EXPECT_EQ(s["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "main.go");
}

TEST_F(Cli, UsageErrorsExitTwo) {
  EXPECT_EQ(run({"analyze"}), kExitUsage);
  EXPECT_EQ(run({"analyze", "leak.trace", "--format", "xml"}), kExitUsage);
  EXPECT_EQ(run({"analyze", "leak.trace", "--grace", "5 minutes"}), kExitUsage);
  EXPECT_EQ(run({"analyze", "leak.trace", "--fail-on", "sometimes"}), kExitUsage);
  EXPECT_EQ(run({"analyze", "leak.trace", "--rule", "no-such-rule"}), kExitUsage);
  EXPECT_EQ(run({"lifecycle", "leak.trace"}), kExitUsage);  // --goroutine is required
  EXPECT_EQ(run({"lifecycle", "leak.trace", "--goroutine", "999"}), kExitUsage);
}

TEST_F(Cli, UnreadableAndMalformedInputExitThree) {
  EXPECT_EQ(run({"analyze", "missing.trace"}), kExitBadInput);
  EXPECT_NE(err.find("no such file"), std::string::npos);
  EXPECT_EQ(run({"analyze", "broken.trace"}), kExitBadInput);
  EXPECT_NE(err.find("--partial"), std::string::npos);
  EXPECT_TRUE(out.empty());
  // --partial analyzes what was read (the leak) and still exits 3.
  EXPECT_EQ(run({"analyze", "broken.trace", "--partial", "--format", "json"}), kExitBadInput);
  auto j = nlohmann::json::parse(out);
  EXPECT_EQ(j["summary"]["partial"], true);
}

TEST_F(Cli, LifecycleAndDag) {
  EXPECT_EQ(run({"lifecycle", "slow.trace", "--goroutine", "11"}), kExitOk);
  EXPECT_NE(out.find("G11 (main.worker)"), std::string::npos) << out;
  EXPECT_NE(out.find("woken by G1"), std::string::npos) << out;
  EXPECT_NE(out.find("cancel wave #1"), std::string::npos) << out;
  EXPECT_EQ(run({"dag", "slow.trace"}), kExitOk);
  EXPECT_NE(out.find("acyclic"), std::string::npos) << out;
  EXPECT_NE(out.find("cancel#1(G1) --cancel--> end(G11)"), std::string::npos) << out;
}

TEST(Duration, GoSyntax) {
  EXPECT_EQ(parse_go_duration("500ms"), 500'000'000);
  EXPECT_EQ(parse_go_duration("2s"), 2'000'000'000);
  EXPECT_EQ(parse_go_duration("1m30s"), 90'000'000'000);
  EXPECT_EQ(parse_go_duration("250us"), 250'000);
  EXPECT_EQ(parse_go_duration("250µs"), 250'000);
  EXPECT_EQ(parse_go_duration("1.5h"), 5'400'000'000'000);
  EXPECT_EQ(parse_go_duration("0"), 0);
  EXPECT_EQ(parse_go_duration(".5s"), 500'000'000);
  EXPECT_FALSE(parse_go_duration(""));
  EXPECT_FALSE(parse_go_duration("5"));
  EXPECT_FALSE(parse_go_duration("-1s"));
  EXPECT_FALSE(parse_go_duration("1x"));
  EXPECT_FALSE(parse_go_duration("s"));
}

}  // namespace
}  // namespace ctxtrail::cli
