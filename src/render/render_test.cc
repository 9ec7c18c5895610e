#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "ctxtrail/render/render.h"
#include "testing/synthetic_trace.h"

namespace ctxtrail::render {
namespace {

using model::GoState;
using trace::StackID;
using model::testing::rt;
using model::testing::SyntheticTrace;
using model::testing::user;
constexpr int64_t ms = 1'000'000;

// One cancel-ignored goroutine, one slow exit and one leaked sender.
diagnose::Report sample_report() {
  static SyntheticTrace t;
  static bool built = false;
  static model::Model m;
  if (!built) {
    t.status(0, 1, GoState::Running);
    StackID site = t.stack({user("main.main", 30)});
    for (trace::GoID g : {10, 11}) {
      t.create(1 * ms, 1, g, site, t.start_of("main.worker"));
      t.start(1 * ms, g);
      t.block(2 * ms, g, "select", t.select_stack("main.worker", 14));
    }
    t.create(1 * ms, 1, 5, site, t.start_of("main.fetch"));
    t.start(1 * ms, 5);
    t.create(2 * ms, 5, 20, t.stack({user("main.fetch", 61)}), t.start_of("main.fetch.func1"));
    t.start(3 * ms, 20);
    t.block(3 * ms, 20, "chan send", t.stack({rt("runtime.chansend1", "runtime/chan.go", 161), user("main.fetch.func1", 63)}));
    t.end(4 * ms, 5);
    StackID cancel = t.cancel_stack("main.main", 38);
    t.unblock(20 * ms, 1, 10, cancel);
    t.unblock(20 * ms + 1, 1, 11, cancel);
    t.start(21 * ms, 10);
    t.block(21 * ms + 5, 10, "chan receive", t.recv_stack("main.worker", 20));
    t.start(21 * ms, 11);
    t.end(100 * ms, 11);
    t.tick(1000 * ms);
    m = t.build();
    built = true;
  }
  diagnose::Report r = diagnose::diagnose(m, t.classifier(), {});
  r.trace = "sample.trace";
  return r;
}

std::string render(Format f, RenderOptions o = {}) {
  std::ostringstream out;
  make_renderer(f, o)->render(sample_report(), out);
  return out.str();
}

TEST(JsonRenderer, FixedFieldNames) {
  auto j = nlohmann::json::parse(render(Format::Json));
  EXPECT_EQ(j["trace"], "sample.trace");
  ASSERT_EQ(j["findings"].size(), 3u);
  for (const auto& f : j["findings"]) {
    for (const char* k : {"rule", "severity", "message", "goroutines", "count", "time_ns", "locations", "waves"})
      EXPECT_TRUE(f.contains(k)) << k;
    for (const auto& l : f["locations"])
      for (const char* k : {"role", "function", "file", "line"}) EXPECT_TRUE(l.contains(k)) << k;
  }
  EXPECT_EQ(j["findings"][0]["rule"], "cancel-ignored");  // errors first
  EXPECT_EQ(j["findings"][2]["severity"], "warning");
  ASSERT_EQ(j["waves"].size(), 1u);
  for (const char* k : {"id", "time_ns", "cancel_location", "woken", "ended_within_ns"})
    EXPECT_TRUE(j["waves"][0].contains(k)) << k;
  EXPECT_EQ(j["waves"][0]["cancel_location"]["line"], 38);
  EXPECT_TRUE(j["critical_path"].is_array());
}

TEST(TextRenderer, GroupsByRuleWithSourceLinesAndWaves) {
  std::string s = render(Format::Text);
  EXPECT_NE(s.find("error[cancel-ignored]"), std::string::npos) << s;
  EXPECT_NE(s.find("warning[slow-cancel-exit]"), std::string::npos);
  EXPECT_NE(s.find("/home/dev/app/main.go:20 (main.worker)"), std::string::npos);
  EXPECT_NE(s.find("cancel waves:"), std::string::npos);
  EXPECT_LT(s.find("error[leaked-goroutine]"), s.find("warning[slow-cancel-exit]"));
}

// A trace of a busy service: 5,000 waves at two sites, one named by a finding. The text shows
// 20 of them (the finding's, the ones that left goroutines alive, the slowest, the most woken)
// and a line per site with its totals; JSON lists every wave with its own woken goroutines.
diagnose::Report many_waves_report() {
  diagnose::Report r;
  r.trace = "busy.trace";
  r.wave_sites = {{"main.handle", "/app/main.go", 40}, {"main.janitor", "/app/cache.go", 12}};
  for (int32_t id = 1; id <= 5000; ++id) {
    diagnose::WaveSummary w;
    w.id = id;
    w.time_ns = id * 1000;
    w.site = id % 10 == 7 ? 1 : 0;
    w.timer = w.site == 1;
    w.woken_first = static_cast<uint32_t>(r.woken.size());
    w.woken_count = id == 4000 ? 7 : 1;
    for (uint32_t k = 0; k < w.woken_count; ++k) r.woken.push_back(100'000 + static_cast<trace::GoID>(id) * 10 + k);
    if (id == 2500) w.not_ended = 1;
    else w.ended_within_ns = id == 1234 ? 9 * ms : 2000;
    r.waves.push_back(w);
  }
  diagnose::Finding f;
  f.rule = "cancel-ignored";
  f.message = "ignores wave #3210";
  f.waves = {3210};
  r.findings.push_back(f);
  return r;
}

TEST(TextRenderer, ManyWavesShowTheTellingOnesAndTotalsPerSite) {
  const diagnose::Report r = many_waves_report();
  std::ostringstream out;
  make_renderer(Format::Text)->render(r, out);
  const std::string s = out.str();
  size_t wave_lines = 0;
  std::istringstream lines(s);
  for (std::string line; std::getline(lines, line);)
    if (line.rfind("  #", 0) == 0) ++wave_lines;
  EXPECT_EQ(wave_lines, 20u) << s;
  EXPECT_NE(s.find("cancel waves: 5,000 in all"), std::string::npos) << s;
  for (const char* telling : {"#3210", "#2500", "#1234", "#4000"}) EXPECT_NE(s.find(telling), std::string::npos) << telling;
  EXPECT_NE(s.find("cancel sites (2):"), std::string::npos) << s;
  EXPECT_NE(s.find("4,500 waves at /app/main.go:40 (main.handle): woke 4,506, 1 not ended, slowest all ended within 9ms"),
            std::string::npos) << s;
  EXPECT_NE(s.find("500 waves (deadline timers) at /app/cache.go:12 (main.janitor): woke 500, slowest all ended within 2µs"),
            std::string::npos) << s;
  EXPECT_LT(std::count(s.begin(), s.end(), '\n'), 40);
}

TEST(JsonRenderer, ManyWavesAreAllListedWithTheirOwnGoroutines) {
  const diagnose::Report r = many_waves_report();
  std::ostringstream out;
  make_renderer(Format::Json)->render(r, out);
  auto j = nlohmann::json::parse(out.str());
  ASSERT_EQ(j["waves"].size(), 5000u);
  EXPECT_EQ(j["waves"][3999]["woken"].size(), 7u);
  EXPECT_EQ(j["waves"][3999]["woken"][6], 100'000 + 4000 * 10 + 6);
  EXPECT_EQ(j["waves"][6]["cancel_location"]["file"], "/app/cache.go");
  EXPECT_EQ(j["waves"][6]["timer"], true);
  EXPECT_TRUE(j["waves"][2499]["ended_within_ns"].is_null());
  EXPECT_EQ(j["waves"][1233]["ended_within_ns"], 9 * ms);
  // Laid out as one whole-document dump would be: scripts diffing outputs see no change.
  EXPECT_TRUE(out.str() == nlohmann::ordered_json::parse(out.str()).dump(2) + "\n");
}

// A finding of thousands of goroutines: text shows ten IDs and how many more; JSON keeps all.
TEST(TextRenderer, SummarisesLongIdListsAfterTen) {
  diagnose::Report r;
  diagnose::Finding f;
  f.rule = "leaked-goroutine";
  f.message = "a pile of senders";
  for (trace::GoID g = 12; g < 12 + 31'055; ++g) f.goroutines.push_back(g);
  f.count = static_cast<int64_t>(f.goroutines.size());
  f.waves = {1, 2, 3};
  r.findings.push_back(f);
  std::ostringstream text, json;
  make_renderer(Format::Text, {})->render(r, text);
  EXPECT_NE(text.str().find("goroutines G12, G13, G14, G15, G16, G17, G18, G19, G20, G21, … and 31,045 more  waves #1, #2, #3\n"),
            std::string::npos)
      << text.str();
  make_renderer(Format::Json, {})->render(r, json);
  EXPECT_EQ(nlohmann::json::parse(json.str())["findings"][0]["goroutines"].size(), 31'055u);
}

TEST(SarifRenderer, RepoRelativeUris) {
  RenderOptions o;
  o.source_root = "/home/dev/app";
  auto j = nlohmann::json::parse(render(Format::Sarif, o));
  EXPECT_EQ(j["version"], "2.1.0");
  const auto& run = j["runs"][0];
  EXPECT_EQ(run["tool"]["driver"]["rules"].size(), diagnose::rules().size());
  const auto& loc = run["results"][0]["locations"][0]["physicalLocation"];
  EXPECT_EQ(loc["artifactLocation"]["uri"], "main.go");
  EXPECT_EQ(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
  EXPECT_EQ(run["originalUriBaseIds"]["%SRCROOT%"]["uri"], "file:///home/dev/app/");
  bool rel = true;
  EXPECT_EQ(file_uri("/usr/local/go/src/a b.go", "/home/dev/app", &rel), "file:///usr/local/go/src/a%20b.go");
  EXPECT_FALSE(rel);
}

// Validates against testdata/schemas/sarif-2.1.0-required.schema.json with python3-jsonschema.
TEST(SarifRenderer, ValidatesAgainstTheSchema) {
  if (std::system("python3 -c 'import jsonschema' 2>/dev/null") != 0) GTEST_SKIP() << "no python3-jsonschema";
  std::string dir = CTXTRAIL_BINARY_DIR;
  std::string file = dir + "/render_test.sarif";
  for (const std::string& root : {std::string("/home/dev/app"), std::string()}) {
    RenderOptions o;
    o.source_root = root;
    std::ofstream(file) << render(Format::Sarif, o);
    std::string cmd = "python3 -c \"import json,sys,jsonschema; "
                      "s=json.load(open(sys.argv[1])); d=json.load(open(sys.argv[2])); "
                      "jsonschema.validate(d, s, format_checker=jsonschema.FormatChecker())\" " +
                      std::string(CTXTRAIL_SOURCE_DIR) + "/testdata/schemas/sarif-2.1.0-required.schema.json " + file;
    EXPECT_EQ(std::system(cmd.c_str()), 0) << "root=" << root;
  }
}

TEST(SarifRenderer, SchemaRejectsBrokenSarif) {
  if (std::system("python3 -c 'import jsonschema' 2>/dev/null") != 0) GTEST_SKIP() << "no python3-jsonschema";
  std::string file = std::string(CTXTRAIL_BINARY_DIR) + "/render_test_bad.sarif";
  std::ofstream(file) << R"({"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x","rules":[]}},"results":[{"ruleId":"r","message":{"text":"m"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"a.go"},"region":{"startLine":0}}}]}]}]})";
  std::string cmd = "python3 -c \"import json,sys,jsonschema; jsonschema.validate(json.load(open(sys.argv[2])), json.load(open(sys.argv[1])))\" " +
                    std::string(CTXTRAIL_SOURCE_DIR) + "/testdata/schemas/sarif-2.1.0-required.schema.json " + file + " 2>/dev/null";
  EXPECT_NE(std::system(cmd.c_str()), 0);
}

}  // namespace
}  // namespace ctxtrail::render

namespace ctxtrail::render {
namespace {
TEST(TextRenderer, PrintForReview) {
  if (std::getenv("CTXTRAIL_PRINT")) std::cout << render(Format::Text);
}
}  // namespace
}  // namespace ctxtrail::render
