/// A report reduced by --max-intervals against the full one, on testdata/report/workerpool.trace:
/// every goroutine is still there with its creation and end, the goroutines of findings keep
/// their first and last intervals exact (the wait a leak blocks in, the end), the page says the
/// detail was reduced; and the timeline exports say so on stderr.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "report_cli_util.h"

namespace ctxtrail::report_test {
namespace {

using nlohmann::json;

// The report data embedded in a page (null when there is none).
json page_data(const std::string& html) {
  std::string page = slurp(html);
  const std::string open = "<script id=\"ctxtrail-data\" type=\"application/json\">";
  size_t b = page.find(open);
  if (b == std::string::npos) return json();
  b += open.size();
  return json::parse(page.substr(b, page.find("</script>", b) - b));
}

// Runs `ctxtrail report INPUT ARGS` (INPUT may be "- <file") and answers its data.
json report_data(const std::string& args, const std::string& name, const std::string& input = workerpool_trace()) {
  std::string dir = out_dir("report-budget");
  std::string html = dir + "/" + name + ".html";
  std::string log = dir + "/" + name + ".log";
  std::filesystem::remove(log);
  EXPECT_EQ(run(ctxtrail_binary() + " report " + input + " " + args + " -o " + html, log), 0) << slurp(log);
  return page_data(html);
}

// Intervals of row i as [begin, end] pairs, decoded from the deltas (docs/report.md).
std::vector<std::pair<int64_t, int64_t>> intervals(const json& d, size_t i) {
  std::vector<std::pair<int64_t, int64_t>> out;
  int64_t prev = 0;
  for (size_t k = d["ivo"][i].get<size_t>(); k < d["ivo"][i + 1].get<size_t>(); ++k) {
    int64_t b = prev + d["iv"][5 * k].get<int64_t>();
    int64_t dur = d["iv"][5 * k + 1].get<int64_t>();
    out.emplace_back(b, dur < 0 ? -1 : b + dur);
    prev = dur < 0 ? b : b + dur;
  }
  return out;
}

TEST(ReportBudget, ReducedReportKeepsGoroutinesLifetimesAndWhatMattersOfFindings) {
  json full = report_data("--max-intervals 0", "full");
  json small = report_data("--max-intervals 60", "reduced");
  ASSERT_TRUE(full.is_object() && small.is_object());
  EXPECT_TRUE(full["detail"].is_null());
  EXPECT_FALSE(full["g"].contains("mg"));
  ASSERT_TRUE(small["detail"].is_object());
  EXPECT_GT(small["detail"]["q"].get<int64_t>(), 0);
  EXPECT_LT(small["ivo"].back().get<size_t>(), full["ivo"].back().get<size_t>());
  // Every goroutine, in the same rows, with the same creation and end.
  for (const char* col : {"id", "ct", "et", "fn"}) EXPECT_EQ(small["g"][col], full["g"][col]) << col;
  ASSERT_GT(full["fd"].size(), 0u);
  EXPECT_EQ(small["fd"], full["fd"]);
  std::set<int64_t> named;
  for (const json& f : full["fd"])
    for (const json& g : f["gs"]) named.insert(g.get<int64_t>());
  size_t rows = full["g"]["id"].size(), exact = 0;
  for (size_t i = 0; i < rows; ++i) {
    auto a = intervals(full, i), b = intervals(small, i);
    // Reduced or not, a row covers the same span.
    ASSERT_FALSE(b.empty()) << i;
    EXPECT_EQ(b.front().first, a.front().first) << i;
    EXPECT_EQ(b.back().second, a.back().second) << i;
    // Past the budget a finding's goroutine is banded too (render/interval_budget.cc
    // matters()), but its first and last intervals stay as recorded.
    if (named.count(full["g"]["id"][i].get<int64_t>())) {
      EXPECT_EQ(b.front(), a.front()) << "G" << full["g"]["id"][i];
      EXPECT_EQ(b.back(), a.back()) << "G" << full["g"]["id"][i];
      ++exact;
    }
    // Marked as banded exactly when its intervals changed.
    EXPECT_EQ(small["g"]["mg"][i].get<int>(), a != b ? 1 : 0) << i;
  }
  EXPECT_EQ(exact, named.size());
  // The state plot is drawn from every interval, before the merge.
  EXPECT_EQ(small["plot"], full["plot"]);
}

// Standard input is read once: the budget holds, with no goroutine exempt, and findings are
// those of the full report.
TEST(ReportBudget, StandardInputIsReducedInOnePass) {
  json full = report_data("--max-intervals 0", "full-stdin");
  json d = report_data("--max-intervals 60", "stdin", "- <" + workerpool_trace());
  ASSERT_TRUE(d.is_object());
  EXPECT_EQ(d["detail"]["exact"].get<int>(), 0);
  EXPECT_LE(d["ivo"].back().get<size_t>(), 60u);
  EXPECT_EQ(d["g"]["id"], full["g"]["id"]);
  EXPECT_EQ(d["g"]["et"], full["g"]["et"]);
  EXPECT_EQ(d["fd"], full["fd"]);
}

TEST(ReportBudget, TimelineExportsSayWhenReduced) {
  std::string dir = out_dir("report-budget");
  for (const char* format : {"chrome-json", "perfetto"}) {
    std::string log = dir + "/export-" + format + ".log";
    std::filesystem::remove(log);
    ASSERT_EQ(run(ctxtrail_binary() + " export " + workerpool_trace() + " --format " + format +
                      " --max-intervals 60 -o " + dir + "/reduced." + format,
                  log),
              0);
    EXPECT_NE(slurp(log).find("state intervals merged into"), std::string::npos) << slurp(log);
    std::filesystem::remove(log);
    ASSERT_EQ(run(ctxtrail_binary() + " export " + workerpool_trace() + " --format " + format + " -o " + dir + "/full." + format, log), 0);
    EXPECT_EQ(slurp(log), "");
  }
}

}  // namespace
}  // namespace ctxtrail::report_test
