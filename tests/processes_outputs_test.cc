/// `report` and `export --format perfetto` given the traces of several processes (testdata/xproc,
/// client -> gateway -> backend): the page data has a header per process and the arrows across
/// them between the goroutines the analysis names; the Perfetto file has a flow per arrow, from
/// one process's track to another's; trace strings stay text.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <set>
#include <sstream>

#include "report_cli_util.h"

namespace ctxtrail::report_test {
namespace {

using nlohmann::json;

std::string xproc(const std::string& run, const std::string& process) {
  return source_dir() + "/testdata/xproc/traces/" + run + "/" + process + ".trace.gz";
}
std::string three(const std::string& run) {
  return xproc(run, "client") + " " + xproc(run, "gateway") + " " + xproc(run, "backend");
}

// The page data of an HTML report (the JSON in its data script element).
json page_data(const std::string& html) {
  const std::string open = "<script id=\"ctxtrail-data\" type=\"application/json\">";
  const size_t b = html.find(open);
  const size_t e = html.find("</script>", b);
  EXPECT_NE(b, std::string::npos);
  return json::parse(html.substr(b + open.size(), e - b - open.size()));
}

struct Page {
  json data;
  std::map<int64_t, size_t> row_of;  // page goroutine ID -> row
  std::string process_of(int64_t id) const { return data["procs"][data["g"]["p"][row_of.at(id)].get<size_t>()]["name"]; }
  int64_t own_id(int64_t id) const { return data["g"]["gid"][row_of.at(id)]; }
};

Page report_of(const std::string& inputs, const std::string& stem) {
  const std::string dir = out_dir("processes");
  const std::string file = dir + "/" + stem + ".html";
  const std::string log = dir + "/" + stem + ".log";
  EXPECT_EQ(run(ctxtrail_binary() + " report " + inputs + " -o " + file, log), 0) << slurp(log);
  Page p;
  p.data = page_data(slurp(file));
  for (size_t i = 0; i < p.data["g"]["id"].size(); ++i) p.row_of.emplace(p.data["g"]["id"][i].get<int64_t>(), i);
  return p;
}

json analysis_of(const std::string& inputs, const std::string& stem) {
  const std::string file = out_dir("processes") + "/" + stem + ".json";
  EXPECT_EQ(run(ctxtrail_binary() + " analyze --format json --fail-on never " + inputs + " -o " + file, file + ".log"), 0);
  return json::parse(slurp(file));
}

TEST(ProcessesReport, OneHeaderPerProcessAndTheArrowsAcross) {
  const Page page = report_of(three("clean"), "clean");
  const json a = analysis_of(three("clean"), "clean");
  const json& procs = page.data["procs"];
  ASSERT_EQ(procs.size(), 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(procs[i]["name"], a["processes"][i]["name"]);
    EXPECT_EQ(procs[i]["trace"], a["processes"][i]["trace"]);
    EXPECT_EQ(procs[i]["source"], "clock-snapshot");
    EXPECT_EQ(procs[i]["offset"], a["processes"][i]["clock"]["offset_ns"]);
  }
  // Each process's waves numbered past the processes before: every wave ID once.
  EXPECT_EQ(procs[0]["wbase"], 0);
  EXPECT_LE(procs[1]["wbase"].get<int64_t>(), procs[2]["wbase"].get<int64_t>());
  std::set<int64_t> wave_ids;
  for (const auto& w : page.data["waves"]) EXPECT_TRUE(wave_ids.insert(w["id"].get<int64_t>()).second) << w.dump();
  // Every goroutine of every process, each once, under its own ID.
  EXPECT_EQ(page.row_of.size(), page.data["g"]["id"].size());
  std::set<size_t> seen;
  for (const auto& p : page.data["g"]["p"]) seen.insert(p.get<size_t>());
  EXPECT_EQ(seen, (std::set<size_t>{0, 1, 2}));

  // Requests: one arrow per edge, from the client's process to the server's.
  std::multiset<std::pair<std::string, std::string>> edges, requests;
  for (const auto& e : a["cross_process"]["edges"]) edges.emplace(e["client"], e["server"]);
  // Cancels: one arrow per goroutine each hop's server wave woke, to that goroutine.
  std::multiset<std::pair<std::string, int64_t>> woken, cancelled;
  for (const auto& hop : a["cross_process"]["waves"][0]["hops"])
    for (const auto& w : a["waves"])
      if (w["process"] == hop["server"] && w["id"] == hop["server_wave"])
        for (const auto& g : w["woken"]) woken.emplace(hop["server"], g.get<int64_t>());
  ASSERT_EQ(woken.size(), 2u);  // the gateway's handler, the backend's
  for (const auto& x : page.data["xarrows"]) {
    const int64_t from = x["a"], to = x["b"];
    ASSERT_TRUE(page.row_of.count(from)) << x.dump();
    ASSERT_TRUE(page.row_of.count(to)) << x.dump();
    EXPECT_NE(page.process_of(from), page.process_of(to)) << x.dump();
    EXPECT_GE(x["tb"].get<int64_t>(), x["ta"].get<int64_t>() - 1'000'000) << x.dump();  // within the clocks' error
    if (x["k"] == "request") {
      requests.emplace(page.process_of(from), page.process_of(to));
    } else {
      ASSERT_EQ(x["k"], "cancel");
      cancelled.emplace(page.process_of(to), page.own_id(to));
      EXPECT_NE(x["tip"].get<std::string>().find("network"), std::string::npos) << x.dump();
    }
  }
  EXPECT_EQ(requests, edges);
  EXPECT_EQ(cancelled, woken);
}

// The processes' findings on the page, each saying whose; one trace's page has no `procs`.
TEST(ProcessesReport, FindingsNameTheirProcessAndOneTraceIsUnchanged) {
  const Page page = report_of(three("ignore-cancel"), "ignore-cancel");
  bool found = false;
  for (const auto& f : page.data["fd"]) {
    if (f["rule"] != "remote-cancel-ignored") continue;
    found = true;
    EXPECT_EQ(f["msg"].get<std::string>().rfind("backend: ", 0), 0u) << f.dump();
    for (const auto& g : f["gs"]) EXPECT_EQ(page.process_of(g.get<int64_t>()), "backend");
  }
  EXPECT_TRUE(found);
  const Page one = report_of(xproc("clean", "gateway"), "one");
  EXPECT_FALSE(one.data.contains("procs"));
  EXPECT_FALSE(one.data["g"].contains("gid"));
}

// A trace file's name is a string from the user: on the page it is text, never markup.
TEST(ProcessesReport, FileNamesAreEscaped) {
  const std::string dir = out_dir("processes") + "/<b>&\"x";
  std::filesystem::create_directories(dir);
  for (const char* p : {"client", "gateway"})
    std::filesystem::copy_file(xproc("clean", p), dir + "/" + p + ".trace.gz",
                               std::filesystem::copy_options::overwrite_existing);
  const std::string file = out_dir("processes") + "/escaped.html";
  ASSERT_EQ(run(ctxtrail_binary() + " report '" + dir + "/client.trace.gz' '" + dir + "/gateway.trace.gz' -o " + file,
                file + ".log"),
            0)
      << slurp(file + ".log");
  const std::string html = slurp(file);
  EXPECT_EQ(html.find("<b>"), std::string::npos);
  EXPECT_EQ(page_data(html)["procs"][0]["trace"], dir + "/client.trace.gz");
}

// A process's trace cut short, read with --partial: its tail is reported and the exit code is 3
// (malformed input), not --fail-on's, for report and export as for analyze.
TEST(ProcessesReport, APartialTraceExitsThree) {
  const std::string dir = out_dir("processes");
  const std::string cut = dir + "/cut-client.trace";
  ASSERT_EQ(run("(gzip -dc " + xproc("clean", "client") + " | head -c 5400 >" + cut + ")", dir + "/cut.log"), 0);
  const std::string rest = " " + xproc("clean", "gateway") + " " + xproc("clean", "backend");
  for (const std::string& cmd : {"report -o " + dir + "/cut.html", "export --format perfetto -o " + dir + "/cut.pftrace"}) {
    const std::string log = dir + "/cut-" + cmd.substr(0, 6) + ".log";
    EXPECT_EQ(run(ctxtrail_binary() + " " + cmd + " --partial --fail-on info " + cut + rest, log), 3) << cmd;
    EXPECT_NE(slurp(log).find("cut-client.trace: byte "), std::string::npos) << slurp(log);
  }
}

// Perfetto: every arrow is a flow that starts on one process's goroutine track and ends on
// another's (decoded with protoc against the committed subset schema).
TEST(ProcessesExport, PerfettoFlowsAcrossProcesses) {
  if (!have_program("protoc")) GTEST_SKIP() << "protoc not installed (scripts/setup installs protobuf-compiler)";
  const std::string dir = out_dir("processes");
  const std::string file = dir + "/clean.perfetto-trace";
  ASSERT_EQ(run(ctxtrail_binary() + " export --format perfetto -o " + file + " " + three("clean"), file + ".log"), 0)
      << slurp(file + ".log");
  const std::string schema = source_dir() + "/testdata/schemas/perfetto";
  const std::string text = file + ".txt";
  ASSERT_EQ(run("protoc --decode=perfetto.protos.Trace -I" + schema + " " + schema + "/trace.proto <" + file, text), 0)
      << slurp(text);
  // Per flow ID at or above 2^62 (the flows across processes): the tracks it starts and ends on.
  std::map<uint64_t, uint64_t> starts, ends;
  std::istringstream lines(slurp(text));
  std::string line;
  uint64_t track = 0;  // the event's: protoc prints its fields by number, track_uuid (11) first
  while (std::getline(lines, line)) {
    const size_t colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string key = line.substr(0, colon);
    key.erase(0, key.find_first_not_of(' '));
    const std::string value = line.substr(colon + 2);
    if (key == "track_uuid") track = std::stoull(value);
    if ((key == "flow_ids" || key == "terminating_flow_ids") && std::stoull(value) >= (uint64_t{1} << 62))
      (key == "flow_ids" ? starts : ends).emplace(std::stoull(value), track);
  }
  ASSERT_EQ(starts.size(), 4u);  // two requests, two goroutines woken by the cancel
  for (const auto& [id, from] : starts) {
    ASSERT_TRUE(ends.count(id)) << id;
    EXPECT_NE(from >> 40, ends.at(id) >> 40) << id;  // another process's range of tracks
    EXPECT_GE(ends.at(id) & ((uint64_t{1} << 40) - 1), 0x200000000ull & ((uint64_t{1} << 40) - 1)) << id;
  }
  EXPECT_EQ(ends.size(), starts.size());
}

}  // namespace
}  // namespace ctxtrail::report_test
