/// `stats` and `events` driven through argv: golden outputs for the real traces in
/// testdata/traces, exit codes and messages for bad input.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <iterator>
#include <sstream>

#include "ctxtrail/cli/app.h"

namespace ctxtrail::cli {
namespace {

using ::testing::HasSubstr;

struct CliRun {
  int rc;
  std::string out, err;
};

CliRun run_args(std::vector<std::string> args) {
  std::vector<const char*> argv = {"ctxtrail"};
  for (const std::string& a : args) argv.push_back(a.c_str());
  std::ostringstream o, e;
  int rc = run(static_cast<int>(argv.size()), argv.data(), o, e);
  return {rc, o.str(), e.str()};
}

std::string source(const std::string& rel) { return std::string(CTXTRAIL_SOURCE_DIR) + "/" + rel; }

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::string temp_file(const std::string& name, const std::string& bytes) {
  std::string path = ::testing::TempDir() + name;
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

/// The cpu trace without its last 100 bytes, as a file.
std::string cut_trace(const std::string& name) {
  std::string bytes = slurp(source("testdata/traces/go126-cpu.trace"));
  return temp_file(name, bytes.substr(0, bytes.size() - 100));
}

// `go test -trace` of package context: 129 cancel waves (the relays that propagateCancel starts
// in a constructor are no waves). `analyze` lists 20 and a line per
// cancel site; `dag` the critical paths of the same 20 instead of every edge and every wave.
TEST(ManyWaves, TextListsTheTellingOnesAndDagTheirCriticalPaths) {
  const std::string trace = source("testdata/traces/std-context.trace");
  CliRun a = run_args({"analyze", trace});
  EXPECT_THAT(a.out, HasSubstr("cancel waves: 129 in all; the 20 most telling"));
  EXPECT_THAT(a.out, HasSubstr("cancel sites ("));
  EXPECT_LT(std::count(a.out.begin(), a.out.end(), '\n'), 100);
  CliRun d = run_args({"dag", trace});
  EXPECT_EQ(d.rc, 0) << d.err;
  EXPECT_THAT(d.out, HasSubstr("the critical paths of the 20 most telling of 129 waves follow"));
  size_t paths = 0;
  for (size_t at = 0; (at = d.out.find("critical path of wave #", at)) != std::string::npos; ++at) ++paths;
  EXPECT_EQ(paths, 20u) << d.out;
}

class GoldenStats : public ::testing::TestWithParam<const char*> {};

TEST_P(GoldenStats, MatchesGoParser) {
  const std::string base = source(std::string("testdata/traces/") + GetParam());
  CliRun r = run_args({"stats", "--json", base + ".trace"});
  EXPECT_EQ(r.rc, kExitOk) << r.err;
  EXPECT_EQ(r.out, slurp(base + ".stats.json"));
  EXPECT_EQ(r.err, "");
}

INSTANTIATE_TEST_SUITE_P(Traces, GoldenStats,
                         ::testing::Values("go126-busy", "go126-annotated", "go126-cpu"));

TEST(StatsCommand, TextSummary) {
  CliRun r = run_args({"stats", source("testdata/traces/go126-cpu.trace")});
  EXPECT_EQ(r.rc, kExitOk);
  EXPECT_THAT(r.out, HasSubstr("format:      go 1.26\n"));
  EXPECT_THAT(r.out, HasSubstr("generations: 2\n"));
  EXPECT_THAT(r.out, HasSubstr("complete:    true\n"));
  EXPECT_THAT(r.out, HasSubstr("StackSample"));
  EXPECT_THAT(r.out, HasSubstr("  CPU samples              "));
  EXPECT_THAT(r.out, HasSubstr("  time fix-ups (+1 ns)     "));
}

TEST(StatsCommand, TruncatedTracePrintsWhatWasReadAndExits3) {
  std::string path = cut_trace("cut.trace");
  CliRun r = run_args({"stats", "--json", path});
  EXPECT_EQ(r.rc, kExitBadInput);
  EXPECT_THAT(r.out, HasSubstr("\"complete\":false"));
  EXPECT_THAT(r.out, HasSubstr("\"StateTransition\":"));
  EXPECT_THAT(r.err, HasSubstr("ctxtrail stats: " + path + ": byte "));
  EXPECT_THAT(r.err, HasSubstr("(generation "));
  EXPECT_THAT(r.err, HasSubstr("failed to read full batch"));
}

TEST(StatsCommand, BadInputs) {
  struct Case {
    std::string bytes, message;
  };
  const Case cases[] = {
      {"", "not a Go execution trace"},
      {std::string("go 1.21 trace\0\0\0", 16), "pre-1.22 trace format (Go 1.21) is not supported"},
      {"PK\x03\x04 definitely not a trace", "not a Go execution trace"},
      {std::string("go 1.26 trace\0\0\0\x09", 17), "expected batch event, got event 9"},
  };
  int i = 0;
  for (const Case& c : cases) {
    std::string path = temp_file("bad" + std::to_string(i++) + ".trace", c.bytes);
    CliRun r = run_args({"stats", path});
    EXPECT_EQ(r.rc, kExitBadInput) << c.message;
    EXPECT_THAT(r.err, HasSubstr(c.message));
    EXPECT_THAT(r.err, HasSubstr(path));
  }
  CliRun dir = run_args({"stats", CTXTRAIL_SOURCE_DIR});
  EXPECT_EQ(dir.rc, kExitBadInput);
  EXPECT_THAT(dir.err, HasSubstr("is a directory"));
}

TEST(StatsCommand, UsageErrors) {
  EXPECT_EQ(run_args({"stats"}).rc, kExitUsage);
  EXPECT_EQ(run_args({"stats", "--bogus", "x"}).rc, kExitUsage);
  EXPECT_EQ(run_args({"events", "x.trace", "--goroutine", "notanumber"}).rc, kExitUsage);
}

TEST(EventsCommand, JsonLinesOnePerEvent) {
  CliRun r = run_args({"events", "--json", source("testdata/traces/go126-annotated.trace")});
  EXPECT_EQ(r.rc, kExitOk) << r.err;
  size_t lines = std::count(r.out.begin(), r.out.end(), '\n');
  CliRun s = run_args({"stats", "--json", source("testdata/traces/go126-annotated.trace")});
  EXPECT_THAT(s.out, HasSubstr("\"events\":" + std::to_string(lines) + ","));
  EXPECT_EQ(r.out.rfind("{\"time\":", 0), 0u);
  EXPECT_THAT(r.out, HasSubstr("\"kind\":\"Sync\",\"g\":-1,\"p\":-1,\"m\":-1,\"n\":1}\n"));
  // The log message with quotes, a tab, a control byte and invalid UTF-8.
  EXPECT_THAT(r.out, HasSubstr("\"message\":\"\\\"quoted\\\"\\tand\\u0001control \\ufffd bytes\"}"));
}

TEST(EventsCommand, Filters) {
  CliRun r = run_args({"events", "--json", "--kind", "TaskBegin", source("testdata/traces/go126-annotated.trace")});
  EXPECT_EQ(r.rc, kExitOk);
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 5);
  CliRun g = run_args({"events", "--goroutine", "1", source("testdata/traces/go126-annotated.trace")});
  EXPECT_EQ(g.rc, kExitOk);
  EXPECT_THAT(g.out, HasSubstr(" G1 "));
  CliRun bad = run_args({"events", "--kind", "Nope", source("testdata/traces/go126-annotated.trace")});
  EXPECT_EQ(bad.rc, kExitUsage);
  EXPECT_THAT(bad.err, HasSubstr("unknown --kind Nope"));
}

TEST(EventsCommand, ErrorMidTraceKeepsEarlierEventsAndExits3) {
  std::string path = cut_trace("cut-events.trace");
  CliRun r = run_args({"events", "--json", path});
  EXPECT_EQ(r.rc, kExitBadInput);
  EXPECT_GT(std::count(r.out.begin(), r.out.end(), '\n'), 100);
  EXPECT_THAT(r.err, HasSubstr("failed to read full batch"));
}

}  // namespace
}  // namespace ctxtrail::cli
