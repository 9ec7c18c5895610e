/// `ctxtrail export` on a real trace: Perfetto decodes with protoc against the committed
/// subset schema, Chrome JSON parses and has the expected events, DOT renders with dot.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <set>

#include "report_cli_util.h"

namespace ctxtrail::report_test {
namespace {

std::string export_to(const std::string& format, const std::string& ext) {
  std::string dir = out_dir("export");
  std::string file = dir + "/workerpool." + ext;
  std::string log = dir + "/export.log";
  EXPECT_EQ(run(ctxtrail_binary() + " export " + workerpool_trace() + " --format " + format + " -o " + file, log), 0)
      << slurp(log);
  return file;
}

TEST(ExportPerfetto, DecodesWithTheCommittedSchema) {
  std::string file = export_to("perfetto", "perfetto-trace");
  if (!have_program("protoc")) GTEST_SKIP() << "protoc not installed (scripts/setup installs protobuf-compiler)";
  std::string schema = source_dir() + "/testdata/schemas/perfetto";
  std::string text = out_dir("export") + "/workerpool.perfetto.txt";
  std::filesystem::remove(text);
  ASSERT_EQ(run("protoc --decode=perfetto.protos.Trace -I" + schema + " " + schema + "/trace.proto <" + file, text), 0)
      << slurp(text);
  std::string decoded = slurp(text);
  EXPECT_NE(decoded.find("name: \"G1 main.main\""), std::string::npos);
  EXPECT_NE(decoded.find("name: \"main.worker (6)\""), std::string::npos);
  EXPECT_NE(decoded.find("type: TYPE_SLICE_BEGIN"), std::string::npos);
  EXPECT_NE(decoded.find("type: TYPE_SLICE_END"), std::string::npos);
  EXPECT_NE(decoded.find("name: \"cancel #1\""), std::string::npos);
  EXPECT_NE(decoded.find("flow_ids:"), std::string::npos);
  EXPECT_NE(decoded.find("terminating_flow_ids:"), std::string::npos);
  EXPECT_NE(decoded.find("name: \"waiting: select\""), std::string::npos);
  // Interned once, referred to by iid.
  EXPECT_NE(decoded.find("interned_data {"), std::string::npos);
  EXPECT_NE(decoded.find("name_iid:"), std::string::npos);
  EXPECT_NE(decoded.find("sequence_flags: 3"), std::string::npos);
  // Every slice that begins ends: begins and ends balance.
  auto count = [&](std::string_view s) {
    size_t n = 0;
    for (size_t p = decoded.find(s); p != std::string::npos; p = decoded.find(s, p + 1)) ++n;
    return n;
  };
  EXPECT_EQ(count("TYPE_SLICE_BEGIN"), count("TYPE_SLICE_END"));
}

TEST(ExportChromeJson, ParsesWithNamedThreadsStatesCancelsAndFlows) {
  std::string file = export_to("chrome-json", "json");
  auto j = nlohmann::json::parse(slurp(file));
  std::set<std::string> phases;
  std::set<std::string> thread_names;
  std::set<uint64_t> flow_starts, flow_ends;
  for (const auto& ev : j["traceEvents"]) {
    std::string ph = ev["ph"];
    phases.insert(ph);
    if (ph == "M" && ev["name"] == "thread_name") thread_names.insert(ev["args"]["name"].get<std::string>());
    if (ph == "X") {
      EXPECT_GE(ev["dur"].get<double>(), 0);
    }
    if (ph == "s") flow_starts.insert(ev["id"].get<uint64_t>());
    if (ph == "f") flow_ends.insert(ev["id"].get<uint64_t>());
  }
  EXPECT_EQ(phases, (std::set<std::string>{"M", "X", "i", "s", "f"}));
  EXPECT_TRUE(thread_names.count("G1 main.main"));
  EXPECT_EQ(flow_starts, flow_ends);
  EXPECT_FALSE(flow_starts.empty());
}

TEST(ExportDot, RendersWithGraphviz) {
  std::string file = export_to("dot", "dot");
  std::string dot = slurp(file);
  EXPECT_NE(dot.find("digraph termination"), std::string::npos);
  EXPECT_NE(dot.find("#d62728"), std::string::npos);  // the critical path
  if (!have_program("dot")) GTEST_SKIP() << "graphviz not installed";
  std::string svg = out_dir("export") + "/workerpool.svg";
  ASSERT_EQ(run("dot -Tsvg " + file + " -o " + svg, out_dir("export") + "/dot.log"), 0) << slurp(out_dir("export") + "/dot.log");
  EXPECT_NE(slurp(svg).find("<svg"), std::string::npos);
}

TEST(ExportMermaid, IsAFlowchartWithTheCriticalPathStyled) {
  std::string m = slurp(export_to("mermaid", "mermaid"));
  EXPECT_NE(m.find("flowchart LR"), std::string::npos);
  EXPECT_NE(m.find("classDef crit"), std::string::npos);
  EXPECT_NE(m.find("linkStyle"), std::string::npos);
}

TEST(ExportCli, RejectsAnUnknownFormat) {
  std::string log = out_dir("export") + "/bad-format.log";
  EXPECT_NE(run(ctxtrail_binary() + " export " + workerpool_trace() + " --format svg -o /dev/null", log), 0);
}

}  // namespace
}  // namespace ctxtrail::report_test
