// Goroutines that each call of a handler leaves behind on a keep-alive connection
// (diagnose/left_per_call.h), through the leaked-goroutine rule.
#include "diagnose/left_per_call.h"
#include "diagnose/rule_test_util.h"

namespace ctxtrail::diagnose {
namespace {

using namespace ctxtrail::diagnose::testing;

// A connection's goroutine (G5, alive to the end) serves `calls` requests; each call of
// main.handleExport starts main.releaseOnDone (bugs.go:74 waits on a channel nobody closes),
// returns, and the connection waits for the next request.
Report export_per_request(int calls) {
  SyntheticTrace t = base();
  serve_requests(t, calls, "main.handleExport", 70, "main.releaseOnDone", [](SyntheticTrace& t, GoID g, int64_t at) {
    t.block(at, g, "chan receive", t.recv_stack("main.releaseOnDone", 74));
  });
  t.tick(1000 * ms);
  return run(t);
}

TEST(LeftPerCall, EachCallOfAHandlerLeavingOneBehindIsALeak) {
  Report r = export_per_request(static_cast<int>(kCallsLeaving));
  auto f = of_rule(r, "leaked-goroutine");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0]->count, static_cast<int64_t>(kCallsLeaving));
  EXPECT_EQ(f[0]->severity, Severity::Warning);
  EXPECT_NE(f[0]->message.find("the call of main.handleExport that started it"), std::string::npos) << f[0]->message;
  EXPECT_TRUE(has_loc(*f[0], role::kBlock, 74));
  EXPECT_TRUE(has_loc(*f[0], role::kCreation, 70));
}

// A few may be workers that constructors made and that wait for work by design.
TEST(LeftPerCall, AFewCallsSayNothing) {
  EXPECT_TRUE(export_per_request(3).findings.empty());
}

}  // namespace
}  // namespace ctxtrail::diagnose
