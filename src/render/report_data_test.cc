#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "ctxtrail/render/html_escape.h"
#include "ctxtrail/render/report_html.h"
#include "testing/report_scenario.h"

namespace ctxtrail::render {
namespace {

using testing::kEvilFunc;
using testing::kMs;
using testing::ReportScenario;

TEST(HtmlEscape, MarkupQuotesAndEntitiesBecomeText) {
  EXPECT_EQ(html_escape("<script>alert(\"x\")</script>"), "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;");
  EXPECT_EQ(html_escape("a &amp; 'b'"), "a &amp;amp; &#39;b&#39;");
  EXPECT_EQ(html_escape("caf\xC3\xA9"), "caf\xC3\xA9");
  EXPECT_EQ(html_escape("bad\xFF\xC3"), "bad\xEF\xBF\xBD\xEF\xBF\xBD");
}

TEST(JsonString, SafeInsideAScriptElement) {
  std::string out;
  append_json_string(out, "</script><!-- & \xE2\x80\xA8 \xE2\x80\xA9 \"q\" \\ \n\x01");
  EXPECT_EQ(out, R"("\u003c/script\u003e\u003c!-- \u0026 \u2028 \u2029 \"q\" \\ \n\u0001")");
  EXPECT_EQ(nlohmann::json::parse(out).get<std::string>(), "</script><!-- & \xE2\x80\xA8 \xE2\x80\xA9 \"q\" \\ \n\x01");
}

TEST(JsonString, InvalidUtf8BecomesReplacementCharacter) {
  std::string out;
  append_json_string(out, "a\xC0\xAF" "b\xED\xA0\x80" "c\xF0\x9F\x98\x80");
  auto s = nlohmann::json::parse(out).get<std::string>();
  EXPECT_EQ(s, "a\xEF\xBF\xBD\xEF\xBF\xBD" "b\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD" "c\xF0\x9F\x98\x80");
}

TEST(ReportData, PacksIntervalsAsDeltasThatDecodeToTheModel) {
  ReportScenario s;
  auto in = s.input();
  auto j = nlohmann::json::parse(report_data_json(in));
  const auto& ids = j["g"]["id"];
  const auto& ivo = j["ivo"];
  const auto& iv = j["iv"];
  ASSERT_EQ(ids.size(), s.m.goroutines.size());
  ASSERT_EQ(ivo.back().get<size_t>() * 5, iv.size());
  size_t checked = 0;
  for (size_t i = 0; i < ids.size(); ++i) {
    auto model_ivs = s.m.intervals_of(ids[i].get<int64_t>());
    ASSERT_EQ(ivo[i + 1].get<size_t>() - ivo[i].get<size_t>(), model_ivs.size());
    int64_t prev = 0;
    for (size_t k = ivo[i].get<size_t>(), n = 0; k < ivo[i + 1].get<size_t>(); ++k, ++n) {
      int64_t b = prev + iv[k * 5].get<int64_t>();
      int64_t dur = iv[k * 5 + 1].get<int64_t>();
      const model::Interval& want = *model_ivs[n];
      EXPECT_EQ(b, want.begin - s.m.trace_begin);
      EXPECT_EQ(dur < 0 ? -1 : b + dur, want.end < 0 ? -1 : want.end - s.m.trace_begin);
      int code = iv[k * 5 + 2].get<int>();
      EXPECT_EQ(j["codes"][code * 2].get<int>(), static_cast<int>(want.state));
      EXPECT_EQ(iv[k * 5 + 4].get<int64_t>(), want.waker < 0 ? -1 : want.waker);
      prev = dur < 0 ? b : b + dur;
      ++checked;
    }
  }
  EXPECT_GT(checked, 10u);
}

TEST(ReportData, StringsAndStacksAreInterned) {
  ReportScenario s;
  auto in = s.input();
  std::string data = report_data_json(in);
  auto j = nlohmann::json::parse(data);
  std::set<std::string> seen;
  for (const auto& str : j["str"]) EXPECT_TRUE(seen.insert(str.get<std::string>()).second) << str;
  EXPECT_TRUE(seen.count(kEvilFunc));
  // The evil name appears once in the table, escaped; never raw.
  EXPECT_EQ(data.find("</script"), std::string::npos);
  EXPECT_EQ(data.find('<'), std::string::npos);
  EXPECT_EQ(data.find('>'), std::string::npos);
  EXPECT_EQ(data.find('&'), std::string::npos);
  // Three workers share the start stack of main.worker: one stack entry each, deduplicated.
  std::set<std::vector<int64_t>> stacks;
  for (const auto& st : j["stk"]) EXPECT_TRUE(stacks.insert(st.get<std::vector<int64_t>>()).second);
}

TEST(ReportData, WavesDagPlotsAndFindings) {
  ReportScenario s;
  auto in = s.input();
  auto j = nlohmann::json::parse(report_data_json(in));
  ASSERT_EQ(j["waves"].size(), 1u);
  EXPECT_EQ(j["waves"][0]["t"].get<int64_t>(), 20 * kMs);
  EXPECT_EQ(j["waves"][0]["w"].size(), 9u);  // three watchers: goroutine, woken at, ended at
  EXPECT_EQ(j["fd"][0]["gs"], nlohmann::json::array({12}));
  EXPECT_EQ(j["fd"][0]["locs"][0][1].get<std::string>(), kEvilFunc);
  EXPECT_EQ(j["heap"], nlohmann::json::array({0, 1000, 25 * kMs, 4096}));
  EXPECT_EQ(j["logs"].size(), 4u);
  EXPECT_TRUE(j["ctx"].is_null());
  EXPECT_GT(j["dag"]["n"].size(), 0u);
  // The page reads the DAG's kind numbers by these names (web/report/74-dag.js).
  EXPECT_EQ(j["dag"]["node_kinds"], nlohmann::json::array({"end", "cancel"}));
  EXPECT_EQ(j["dag"]["edge_kinds"], nlohmann::json::array({"spawn", "wake", "cancel", "after", "woken"}));
  // Time-weighted state counts: the three workers wait in select between 2ms and 20ms.
  int64_t bw = j["plot"]["bw"].get<int64_t>();
  double waiting = j["plot"]["waiting"][10 * kMs / bw].get<double>();
  EXPECT_NEAR(waiting, 3.0, 0.01);
}

TEST(HtmlReport, TraceStringsCannotOpenOrCloseElements) {
  ReportScenario s;
  auto in = s.input();
  std::string html = render_html_report(in);
  auto count = [&](std::string_view needle) {
    size_t n = 0;
    for (size_t p = html.find(needle); p != std::string::npos; p = html.find(needle, p + 1)) ++n;
    return n;
  };
  // The template's two script elements (data and code) and nothing else.
  EXPECT_EQ(count("<script"), 2u);
  EXPECT_EQ(count("</script"), 2u);
  EXPECT_EQ(count("<style"), 1u);
  EXPECT_EQ(html.find("<script>alert"), std::string::npos);
  EXPECT_NE(html.find("evil &lt;trace&gt; &amp; &quot;name&quot;.trace"), std::string::npos);
  EXPECT_EQ(html.find("{{"), std::string::npos);
  // Offline: nothing is loaded from anywhere.
  EXPECT_EQ(html.find("https://"), std::string::npos);
  EXPECT_EQ(count("http://"), count("http://www.w3.org/2000/svg"));  // the SVG namespace name
  EXPECT_EQ(html.find(" src="), std::string::npos);
  EXPECT_EQ(html.find("@import"), std::string::npos);
}

}  // namespace
}  // namespace ctxtrail::render
