/// `ctxtrail export` on a real trace: Perfetto decodes with protoc against the committed
/// subset schema, Chrome JSON parses and has the expected events, DOT renders with dot.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <set>

#include "report_cli_util.h"

namespace ctxtrail::report_test {
namespace {

std::string export_to(const std::string& format, const std::string& ext,
                      const std::string& trace = workerpool_trace(), const std::string& stem = "workerpool") {
  std::string dir = out_dir("export");
  std::string file = dir + "/" + stem + "." + ext;
  std::string log = dir + "/export-" + stem + ".log";
  EXPECT_EQ(run(ctxtrail_binary() + " export " + trace + " --format " + format + " -o " + file, log), 0)
      << slurp(log);
  return file;
}

// The bundled demo: G12 ignores cancel wave #1 (cancel-ignored), G13 stays blocked after it
// (blocked-forever); neither ever ends.
std::string demo_export(const std::string& format, const std::string& ext) {
  return export_to(format, ext, source_dir() + "/testdata/demo/checkout.trace", "demo");
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

TEST(ExportPerfetto, CarriesTheFindingsOnTheirGoroutinesTracks) {
  std::string file = demo_export("perfetto", "perfetto-trace");
  if (!have_program("protoc")) GTEST_SKIP() << "protoc not installed (scripts/setup installs protobuf-compiler)";
  std::string schema = source_dir() + "/testdata/schemas/perfetto";
  std::string text = out_dir("export") + "/demo.perfetto.txt";
  ASSERT_EQ(run("protoc --decode=perfetto.protos.Trace -I" + schema + " " + schema + "/trace.proto <" + file, text), 0)
      << slurp(text);
  std::string decoded = slurp(text);
  // Rule names and the "finding" category are interned; each finding is an instant carrying
  // its severity, message and locations.
  for (const char* name : {"name: \"cancel-ignored\"", "name: \"blocked-forever\"", "name: \"finding\"",
                           "name: \"severity\"", "name: \"locations\""})
    EXPECT_NE(decoded.find(name), std::string::npos) << name;
  EXPECT_NE(decoded.find("string_value: \"G12 (main.reserveStock) was woken by cancel wave #1"), std::string::npos);
  EXPECT_NE(decoded.find("string_value: \"block example.com/checkout/main.go:38 (main.reserveStock)"), std::string::npos);
  EXPECT_NE(decoded.find("string_value: \"error\""), std::string::npos);
}

TEST(ExportChromeJson, CarriesTheFindingsOnTheirGoroutinesThreads) {
  auto j = nlohmann::json::parse(slurp(demo_export("chrome-json", "json")));
  std::map<uint64_t, std::string> rule_of_tid;
  for (const auto& ev : j["traceEvents"]) {
    if (ev["ph"] != "i" || ev["cat"] != "finding") continue;
    rule_of_tid[ev["tid"].get<uint64_t>()] = ev["name"].get<std::string>();
    EXPECT_TRUE(ev["args"]["message"].is_string());
    EXPECT_TRUE(ev["args"]["severity"] == "error" || ev["args"]["severity"] == "warning") << ev.dump();
    if (ev["tid"] == 12) {
      EXPECT_EQ(ev["args"]["severity"], "error");
      EXPECT_NE(ev["args"]["locations"].get<std::string>().find("main.go:38 (main.reserveStock)"), std::string::npos);
      EXPECT_NEAR(ev["ts"].get<double>(), 100769.6, 1000);  // at cancel wave #1, +101 ms
    }
  }
  EXPECT_EQ(rule_of_tid[12], "cancel-ignored");
  EXPECT_EQ(rule_of_tid[13], "blocked-forever");
}

TEST(ExportDot, MarksTheFindingsGoroutinesAndTheOnesThatNeverEnded) {
  std::string dot = slurp(demo_export("dot", "dot"));
  // G12 and G13 never end, so the DAG has no node of theirs: each gets one, reached from the
  // wave its finding names, dotted.
  auto node_line = [&](std::string_view label) {
    size_t p = dot.find(label);
    if (p == std::string::npos) return std::string();
    size_t b = dot.rfind('\n', p) + 1;
    return dot.substr(b, dot.find('\n', p) - b);
  };
  std::string g13 = node_line("G13 never ended\\nmain.sendReceipt\\n\u26a0 blocked-forever");
  ASSERT_FALSE(g13.empty()) << dot;
  EXPECT_NE(g13.find("dashed"), std::string::npos);
  std::string g12 = node_line("G12 never ended\\nmain.reserveStock\\n\u26a0 cancel-ignored");
  ASSERT_FALSE(g12.empty()) << dot;
  const std::string id13 = g13.substr(2, g13.find(' ', 2) - 2);
  EXPECT_NE(dot.find("n0 -> " + id13 + " [label=\"not ended after\""), std::string::npos) << dot;
  // An end the DAG has keeps its node and gains the rule.
  EXPECT_NE(dot.find("end of G11\\nmain.flushAudit\\nat +221ms\\n\u26a0 slow-cancel-exit"), std::string::npos) << dot;
  if (!have_program("dot")) GTEST_SKIP() << "graphviz not installed";
  std::string file = out_dir("export") + "/demo.dot";
  ASSERT_EQ(run("dot -Tsvg " + file + " -o " + out_dir("export") + "/demo.svg", out_dir("export") + "/demo-dot.log"), 0);
}

TEST(ExportMermaid, StylesTheFindingsGoroutines) {
  std::string m = slurp(demo_export("mermaid", "mermaid"));
  EXPECT_NE(m.find("classDef finding"), std::string::npos);
  EXPECT_NE(m.find("G13 never ended<br/>main.sendReceipt<br/>\u26a0 blocked-forever"), std::string::npos) << m;
  EXPECT_NE(m.find("-.->|\"not ended after\"|"), std::string::npos) << m;
  EXPECT_NE(m.find("  class n4,n5 finding\n"), std::string::npos) << m;
}

TEST(ExportCli, RejectsAnUnknownFormat) {
  std::string log = out_dir("export") + "/bad-format.log";
  EXPECT_NE(run(ctxtrail_binary() + " export " + workerpool_trace() + " --format svg -o /dev/null", log), 0);
}

}  // namespace
}  // namespace ctxtrail::report_test
