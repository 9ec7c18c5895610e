// Traces of busy, long-lived processes, generated here (tens of MB, not committed) and read
// exactly as Go's parser reads them (goroutine IDs past 2^20 and 2^21, a million and a half
// goroutines, many generations):
//   - testdata/programs/cancelbatches: 1,000 batches of 1,000 goroutines waiting on their own
//     WithCancel child, half cancelled one by one, the rest through the batch context (the
//     shape of chi's TestMuxContextIsThreadSafe). Nothing leaks: no error-level finding.
//   - testdata/programs/busyservice: a service that served 1.1 million requests (a goroutine
//     each) before the trace starts, then 100,000 more traced, one of which leaks a goroutine:
//     analyze names that goroutine and its lines.
// The release build only: under the sanitizers each would take many minutes; the sanitizer
// build reads the committed busy-process traces (busyservice-cross2p20 and its ID rewrites).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <algorithm>
#include <cstdio>
#include <fstream>
#include <string>

#include "report_cli_util.h"

namespace {

namespace fs = std::filesystem;
using ctxtrail::report_test::ctxtrail_binary;
using ctxtrail::report_test::out_dir;
using ctxtrail::report_test::run;
using ctxtrail::report_test::slurp;
using ctxtrail::report_test::source_dir;
using nlohmann::json;

#ifdef CTXTRAIL_SANITIZED
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif

std::string goparse() { return std::string(CTXTRAIL_BINARY_DIR) + "/goparse"; }

// Builds testdata/programs/NAME and runs it with ARGS after the output file; answers the trace.
std::string make_trace(const std::string& name, const std::string& args, const std::string& dir) {
  const std::string exe = dir + "/" + name, trace = dir + "/" + name + ".trace", log = dir + "/" + name + ".log";
  fs::remove(log);
  EXPECT_EQ(run("cd " + source_dir() + "/testdata/programs && go build -o " + exe + " ./" + name, log), 0)
      << slurp(log);
  EXPECT_EQ(run("GOMAXPROCS=2 " + exe + " " + trace + " " + args, log), 0) << slurp(log);
  return trace;
}

// ctxtrail's stats and event stream equal Go's parser's (the streams compared as they are
// written, never stored: a million-goroutine trace prints gigabytes of JSON).
void expect_read_as_go_reads(const std::string& trace, const std::string& dir) {
  const std::string log = dir + "/compare.log";
  fs::remove(log);
  ASSERT_EQ(run("(" + goparse() + " stats --json " + trace + " >" + dir + "/go.stats)", log), 0) << slurp(log);
  ASSERT_EQ(run("(" + ctxtrail_binary() + " stats --json " + trace + " >" + dir + "/ct.stats)", log), 0) << slurp(log);
  const json want = json::parse(slurp(dir + "/go.stats")), got = json::parse(slurp(dir + "/ct.stats"));
  for (auto it = want.begin(); it != want.end(); ++it)
    EXPECT_EQ(got.value(it.key(), json()), it.value()) << trace << ": stats field " << it.key();
  EXPECT_GT(want.value("goroutines", 0), 100000) << "not a busy trace";
  const std::string cmp = "bash -c 'cmp <(" + goparse() + " events --json " + trace + ") <(" + ctxtrail_binary() +
                          " events --json " + trace + ")'";
  EXPECT_EQ(run(cmp, log), 0) << trace << ": the event streams differ: " << slurp(log);
}

json analyze(const std::string& trace, const std::string& dir) {
  const std::string log = dir + "/analyze.log", out = dir + "/analyze.json";
  fs::remove(log);
  const int rc = run("(" + ctxtrail_binary() + " analyze --format json --fail-on never " + trace + " >" + out + ")", log);
  EXPECT_EQ(rc, 0) << slurp(log);
  return json::parse(slurp(out));
}

TEST(BusyProcess, AMillionAndAHalfGoroutinesInCancelledBatches) {
  if (kSanitized) GTEST_SKIP() << "release build only (minutes under the sanitizers)";
  const std::string dir = out_dir("busy-process-cancelbatches");
  const std::string trace = make_trace("cancelbatches", "1000 1000", dir);
  expect_read_as_go_reads(trace, dir);
  const json report = analyze(trace, dir);
  for (const json& f : report["findings"])
    EXPECT_NE(f["severity"], "error") << "nothing leaks in this program: " << f.dump();
}

TEST(BusyProcess, AServiceThatServedAMillionRequestsLeaksOneGoroutine) {
  if (kSanitized) GTEST_SKIP() << "release build only (minutes under the sanitizers)";
  const std::string dir = out_dir("busy-process-service");
  const std::string trace = make_trace("busyservice", "1100000 100000 5000", dir);
  expect_read_as_go_reads(trace, dir);
  // The line of the leaked goroutine's send, from the program's source.
  const std::string source = source_dir() + "/testdata/programs/busyservice/main.go";
  int send_line = 0;
  {
    std::ifstream in(source);
    std::string line;
    for (int n = 1; std::getline(in, line); n++)
      if (line.find("answer <- s.compute(key)") != std::string::npos) send_line = n;
  }
  ASSERT_GT(send_line, 0);
  // The slow key's lookup leaks one goroutine; a machine too loaded to run another lookup
  // within its 50 ms leaks that one too, at the same send (the program counts its timeouts).
  const std::string said = slurp(dir + "/busyservice.log");
  long before = -1, during = -1;
  if (const size_t at = said.rfind("timeouts: "); at != std::string::npos)
    std::sscanf(said.c_str() + at, "timeouts: %ld before the trace, %ld during it", &before, &during);
  ASSERT_GE(during, 1) << "the program did not say how many lookups timed out: " << said;
  const json report = analyze(trace, dir);
  int errors = 0;
  bool named = false;
  for (const json& f : report["findings"]) {
    if (f["severity"] != "error") continue;
    errors++;
    // Those leaked before the trace started (if any) may be named with them.
    EXPECT_GE(f["goroutines"].size(), static_cast<size_t>(during)) << f.dump();
    ASSERT_LE(f["goroutines"].size(), static_cast<size_t>(during + before)) << f.dump();
    int64_t highest = 0;
    for (const json& g : f["goroutines"]) highest = std::max(highest, g.get<int64_t>());
    EXPECT_GT(highest, int64_t{1} << 21) << "IDs of a process past 2^21 goroutines";
    for (const json& loc : f["locations"])
      if (loc["role"] == "block" && loc["line"] == send_line &&
          loc["file"].get<std::string>().ends_with("busyservice/main.go") &&
          loc["function"] == "main.(*server).lookup.func1")
        named = true;
  }
  EXPECT_EQ(errors, 1) << report["findings"].dump(1);
  EXPECT_TRUE(named) << "the leaked goroutine's send at main.go:" << send_line << " is not named: "
                     << report["findings"].dump(1);
}

}  // namespace
