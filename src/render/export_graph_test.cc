#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "ctxtrail/render/export_formats.h"
#include "export_graph.h"
#include "testing/report_scenario.h"

namespace ctxtrail::render {
namespace {

using testing::ReportScenario;

TEST(ExportDot, QuotesAndBackslashesInNamesAreEscaped) {
  ReportScenario s;
  auto in = s.input();
  std::string dot = export_dot(in);
  EXPECT_NE(dot.find(R"(alert(\"x\"))"), std::string::npos);
  EXPECT_EQ(dot.find(R"(alert("x"))"), std::string::npos);
  EXPECT_NE(dot.find("cancel #1"), std::string::npos);
}

TEST(ExportMermaid, MarkupInNamesBecomesEntityCodes) {
  ReportScenario s;
  auto in = s.input();
  std::string mm = export_mermaid(in);
  EXPECT_EQ(mm.find("<script"), std::string::npos);
  EXPECT_EQ(mm.find("\"x\""), std::string::npos);
  EXPECT_NE(mm.find("cancel #35;1"), std::string::npos);
}

TEST(ExportGraph, LargeGraphsAreGroupedByStartFunctionWithANote) {
  ReportScenario s;
  auto in = s.input();
  Graph full = build_termination_graph(in, 1000);
  // A node per DAG node, and one per goroutine of a finding that never ended (it has no end).
  size_t alive = 0;
  for (const GraphNode& n : full.nodes) alive += n.alive;
  EXPECT_EQ(alive, 1u);
  EXPECT_EQ(full.nodes.size(), s.m.dag.node_count() + alive);
  EXPECT_TRUE(full.note.empty());
  Graph small = build_termination_graph(in, 1);
  EXPECT_LE(small.nodes.size(), full.nodes.size());
  EXPECT_NE(small.note.find("reduced"), std::string::npos);
  int64_t total = 0;
  for (const GraphNode& n : small.nodes) total += n.count;
  EXPECT_EQ(total, static_cast<int64_t>(full.nodes.size()));
  ExportOptions o;
  o.max_graph_nodes = 1;
  EXPECT_NE(export_dot(in, o).find("reduced:"), std::string::npos);
  EXPECT_NE(export_mermaid(in, o).find("reduced:"), std::string::npos);
}

TEST(ExportChromeJson, ValidJsonWithExactNanoseconds) {
  ReportScenario s;
  auto in = s.input();
  auto j = nlohmann::json::parse(export_chrome_json(in));
  bool found = false;
  for (const auto& ev : j["traceEvents"]) {
    if (ev["ph"] == "i" && ev["cat"] == "cancel") {
      EXPECT_DOUBLE_EQ(ev["ts"].get<double>(), 20000.0);  // the cancel at 20 ms, in µs
      found = true;
    }
    if (ev["ph"] == "M" && ev["name"] == "process_name") {
      EXPECT_FALSE(ev["args"]["name"].get<std::string>().empty());
    }
  }
  EXPECT_TRUE(found);
}

TEST(ExportFormats, StateLabels) {
  EXPECT_EQ(state_label(trace::GoState::Waiting, "chan receive"), "waiting: chan receive");
  EXPECT_EQ(state_label(trace::GoState::Waiting, ""), "waiting");
  EXPECT_EQ(state_label(trace::GoState::Running, "x"), "running");
}

}  // namespace
}  // namespace ctxtrail::render
