/// A small synthetic trace for the report and export tests: a pool of workers where a cancel
/// wakes three, one of which ignores it; two of them have a start function full of markup.
#pragma once

#include "ctxtrail/render/report_data.h"
#include "testing/synthetic_trace.h"

namespace ctxtrail::render::testing {

using model::testing::SyntheticTrace;
using model::testing::user;
using trace::GoState;

inline constexpr int64_t kMs = 1'000'000;
/// Markup, quotes and an entity: must show up as text, never as markup or script.
inline const std::string kEvilFunc = "main.(*</script><script>alert(\"x\")</script>&amp;'q').run";

struct ReportScenario {
  SyntheticTrace t;
  model::Model m;
  TraceExtras extras;
  std::vector<diagnose::Finding> findings;

  ReportScenario() {
    t.status(0, 1, GoState::Running);
    auto site = t.stack({user("main.main", 30)});
    for (trace::GoID g : {10, 11, 12}) {
      std::string fn = g == 10 ? "main.worker" : kEvilFunc;
      t.create(1 * kMs, 1, g, site, t.start_of(fn));
      t.start(1 * kMs + g, g);
      t.block(2 * kMs + g, g, "select", t.select_stack(fn, 5));
    }
    t.unblock(20 * kMs, 1, 10, t.cancel_stack("main.main", 40));
    t.unblock(20 * kMs + 1, 1, 11, t.cancel_stack("main.main", 40));
    t.unblock(20 * kMs + 2, 1, 12, t.cancel_stack("main.main", 40));
    t.start(21 * kMs, 10);
    t.end(21 * kMs + 5, 10);
    t.start(21 * kMs + 10, 11);
    t.end(22 * kMs, 11);
    t.start(22 * kMs + 1, 12);
    t.block(22 * kMs + 10, 12, "sleep", t.stack({user(kEvilFunc, 9)}));
    t.tick(50 * kMs);
    model::ModelOptions options;
    options.all_intervals = true;
    m = t.build(options);
    extras.heap = {{0, 1000}, {25 * kMs, 4096}};
    extras.logs.push_back({22 * kMs, 12, t.intern("<b>cat</b>"), t.intern("</script><script>alert(1)</script>")});
    diagnose::Finding f;
    f.rule = "cancel-ignored";
    f.severity = diagnose::Severity::Error;
    f.message = "G12 ignored cancel #1 in " + kEvilFunc;
    f.goroutines = {12};
    f.locations.push_back({"block", {kEvilFunc, "/app/<x>.go", 9}});
    findings.push_back(f);
  }
  RenderInput input() { return RenderInput{m, t.classifier(), extras, findings, "evil <trace> & \"name\".trace"}; }
};

}  // namespace ctxtrail::render::testing
