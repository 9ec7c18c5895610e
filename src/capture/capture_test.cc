// The capture stage's pure parts: which pprof root a URL means, the folder name, the Go version of
// a trace header, and the manifest's fields. The downloads themselves are tested against real
// servers in tests/capture_test.cc.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "ctxtrail/capture/capture.h"
#include "ctxtrail/capture/manifest.h"

namespace ctxtrail::capture {
namespace {

TEST(PprofRoot, AcceptsTheBaseUrlAndTheDebugPprofUrl) {
  for (const char* given : {"http://127.0.0.1:6060", "http://127.0.0.1:6060/", "127.0.0.1:6060",
                            "http://127.0.0.1:6060/debug/pprof", "http://127.0.0.1:6060/debug/pprof/",
                            " http://127.0.0.1:6060/debug/pprof// "}) {
    Result<std::string> root = pprof_root(given);
    ASSERT_TRUE(root.ok()) << given << ": " << root.error().to_string();
    EXPECT_EQ(*root, "http://127.0.0.1:6060/debug/pprof/") << given;
  }
}

TEST(PprofRoot, KeepsAPathPrefixAndHttps) {
  EXPECT_EQ(*pprof_root("https://svc.example:8443/admin"), "https://svc.example:8443/admin/debug/pprof/");
  EXPECT_EQ(*pprof_root("HTTP://h/admin/debug/pprof"), "http://h/admin/debug/pprof/");
}

TEST(PprofRoot, RefusesWhatIsNoHttpUrl) {
  for (const char* given : {"ftp://h:21", "file:///tmp/x", "http://", "http:///debug/pprof",
                            "http://h:6060/debug/pprof/trace?seconds=5", "http://h#x"}) {
    Result<std::string> root = pprof_root(given);
    ASSERT_FALSE(root.ok()) << given << " gave " << *root;
    EXPECT_EQ(root.error().file, given);
    EXPECT_NE(root.error().message.find("not a URL to capture from"), std::string::npos) << root.error().message;
  }
}

TEST(HostForFolder, KeepsHostAndPortInSafeCharacters) {
  EXPECT_EQ(host_for_folder("http://127.0.0.1:6060/debug/pprof/"), "127.0.0.1-6060");
  EXPECT_EQ(host_for_folder("https://user:secret@svc.example/debug/pprof/"), "svc.example");
  EXPECT_EQ(host_for_folder("http://[::1]:6060/debug/pprof/"), "--1-6060");
}

TEST(TraceGoVersion, ReadsTheHeader) {
  using namespace std::string_view_literals;
  EXPECT_EQ(trace_go_version("go 1.26 trace\0\0\0\x01\x02"sv), "1.26");
  EXPECT_EQ(trace_go_version("go 1.22 trace\0\0\0"sv), "1.22");
  EXPECT_EQ(trace_go_version("<!DOCTYPE html>"), "");
  EXPECT_EQ(trace_go_version(""), "");
}

Capture sample() {
  Capture c;
  c.url = "127.0.0.1:6060";
  c.root = "http://127.0.0.1:6060/debug/pprof/";
  c.dir = "/tmp/x";
  c.seconds = 1;
  c.tool_version = "0.1.0";
  c.go_trace_version = "1.26";
  File trace;
  trace.name = "trace.out";
  trace.requested = true;
  trace.fetch.url = c.root + "trace?seconds=1";
  trace.fetch.final_url = trace.fetch.url;
  trace.fetch.status = 200;
  trace.fetch.bytes = 1234;
  trace.fetch.end = FetchEnd::Cut;
  trace.fetch.saved = true;
  trace.partial = true;
  trace.usable = true;
  trace.problem = "cut";
  File dump;
  dump.role = Role::Goroutines;
  dump.name = "goroutines.txt";
  dump.fetch.url = c.root + "goroutine?debug=2";
  dump.fetch.final_url = dump.fetch.url;
  c.files = {trace, dump};
  c.problems = {"cut"};
  return c;
}

TEST(Manifest, SaysWhereEachFileCameFromAndWhetherItIsWhole) {
  const nlohmann::json m = nlohmann::json::parse(manifest_json(sample()));
  EXPECT_EQ(m["version"], "0.1.0");
  EXPECT_EQ(m["url"], "127.0.0.1:6060");
  EXPECT_EQ(m["pprof_root"], "http://127.0.0.1:6060/debug/pprof/");
  EXPECT_EQ(m["go_trace_version"], "1.26");
  EXPECT_EQ(m["complete"], false);
  ASSERT_EQ(m["files"].size(), 2u);
  const auto& t = m["files"][0];
  EXPECT_EQ(t["name"], "trace.out");
  EXPECT_EQ(t["status"], 200);
  EXPECT_EQ(t["bytes"], 1234);
  EXPECT_EQ(t["download"], "cut");
  EXPECT_EQ(t["partial"], true);
  EXPECT_EQ(t["problem"], "cut");
  EXPECT_FALSE(t.contains("final_url")) << "only written when a redirect moved it";
  EXPECT_EQ(m["files"][1]["requested"], false);
  EXPECT_FALSE(m["files"][1].contains("status"));
}

TEST(Manifest, NetworkBytesThatAreNoUtf8DoNotBreakIt) {
  Capture c = sample();
  c.files[0].problem = "HTTP 500: \xff\xfe";
  EXPECT_TRUE(nlohmann::json::accept(manifest_json(c)));
}

TEST(CaptureResult, MarkCutShortMakesTheFilePartialAndAProblemOnce) {
  Capture c = sample();
  c.files[0].partial = false;
  c.problems.clear();
  c.mark_cut_short(Role::Trace, "trace.out: cut short");
  c.mark_cut_short(Role::Trace, "trace.out: cut short");
  EXPECT_TRUE(c.files[0].partial);
  EXPECT_EQ(c.problems.size(), 1u);
  EXPECT_TRUE(c.failed());
}

}  // namespace
}  // namespace ctxtrail::capture
