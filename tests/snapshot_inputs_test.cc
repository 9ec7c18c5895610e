// `analyze` with a trace and the goroutine dumps and profiles of the same process (issue 13):
// inputs recognised by content in any order, joined to the trace, or read alone; bad inputs
// exit 3 naming the file. The commands run in this process through cli::run.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli_in_process.h"
#include "report_cli_util.h"

namespace {

using ::testing::HasSubstr;

using ctxtrail::testing::Outcome;
using ctxtrail::testing::run;

// Cockroach584: gossip's manage() locks a mutex its caller never unlocks; one goroutine leaks.
std::string kernel(const std::string& file) {
  return std::string(CTXTRAIL_SOURCE_DIR) + "/testdata/goker/Cockroach584/" + file;
}

nlohmann::json findings_of(const Outcome& o) {
  EXPECT_EQ(o.code, 1) << o.err;  // the proven leak is an error: --fail-on error
  return nlohmann::json::parse(o.out)["findings"];
}

TEST(SnapshotInputs, TraceWithLeakProfileInAnyOrderNamesTheProvenLeak) {
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"analyze", "--format", "json", kernel("trace.out"), kernel("leak.txt")},
           {"analyze", "--format", "json", kernel("leak.txt"), kernel("trace.out")},
           {"analyze", "--format", "json", kernel("leak.pb.gz"), kernel("trace.out")}}) {
    Outcome o = run(args);
    auto f = findings_of(o);
    ASSERT_EQ(f.size(), 1u) << o.out;
    EXPECT_EQ(f[0]["rule"], "leaked-goroutine");
    EXPECT_EQ(f[0]["severity"], "error");
    EXPECT_EQ(f[0]["proven_leak"], true);
    EXPECT_EQ(f[0]["goroutines"], nlohmann::json::array({27}));
    EXPECT_THAT(f[0]["message"].get<std::string>(), HasSubstr("proves it leaked"));
    std::map<std::string, int64_t> lines;
    for (const auto& l : f[0]["locations"]) lines[l["role"]] = l["line"];
    EXPECT_EQ(lines["block"], 36);     // s.mu.Lock() in manage
    EXPECT_EQ(lines["creation"], 58);  // go func() in Cockroach584
    const auto report = nlohmann::json::parse(o.out);
    ASSERT_EQ(report["snapshots"].size(), 1u);
    EXPECT_EQ(report["snapshots"][0]["leaked"], 1);
    EXPECT_EQ(report["snapshots"][0]["leaked_in_trace"], 1);
  }
}

TEST(SnapshotInputs, TheTraceAloneSaysNothingProven) {
  Outcome o = run({"analyze", "--format", "json", "--fail-on", "never", kernel("trace.out")});
  EXPECT_EQ(o.code, 0) << o.err;
  const auto report = nlohmann::json::parse(o.out);  // kept: a range-for over a temporary's member dangles
  for (const auto& f : report["findings"]) EXPECT_FALSE(f.contains("proven_leak")) << f;
}

TEST(SnapshotInputs, ALeakProfileAloneReportsFromItsStacks) {
  for (const char* file : {"leak.txt", "leak.pb.gz"}) {
    Outcome o = run({"analyze", "--format", "json", kernel(file)});
    auto f = findings_of(o);
    ASSERT_EQ(f.size(), 1u) << o.out;
    EXPECT_EQ(f[0]["proven_leak"], true);
    bool block = false;
    for (const auto& l : f[0]["locations"])
      block = block || (l["role"] == "block" && l["line"] == 36 && l["function"] == "main.(*gossip_cockroach584).manage");
    EXPECT_TRUE(block) << f[0];
    EXPECT_EQ(nlohmann::json::parse(o.out)["trace_given"], false);
    Outcome text = run({"analyze", kernel(file)});
    EXPECT_THAT(text.out, HasSubstr("no trace: from goroutine snapshots alone"));
  }
}

// Several traces are one per process (docs/cross-process.md); the same one twice is a mistake.
TEST(SnapshotInputs, OneTraceTwiceIsAnInputError) {
  Outcome o = run({"analyze", kernel("trace.out"), kernel("trace.out")});
  EXPECT_EQ(o.code, 3);
  EXPECT_THAT(o.err, HasSubstr("given twice"));
}

TEST(SnapshotInputs, AnInputThatIsNothingKnownIsNamed) {
  const std::string path = std::string(CTXTRAIL_BINARY_DIR) + "/not-a-snapshot.txt";
  std::ofstream(path) << "hello\nthis is no goroutine dump\n";
  Outcome o = run({"analyze", kernel("trace.out"), path});
  EXPECT_EQ(o.code, 3);
  EXPECT_THAT(o.err, HasSubstr(path));
  EXPECT_THAT(o.err, HasSubstr("goroutine 1 [running]:"));  // says what was expected
  Outcome missing = run({"analyze", kernel("trace.out"), path + ".missing"});
  EXPECT_EQ(missing.code, 3);
  EXPECT_THAT(missing.err, HasSubstr("cannot open"));
}

TEST(SnapshotInputs, ACutGzipProfileIsNamedWithItsOffset) {
  std::ifstream in(kernel("leak.pb.gz"), std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string path = std::string(CTXTRAIL_BINARY_DIR) + "/cut-leak.pb.gz";
  std::ofstream(path, std::ios::binary) << bytes.substr(0, bytes.size() / 2);
  Outcome o = run({"analyze", kernel("trace.out"), path});
  EXPECT_EQ(o.code, 3);
  EXPECT_THAT(o.err, HasSubstr("cut off"));
  EXPECT_THAT(o.err, HasSubstr("byte"));
}

}  // namespace
