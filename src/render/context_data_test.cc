// The report's `ctx` field: the trail context tree with kinds, sites, cancellation, watchers
// and per-edge propagation latency, strings interned; null without ctxtrail events.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "ctxtrail/render/report_html.h"
#include "testing/report_scenario.h"

namespace ctxtrail::render {
namespace {

using testing::kEvilFunc;
using testing::kMs;
using testing::ReportScenario;

std::string str(const nlohmann::json& j, const nlohmann::json& index) { return j["str"][index.get<size_t>()]; }

TEST(ContextData, NullWithoutTrailEvents) {
  ReportScenario s;
  auto in = s.input();
  EXPECT_TRUE(nlohmann::json::parse(report_data_json(in))["ctx"].is_null());
  model::ContextTree empty;
  in.contexts = &empty;
  EXPECT_TRUE(nlohmann::json::parse(report_data_json(in))["ctx"].is_null());
}

TEST(ContextData, TreeWithSitesCancelWatchersAndEdgeLatency) {
  ReportScenario s;
  model::ContextTreeBuilder b(s.t);
  b.on_message("new 1 0 background 0 - 0 main.main /app/main.go 10", 1 * kMs, 1);
  b.on_message("new 2 1 cancel 0 - 0 main.main /app/main.go 11", 1 * kMs, 1);
  b.on_message("new 3 2 cancel 0 - 0 main.fast /app/main.go 12", 1 * kMs, 1);
  b.on_message("new 4 2 cancel 0 - 0 main.slow /app/main.go 13", 1 * kMs, 1);
  b.on_message("watch 3 " + kEvilFunc + " /app/%3Cx%3E.go 5", 2 * kMs, 12);
  b.on_message("watch 4 main.worker /app/w.go 7", 2 * kMs, 10);
  b.on_message("cancel 2 own 0 canceled - main.main /app/main.go 40 shutting%20down", 20 * kMs, 1);
  b.on_message("cancel 3 parent 2 canceled - - - 0 context%20canceled", 20 * kMs + 500, 1);
  b.on_message("cancel 4 parent 2 canceled - - - 0 context%20canceled", 45 * kMs, 11);
  model::ContextTree tree = b.finish(s.m);
  auto in = s.input();
  in.contexts = &tree;
  in.slow_propagation_ns = 10 * kMs;
  auto j = nlohmann::json::parse(report_data_json(in));
  const auto& ctx = j["ctx"];
  ASSERT_TRUE(ctx.is_object()) << ctx;
  EXPECT_EQ(ctx["slow"].get<int64_t>(), 10 * kMs);
  EXPECT_EQ(ctx["dropped"].get<int64_t>(), 0);
  const auto& c = ctx["c"];
  ASSERT_EQ(c.size(), 4u);
  // Tree structure: indexes into `c`; the root has none.
  EXPECT_EQ(c[0]["pi"].get<int>(), -1);
  EXPECT_EQ(c[0]["ch"], nlohmann::json::array({1}));
  EXPECT_EQ(c[1]["ch"], nlohmann::json::array({2, 3}));
  EXPECT_EQ(c[3]["pi"].get<int>(), 1);
  EXPECT_EQ(str(j, c[1]["k"]), "cancel");
  EXPECT_EQ(str(j, c[3]["site"][0]), "main.slow");
  EXPECT_EQ(c[3]["site"][2].get<int>(), 13);
  EXPECT_EQ(c[0]["done"], nullptr);
  // The own cancel: time, site and cause; its children by their parent, with the latency.
  EXPECT_EQ(c[1]["done"]["t"].get<int64_t>(), 20 * kMs);
  EXPECT_EQ(str(j, c[1]["done"]["r"]), "own");
  EXPECT_EQ(str(j, c[1]["done"]["cause"]), "shutting down");
  EXPECT_EQ(c[1]["done"]["site"][2].get<int>(), 40);
  EXPECT_EQ(c[1]["done"]["lat"].get<int64_t>(), -1);
  EXPECT_EQ(c[2]["done"]["lat"].get<int64_t>(), 500);
  EXPECT_EQ(c[3]["done"]["lat"].get<int64_t>(), 25 * kMs);
  EXPECT_EQ(c[3]["done"]["from"].get<int64_t>(), 2);
  // Watchers: [goroutine, time, ended, error] with the goroutine's end from the model.
  ASSERT_EQ(c[3]["w"].size(), 4u);
  EXPECT_EQ(c[3]["w"][0].get<int64_t>(), 10);
  EXPECT_EQ(c[3]["w"][1].get<int64_t>(), 2 * kMs);
  EXPECT_EQ(c[3]["w"][2].get<int64_t>(), 21 * kMs + 5);
  EXPECT_EQ(c[2]["w"][2].get<int64_t>(), -1);  // G12 is alive at trace end
  EXPECT_EQ(c[3]["nu"], nlohmann::json::array({1, 0, 0}));
  model::Distribution d = tree.propagation_latencies();
  EXPECT_EQ(d.count, 2u);
  EXPECT_EQ(ctx["prop"], nlohmann::json::array({2, d.p50, d.p99, 25 * kMs}));
}

TEST(ContextData, TraceStringsStayInTheEscapedTable) {
  ReportScenario s;
  model::ContextTreeBuilder b(s.t);
  b.on_message("new 1 0 cancelcause 0 - 0 " + kEvilFunc + " /app/main.go 10", 1 * kMs, 1);
  b.on_message("cancel 1 own 0 canceled - main.main /app/main.go 40 %3C/script%3E%3Cb%3E", 20 * kMs, 1);
  model::ContextTree tree = b.finish(s.m);
  auto in = s.input();
  in.contexts = &tree;
  std::string data = report_data_json(in);
  EXPECT_EQ(data.find('<'), std::string::npos);
  auto j = nlohmann::json::parse(data);
  EXPECT_EQ(str(j, j["ctx"]["c"][0]["done"]["cause"]), "</script><b>");
  EXPECT_EQ(str(j, j["ctx"]["c"][0]["site"][0]), kEvilFunc);
}

}  // namespace
}  // namespace ctxtrail::render
