/// `analyze` and `contexts` given the traces of several processes (testdata/xproc): the text
/// names each finding's process and prints the cancel hop by hop, the JSON carries processes[]
/// and a `process` on every finding and wave; one trace gives the single-trace output.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <iterator>

#include "cli_in_process.h"

namespace ctxtrail::cli {
namespace {

using ::testing::HasSubstr;
namespace testing = ctxtrail::testing;

struct CliRun {
  int rc;
  std::string out, err;
};

CliRun run_args(std::vector<std::string> args) {
  testing::Outcome o = testing::run(std::move(args));
  return {o.code, std::move(o.out), std::move(o.err)};
}

std::string xproc(const std::string& run, const std::string& process) {
  return std::string(CTXTRAIL_SOURCE_DIR) + "/testdata/xproc/traces/" + run + "/" + process + ".trace.gz";
}

TEST(ProcessesCommand, AnalyzeTextNamesProcessesAndHops) {
  CliRun r = run_args({"analyze", xproc("drop-deadline", "client"), xproc("drop-deadline", "gateway"),
                       xproc("drop-deadline", "backend")});
  EXPECT_EQ(r.rc, kExitFindings) << r.err;
  EXPECT_THAT(r.out, HasSubstr("3 processes"));
  EXPECT_THAT(r.out, HasSubstr("cancels across processes:"));
  EXPECT_THAT(r.out, HasSubstr("client #3 -> gateway #1"));
  EXPECT_THAT(r.out, HasSubstr("== gateway =="));
  EXPECT_THAT(r.out, HasSubstr("error[deadline-dropped]"));
  EXPECT_THAT(r.out, HasSubstr("  * gateway: the grpc request /xproc.Work/Do was sent with a deadline"));
}

TEST(ProcessesCommand, AnalyzeJsonCarriesProcesses) {
  CliRun r = run_args({"analyze", "--format", "json", "--fail-on", "never", xproc("ignore-cancel", "client"),
                       xproc("ignore-cancel", "gateway"), xproc("ignore-cancel", "backend")});
  ASSERT_EQ(r.rc, kExitOk) << r.err;
  auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j["processes"].size(), 3u);
  EXPECT_EQ(j["processes"][1]["name"], "gateway");
  EXPECT_EQ(j["processes"][1]["clock"]["source"], "clock-snapshot");
  bool ignored = false;
  for (const auto& f : j["findings"]) {
    EXPECT_TRUE(f.contains("process")) << f.dump();
    ignored = ignored || (f["rule"] == "remote-cancel-ignored" && f["process"] == "backend");
  }
  EXPECT_TRUE(ignored) << r.out;
  for (const auto& w : j["waves"]) EXPECT_TRUE(w.contains("process")) << w.dump();
  ASSERT_EQ(j["cross_process"]["waves"].size(), 1u);
  const auto& hops = j["cross_process"]["waves"][0]["hops"];
  ASSERT_EQ(hops.size(), 2u);
  EXPECT_EQ(hops[0]["server"], "gateway");
  EXPECT_EQ(hops[1]["server"], "backend");
  EXPECT_EQ(j["cross_process"]["edges"].size(), 2u);
}

TEST(ProcessesCommand, OneTraceIsTheSingleTraceOutput) {
  CliRun r = run_args({"analyze", "--format", "json", "--fail-on", "never", xproc("clean", "gateway")});
  ASSERT_EQ(r.rc, kExitOk) << r.err;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_FALSE(j.contains("processes"));
  EXPECT_TRUE(j.contains("trace"));
}

TEST(ProcessesCommand, ContextsJoinsTheTrees) {
  CliRun r = run_args({"contexts", xproc("k8s-clean", "operator"), xproc("k8s-clean", "job")});
  ASSERT_EQ(r.rc, kExitOk) << r.err;
  EXPECT_THAT(r.out, HasSubstr("requests across processes"));
  EXPECT_THAT(r.out, HasSubstr("operator #3 -> job #1  default/report (k8s)"));
  CliRun j = run_args({"contexts", "--json", xproc("k8s-clean", "operator"), xproc("k8s-clean", "job")});
  ASSERT_EQ(j.rc, kExitOk) << j.err;
  auto doc = nlohmann::json::parse(j.out);
  EXPECT_EQ(doc["cross_process"]["edges"][0]["transport"], "k8s");
  EXPECT_TRUE(doc["processes"][1]["contexts"].contains("contexts"));
}

// Perfetto: each process its own process track (named by the process) in one file.
TEST(ProcessesCommand, ExportPerfettoHasATrackPerProcess) {
  const std::string out = ::testing::TempDir() + "xproc.perfetto";
  CliRun r = run_args({"export", "--format", "perfetto", "-o", out, xproc("clean", "client"),
                       xproc("clean", "gateway"), xproc("clean", "backend")});
  ASSERT_EQ(r.rc, kExitOk) << r.err;
  std::ifstream in(out, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  for (const char* name : {"client: ", "gateway: ", "backend: "}) EXPECT_THAT(bytes, HasSubstr(name));
  CliRun dot = run_args({"export", "--format", "dot", xproc("clean", "client"), xproc("clean", "gateway")});
  EXPECT_EQ(dot.rc, kExitUsage);
}

TEST(ProcessesCommand, SarifTakesOneTrace) {
  CliRun r = run_args({"analyze", "--format", "sarif", xproc("clean", "client"), xproc("clean", "gateway")});
  EXPECT_EQ(r.rc, kExitUsage);
  EXPECT_THAT(r.err, HasSubstr("--format sarif takes one trace"));
}

}  // namespace
}  // namespace ctxtrail::cli
