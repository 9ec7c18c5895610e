/// The HTML report in real headless Chromium (tests/browser/report_test.mjs, playwright-core):
/// rows, finding selection, zoom, hover, search, the DAG, the Contexts tab, escaping of markup in trace strings,
/// and the Mermaid export through Mermaid's own parser. Screenshots go to
/// build/.../test-artefacts/report/. Skipped when Chromium or the npm packages are missing.
#include <gtest/gtest.h>

#include <filesystem>

#include "ctxtrail/render/export_formats.h"
#include "ctxtrail/render/export_output.h"
#include "ctxtrail/render/report_html.h"
#include "testing/report_scenario.h"
#include "report_cli_util.h"

namespace ctxtrail::report_test {
namespace {

// Writes the report of a synthetic trace, every interval and no findings, to `path`: "" or
// what went wrong.
std::string write_report(render::testing::SyntheticTrace& t, const std::string& path) {
  model::ModelOptions options;
  options.all_intervals = true;
  model::Model m = t.build(options);
  render::TraceExtras extras;
  std::vector<diagnose::Finding> none;
  render::RenderInput in{m, t.classifier(), extras, none, std::filesystem::path(path).stem().string() + ".trace"};
  return render::write_output(path, render::render_html_report(in), std::cout);
}

TEST(ReportBrowser, ReportsWorkInHeadlessChromium) {
  const std::string chromium = std::getenv("CHROMIUM") != nullptr ? std::getenv("CHROMIUM") : "/usr/bin/chromium";
  const std::string modules = source_dir() + "/tests/browser/node_modules";
  if (!std::filesystem::exists(chromium)) GTEST_SKIP() << "no Chromium at " << chromium << " (apt-get install chromium)";
  if (!std::filesystem::exists(modules + "/playwright-core") || !std::filesystem::exists(modules + "/mermaid")) {
    GTEST_SKIP() << "no " << modules << " (run npm ci in tests/browser)";
  }
  if (!have_program("node")) GTEST_SKIP() << "node not installed";

  std::string dir = out_dir("report");
  std::string log = dir + "/run.log";
  std::filesystem::remove(log);
  ASSERT_EQ(run(ctxtrail_binary() + " report " + workerpool_trace() + " -o " + dir + "/workerpool.html", log), 0) << slurp(log);
  ASSERT_EQ(run(ctxtrail_binary() + " report " + source_dir() + "/testdata/report/trail.trace -o " + dir + "/trail.html", log), 0)
      << slurp(log);
  ASSERT_EQ(run(ctxtrail_binary() + " report " + workerpool_trace() + " --max-intervals 60 -o " + dir + "/reduced.html", log), 0)
      << slurp(log);
  ASSERT_EQ(run(ctxtrail_binary() + " export " + workerpool_trace() + " --format mermaid -o " + dir + "/workerpool.mermaid", log), 0)
      << slurp(log);

  // Three processes on one page.
  {
    const std::string xproc = source_dir() + "/testdata/xproc/traces/clean/";
    ASSERT_EQ(run(ctxtrail_binary() + " report " + xproc + "client.trace.gz " + xproc + "gateway.trace.gz " + xproc +
                      "backend.trace.gz -o " + dir + "/xproc.html",
                  log),
              0)
        << slurp(log);
  }

  // A trace whose function names, file names and log messages are markup.
  render::testing::ReportScenario s;
  auto in = s.input();
  ASSERT_EQ(render::write_output(dir + "/xss.html", render::render_html_report(in), std::cout), "");

  // A context with 450 children: the tab shows them CTX_PAGE (200) at a time.
  model::ContextTreeBuilder contexts(s.t);
  contexts.on_message("new 1 0 background 0 - 0 main.main /app/main.go 10", 1'000'000, 1);
  for (int id = 2; id < 452; ++id)
    contexts.on_message("new " + std::to_string(id) + " 1 cancel 0 - 0 main.serve /app/main.go 20", 2'000'000, 1);
  model::ContextTree tree = contexts.finish(s.m);
  in.contexts = &tree;
  ASSERT_EQ(render::write_output(dir + "/many-contexts.html", render::render_html_report(in), std::cout), "");

  // The bundled demo: G12 and G13 stay blocked on a channel from the cancel to the end.
  ASSERT_EQ(run(ctxtrail_binary() + " report " + source_dir() + "/testdata/demo/checkout.trace -o " + dir + "/demo.html", log), 0)
      << slurp(log);

  // What ran on each P with the GC and stop-the-world phases; runtime/trace tasks and regions.
  // std-net_http-client: 16 cancels by net/http's own code, one by the test's.
  for (const char* name : {"gcpressure", "annotations", "std-net_http-client"}) {
    ASSERT_EQ(run(ctxtrail_binary() + " report " + source_dir() + "/testdata/traces/" + name + ".trace -o " + dir + "/" + name +
                      ".html",
                  log),
              0)
        << slurp(log);
  }

  // Four net/http connections served since before the trace (their first stacks' roots are
  // runtime.goexit) and two it saw start: two groups, the first saying the goroutines existed.
  {
    using model::testing::rt;
    render::testing::SyntheticTrace t;
    t.status(0, 1, trace::GoState::Running);
    auto parked = t.stack({rt("runtime.gopark", "runtime/proc.go", 435), rt("internal/poll.(*FD).Read", "internal/poll/fd_unix.go", 165),
                           rt("net/http.(*conn).serve", "net/http/server.go", 2000), rt("runtime.goexit", "runtime/asm_amd64.s", 1700)});
    for (trace::GoID g = 40; g < 44; ++g) t.status(0, g, trace::GoState::Waiting, parked, "IO wait");
    auto site = t.stack({rt("net/http.(*Server).Serve", "net/http/server.go", 3300)});
    for (trace::GoID g = 50; g < 52; ++g) {
      t.create(1'000'000, 1, g, site, t.start_of("net/http.(*conn).serve"));
      t.start(1'000'000 + g, g);
      t.block(2'000'000 + g, g, "IO wait", parked);
    }
    t.tick(10'000'000);
    ASSERT_EQ(write_report(t, dir + "/existed.html"), "");
  }

  // G1's cancel wakes G10 (started by G2); G10 goes back to a receive, G2 (never ending, never
  // cancelling) wakes it, and it ends last: the critical path's one step is "woken".
  {
    using render::testing::kMs;
    render::testing::SyntheticTrace t;
    t.status(0, 1, trace::GoState::Running);
    t.status(0, 2, trace::GoState::Running);
    t.create(1 * kMs, 2, 10, t.stack({model::testing::user("main.pool", 30)}), t.start_of("main.worker"));
    t.start(1 * kMs, 10);
    t.block(2 * kMs, 10, "select", t.select_stack("main.worker", 5));
    t.unblock(10 * kMs, 1, 10, t.cancel_stack());
    t.start(11 * kMs, 10);
    t.block(12 * kMs, 10, "chan receive", t.recv_stack("main.worker", 9));
    t.unblock(40 * kMs, 2, 10, t.stack({model::testing::user("main.pool", 44)}));
    t.start(41 * kMs, 10);
    t.end(42 * kMs, 10);
    t.tick(60 * kMs);
    ASSERT_EQ(write_report(t, dir + "/woken.html"), "");
  }

  // G20 runs 10 µs, then sleeps 1 s, in a 2 s trace: the sleep must show at every zoom.
  {
    using render::testing::kMs;
    render::testing::SyntheticTrace sleeper;
    sleeper.status(0, 1, trace::GoState::Running);
    auto site = sleeper.stack({model::testing::user("main.main", 30)});
    sleeper.create(1 * kMs, 1, 20, site, sleeper.start_of("main.sleeper"));
    sleeper.start(1 * kMs, 20);
    sleeper.block(1 * kMs + 10'000, 20, "sleep", sleeper.stack({model::testing::user("main.sleeper", 7)}));
    sleeper.unblock(1001 * kMs + 10'000, trace::kNoGoroutine, 20, 0);
    sleeper.start(1001 * kMs + 20'000, 20);
    sleeper.end(1001 * kMs + 30'000, 20);
    // G21 parks under eight of net/http's frames, its handler's below them.
    using model::testing::rt;
    std::vector<model::testing::F> deep{rt("runtime.gopark", "runtime/proc.go", 435)};
    for (int k = 0; k < 7; ++k) deep.push_back(rt("net/http.layer" + std::to_string(k), "net/http/server.go", 100 + k));
    deep.push_back(model::testing::user("main.handler", 42));
    sleeper.create(2 * kMs, 1, 21, site, sleeper.start_of("main.handler"));
    sleeper.start(2 * kMs, 21);
    sleeper.block(3 * kMs, 21, "chan receive", sleeper.stack(deep));
    // Eight cancels 0.7 ms apart, each waking a goroutine of its own (net/http's connReader
    // cancels come like this): at whole-trace zoom their labels must not pile up.
    for (int k = 0; k < 8; ++k) {
      const trace::GoID g = 30 + k;
      sleeper.create(4 * kMs, 1, g, site, sleeper.start_of("main.conn"));
      sleeper.start(4 * kMs + k, g);
      sleeper.block(4 * kMs + 100 + k, g, "select", sleeper.select_stack("main.conn", 5));
      sleeper.unblock(5 * kMs + k * 700'000, 1, g, sleeper.cancel_stack("main.main", 40 + k));
      sleeper.start(5 * kMs + k * 700'000 + 1000, g);
      sleeper.end(5 * kMs + k * 700'000 + 2000, g);
    }
    // 200 goroutines that start and end: more DAG nodes than the tab draws one by one.
    for (trace::GoID g = 100; g < 300; ++g) {
      sleeper.create(6 * kMs, 1, g, site, sleeper.start_of("main.short"));
      sleeper.start(6 * kMs + g, g);
      sleeper.end(7 * kMs + g * 1000, g);
    }
    sleeper.tick(2000 * kMs);
    ASSERT_EQ(write_report(sleeper, dir + "/sleeper.html"), "");
  }

  int rc = run("node " + source_dir() + "/tests/browser/report_test.mjs " + dir, log);
  std::string out = slurp(log);
  EXPECT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("browser checks:"), std::string::npos) << out;
  std::cout << out;
  EXPECT_TRUE(std::filesystem::exists(dir + "/report.png"));
}

}  // namespace
}  // namespace ctxtrail::report_test
