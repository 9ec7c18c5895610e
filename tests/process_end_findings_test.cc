// The findings that read how a process ended or how it grew (issue 13): deadlock (from a trace
// the tracer kept alive, and from Go's own "all goroutines are asleep" dump), goroutine-pileup
// (a dump or profile alone), goroutine-growth and `ctxtrail diff` (dumps taken one after another).
// Real inputs: testdata/traces/deadlock.trace (testdata/programs/deadlock) and the dumps of
// testdata/snapshots/gen (pileup, growth, deadlock).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli_in_process.h"

namespace {

using ::testing::HasSubstr;
using ctxtrail::testing::Outcome;
using ctxtrail::testing::run;

std::string data(const std::string& rel) { return std::string(CTXTRAIL_SOURCE_DIR) + "/testdata/" + rel; }

nlohmann::json findings(const Outcome& o) { return nlohmann::json::parse(o.out)["findings"]; }

std::vector<int64_t> lines_of(const nlohmann::json& f, const std::string& role) {
  std::vector<int64_t> out;
  for (const auto& l : f["locations"])
    if (l["role"] == role) out.push_back(l["line"]);
  return out;
}

TEST(Deadlock, ATraceTheTracerKeptAliveNamesEveryStuckGoroutine) {
  Outcome o = run({"analyze", "--format", "json", data("traces/deadlock.trace")});
  ASSERT_EQ(o.code, 1) << o.err;
  const nlohmann::json f = findings(o);
  ASSERT_EQ(f.size(), 1u) << o.out;  // the deadlock, not three leaks
  EXPECT_EQ(f[0]["rule"], "deadlock");
  EXPECT_EQ(f[0]["severity"], "error");
  EXPECT_EQ(f[0]["goroutines"].size(), 3u);  // main, awaitJob, takeLock
  // wg.Wait in main, <-jobs in awaitJob, mu.Lock in takeLock.
  EXPECT_THAT(lines_of(f[0], "block"), ::testing::UnorderedElementsAre(47, 17, 22));
  EXPECT_THAT(f[0]["message"].get<std::string>(), HasSubstr("sync.WaitGroup.Wait at main.go:47"));
}

TEST(Deadlock, GoRuntimesOwnReportInADumpIsTheFinding) {
  Outcome o = run({"analyze", "--format", "json", data("snapshots/dump_deadlock.txt")});
  ASSERT_EQ(o.code, 1) << o.err;
  const nlohmann::json f = findings(o);
  ASSERT_EQ(f.size(), 1u) << o.out;
  EXPECT_EQ(f[0]["rule"], "deadlock");
  EXPECT_THAT(f[0]["message"].get<std::string>(), HasSubstr("all goroutines are asleep - deadlock!"));
  EXPECT_EQ(f[0]["goroutines"], nlohmann::json::array({1, 18}));
}

// A daemon idle until SIGTERM is waiting, not deadlocked; a trace whose every goroutine is
// parked with nothing stopping it from outside is no deadlock either (a timer may be pending).
TEST(Deadlock, NotOnTracesThatCouldStillMove) {
  for (const char* trace : {"traces/ctxcancel.trace", "traces/demo.trace", "traces/netio.trace"}) {
    Outcome o = run({"analyze", "--format", "json", "--rule", "deadlock", data(trace)});
    EXPECT_EQ(findings(o).size(), 0u) << trace << ": " << o.out;
  }
}

TEST(GoroutinePileup, ADumpAloneNamesThePileAndTheNilChannel) {
  // The dump's goroutines waited under a minute: with the default --pileup-wait (10m) only the
  // nil-channel receive, which can never proceed, is a finding.
  Outcome o = run({"analyze", "--format", "json", data("snapshots/dump_pileup.txt")});
  ASSERT_EQ(o.code, 1) << o.err;
  nlohmann::json f = findings(o);
  ASSERT_EQ(f.size(), 1u) << o.out;
  EXPECT_EQ(f[0]["rule"], "goroutine-pileup");
  EXPECT_EQ(f[0]["severity"], "error");
  EXPECT_EQ(lines_of(f[0], "block"), std::vector<int64_t>{30});

  o = run({"analyze", "--format", "json", "--pileup-wait", "0s", data("snapshots/dump_pileup.txt")});
  f = findings(o);
  ASSERT_EQ(f.size(), 2u) << o.out;
  const nlohmann::json& pile = f[1]["severity"] == "warning" ? f[1] : f[0];
  EXPECT_EQ(pile["severity"], "warning");
  EXPECT_EQ(pile["goroutines"].size(), 150u);
  EXPECT_EQ(lines_of(pile, "block"), std::vector<int64_t>{16});     // results <- v in publish
  EXPECT_EQ(lines_of(pile, "creation"), std::vector<int64_t>{20});  // go publish in handle
  EXPECT_THAT(pile["message"].get<std::string>(), HasSubstr("150 goroutines parked on chan send"));

  // The pool of 4 idle workers is under --pileup-count; lowered to 4, it is a pile too.
  o = run({"analyze", "--format", "json", "--pileup-wait", "0s", "--pileup-count", "4", data("snapshots/dump_pileup.txt")});
  EXPECT_EQ(findings(o).size(), 3u) << o.out;
}

// Without a trace the report also shows the dump as an engineer reads it: its goroutines grouped
// by state, stack and creation, the largest first.
TEST(GoroutinePileup, ADumpAloneIsSummarisedByItsLargestGroups) {
  Outcome o = run({"analyze", "--format", "json", data("snapshots/dump_pileup.txt")});
  const nlohmann::json s = nlohmann::json::parse(o.out)["snapshots"][0];
  EXPECT_EQ(s["groups"], 4);
  ASSERT_EQ(s["largest_groups"].size(), 4u);
  EXPECT_EQ(s["largest_groups"][0]["count"], 150);
  EXPECT_EQ(s["largest_groups"][0]["operation"], "chan send");
  EXPECT_EQ(s["largest_groups"][0]["where"]["line"], 16);
  EXPECT_EQ(s["largest_groups"][0]["created"]["line"], 20);
  EXPECT_EQ(s["largest_groups"][1]["count"], 4);  // the idle pool
  o = run({"analyze", data("snapshots/dump_pileup.txt")});
  EXPECT_THAT(o.out, HasSubstr("4 groups by state, stack and creation; the largest:"));
  EXPECT_THAT(o.out, HasSubstr("150  chan send  main.go:16 (main.publish)  started at main.go:20"));
}

TEST(GoroutinePileup, LongWaitsInTheDumpMeetTheDefaultThreshold) {
  // The same dump as a service's after 42 minutes: the header's wait time decides.
  std::ifstream in(data("snapshots/dump_pileup.txt"));
  std::stringstream text;
  text << in.rdbuf();
  std::string aged = text.str();
  for (size_t at = 0; (at = aged.find("[chan send]:", at)) != std::string::npos;)
    aged.replace(at, 12, "[chan send, 42 minutes]:");
  const auto path = std::filesystem::temp_directory_path() / "ctxtrail_pileup_aged.txt";
  std::ofstream(path) << aged;
  Outcome o = run({"analyze", "--format", "json", path.string()});
  std::filesystem::remove(path);
  const nlohmann::json f = findings(o);
  ASSERT_EQ(f.size(), 2u) << o.out;
  bool saw = false;
  for (const auto& x : f)
    if (x["severity"] == "warning") {
      saw = true;
      EXPECT_THAT(x["message"].get<std::string>(), HasSubstr("for 42 minutes"));
    }
  EXPECT_TRUE(saw) << o.out;
}

TEST(GoroutinePileup, AProfileAloneCountsWithoutWaitTimes) {
  Outcome o = run({"analyze", "--format", "json", data("snapshots/profile_pileup.pb.gz")});
  const nlohmann::json f = findings(o);
  ASSERT_EQ(f.size(), 1u) << o.out;  // a profile cannot tell a nil channel from another
  EXPECT_EQ(f[0]["rule"], "goroutine-pileup");
  EXPECT_THAT(f[0]["message"].get<std::string>(), HasSubstr("150 goroutines parked on chan send"));
  EXPECT_THAT(f[0]["message"].get<std::string>(), HasSubstr("no wait times"));
}

TEST(GoroutineGrowth, DiffNamesTheStackThatGrewInEveryStep) {
  Outcome o = run({"diff", "--format", "json", data("snapshots/dump_growth_1.txt"), data("snapshots/dump_growth_2.txt"),
                   data("snapshots/dump_growth_3.txt")});
  EXPECT_EQ(o.code, 0) << o.err;  // a warning: --fail-on error
  const nlohmann::json j = nlohmann::json::parse(o.out);
  ASSERT_GE(j["changes"].size(), 2u);
  EXPECT_EQ(j["changes"][0]["growth"], 80);  // 40 -> 120 leaked senders
  EXPECT_EQ(j["changes"][0]["function"], "main.reply");
  EXPECT_EQ(j["changes"][0]["line"], 15);
  EXPECT_EQ(j["changes"][0]["operation"], "chan send");
  EXPECT_EQ(j["changes"].back()["growth"], -30);  // the batch that finished
  ASSERT_EQ(j["findings"].size(), 1u) << o.out;
  EXPECT_EQ(j["findings"][0]["rule"], "goroutine-growth");
  EXPECT_THAT(j["findings"][0]["message"].get<std::string>(), HasSubstr("40 → 80 → 120"));
  EXPECT_EQ(j["findings"][0]["goroutines"].size(), 120u);

  // The pool and the batch did not grow in every step: no finding for them, whatever the count.
  o = run({"diff", "--format", "json", "--growth-count", "1", data("snapshots/dump_growth_1.txt"),
           data("snapshots/dump_growth_2.txt"), data("snapshots/dump_growth_3.txt")});
  EXPECT_EQ(nlohmann::json::parse(o.out)["findings"].size(), 1u) << o.out;
}

// Two snapshots are one step: growth in it counts only over a minute or more (by the files'
// times); capture's dump and profile, taken a fraction of a second apart, show load, not leaks.
TEST(GoroutineGrowth, TwoSnapshotsNeedAMinuteBetweenThem) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / "ctxtrail-growth-two";
  fs::create_directories(dir);
  const fs::path first = dir / "g1.txt", second = dir / "g2.txt";
  fs::copy_file(data("snapshots/dump_growth_1.txt"), first, fs::copy_options::overwrite_existing);
  fs::copy_file(data("snapshots/dump_growth_2.txt"), second, fs::copy_options::overwrite_existing);
  for (auto [apart, want] : {std::pair{std::chrono::seconds(1), 0u}, std::pair{std::chrono::seconds(120), 1u}}) {
    fs::last_write_time(second, fs::last_write_time(first) + apart);
    Outcome o = run({"diff", "--format", "json", first.string(), second.string()});
    EXPECT_EQ(nlohmann::json::parse(o.out)["findings"].size(), want) << apart.count() << "s: " << o.out;
  }
  fs::remove_all(dir);
}

TEST(GoroutineGrowth, DiffRefusesATraceAndNeedsTwoSnapshots) {
  Outcome o = run({"diff", data("snapshots/dump_growth_1.txt"), data("traces/demo.trace")});
  EXPECT_EQ(o.code, 2);
  EXPECT_THAT(o.err, HasSubstr("is a Go execution trace"));
  o = run({"diff", data("snapshots/dump_growth_1.txt")});
  EXPECT_EQ(o.code, 2) << o.err;
  o = run({"diff", data("snapshots/dump_growth_1.txt"), "/nonexistent/dump.txt"});
  EXPECT_EQ(o.code, 3) << o.err;
  EXPECT_THAT(o.err, HasSubstr("/nonexistent/dump.txt"));
}

}  // namespace
