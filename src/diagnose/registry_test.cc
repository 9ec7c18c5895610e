#include "diagnose/rule_test_util.h"

namespace ctxtrail::diagnose {
namespace {

using namespace ctxtrail::diagnose::testing;

TEST(Registry, RuleSubsetAndMetadata) {
  // 6 lifecycle rules, 8 context rules, and 4 that read a process's end: hung-test, deadlock,
  // goroutine-pileup and goroutine-growth.
  EXPECT_EQ(rules().size(), 21u);
  for (const RuleInfo& r : rules()) {
    EXPECT_FALSE(r.help.empty());
    EXPECT_EQ(find_rule(r.id), &r);
  }
  EXPECT_EQ(find_rule("nope"), nullptr);
  SyntheticTrace t = base();
  leak_from_helper(t, 1, 10 * ms);
  t.tick(1000 * ms);
  Options o;
  o.rules = {"cancel-ignored"};
  EXPECT_TRUE(run(t, o).findings.empty());
}

TEST(Registry, MainAndRuntimeGoroutinesAreNeverFindings) {
  SyntheticTrace t;
  StackID rt_stack = t.stack({rt("runtime.gopark", "runtime/proc.go", 462), rt("runtime.forcegchelper", "runtime/proc.go", 350)});
  t.status(0, 2, GoState::Waiting, rt_stack, "system goroutine wait");
  t.status(0, 1, GoState::Running);
  t.block(1 * ms, 1, "select", t.select_stack("main.main", 40));
  t.tick(5000 * ms);
  Report r = run(t);
  EXPECT_TRUE(r.findings.empty());
}



// A goroutine both blocked-forever and leaked-goroutine would report (its creator returned on a
// cancel wave while it waited to send) is blocked-forever's, which leaked-goroutine is
// superseded by: in a full run and under --rule alike.
TEST(Registry, ARuleYieldsToTheRulesItIsSupersededByUnderRuleToo) {
  auto make = [] {
    SyntheticTrace t = base();
    t.create(2 * ms, 1, 11, t.stack({user("main.main", 30)}), t.start_of("main.fetch"));
    t.start(2 * ms + 1, 11);
    t.create(2 * ms + 2, 11, 10, t.stack({user("main.fetch", 40)}), t.start_of("main.fetch.func1"));
    t.block(2 * ms + 3, 11, "select", t.select_stack("main.fetch", 44));
    t.start(3 * ms, 10);
    t.block(4 * ms, 10, "chan send",
            t.stack({rt("runtime.chansend1", "runtime/chan.go", 161), user("main.fetch.func1", 41)}));
    t.unblock(20 * ms, 1, 11, t.cancel_stack("main.main", 38));
    t.start(20 * ms + 1, 11);
    t.end(20 * ms + 2, 11);
    t.tick(1000 * ms);
    return t;
  };
  SyntheticTrace full = make();
  Report r = run(full);
  ASSERT_EQ(of_rule(r, "blocked-forever").size(), 1u);
  EXPECT_EQ(of_rule(r, "blocked-forever")[0]->goroutines, std::vector<GoID>{10});
  EXPECT_TRUE(of_rule(r, "leaked-goroutine").empty());

  Options only_leaks;
  only_leaks.rules = {"leaked-goroutine"};
  SyntheticTrace t1 = make();
  EXPECT_TRUE(run(t1, only_leaks).findings.empty());

  Options only_blocked;
  only_blocked.rules = {"blocked-forever"};
  SyntheticTrace t2 = make();
  Report b = run(t2, only_blocked);
  ASSERT_EQ(b.findings.size(), 1u);
  EXPECT_EQ(b.findings[0].rule, "blocked-forever");
}

// The Go runtime's service goroutines (a GC mark worker here) live as long as the process: no
// rule blames them on a test or a creator, not even under --include-runtime.
TEST(Registry, RuntimeServicesAreNeverFindingsEvenWithIncludeRuntime) {
  SyntheticTrace t;
  t.status(0, 1, GoState::Running);
  StackID trunner = t.stack({rt("testing.tRunner", "testing/testing.go", 1792)});
  t.create(1 * ms, 1, 8, t.stack({rt("testing.(*T).Run", "testing/testing.go", 1851)}), trunner);
  t.start(1 * ms, 8);
  t.create(2 * ms, 8, 30, t.stack({rt("runtime.gcBgMarkStartWorkers", "runtime/mgc.go", 1311),
                                   rt("runtime.gcStart", "runtime/mgc.go", 700),
                                   user("app.TestAlloc", 12, "/home/dev/app/a_test.go")}),
           t.stack({rt("runtime.gcBgMarkWorker", "runtime/mgc.go", 1400)}));
  t.start(2 * ms + 1, 30);
  t.block(2 * ms + 2, 30, "GC worker (idle)", t.stack({rt("runtime.gopark", "runtime/proc.go", 462),
                                                       rt("runtime.gcBgMarkWorker", "runtime/mgc.go", 1423)}));
  t.end(3 * ms, 8);
  t.tick(2000 * ms);
  Options with_runtime;
  with_runtime.include_runtime = true;
  EXPECT_TRUE(run(t, with_runtime).findings.empty()) << run(t, with_runtime).findings.front().message;
  model::Model m = t.build();
  EXPECT_EQ(m.find(30)->kind, model::GoKind::Service);
}

// Goroutines with one cause (one creation line, one blocking line) are one finding with a count,
// under the most specific rule that saw any of them: here blocked-forever (G10, whose creator
// returned on a cancel) and leaked-goroutine (G12, the same `go` and send, its creator ended
// without a wave); under --rule blocked-forever the same one finding.
TEST(Registry, OneCauseUnderTwoRulesIsOneFindingWithACount) {
  auto make = [] {
    SyntheticTrace t = base();
    for (GoID creator : {11, 13}) {
      const GoID child = creator - 1;
      t.create(2 * ms, 1, creator, t.stack({user("main.main", 30)}), t.start_of("main.fetch"));
      t.start(2 * ms + 1, creator);
      t.create(2 * ms + 2, creator, child, t.stack({user("main.fetch", 40)}), t.start_of("main.fetch.func1"));
      t.block(2 * ms + 3, creator, "select", t.select_stack("main.fetch", 44));
      t.start(3 * ms, child);
      t.block(4 * ms, child, "chan send",
              t.stack({rt("runtime.chansend1", "runtime/chan.go", 161), user("main.fetch.func1", 41)}));
    }
    t.unblock(20 * ms, 1, 11, t.cancel_stack("main.main", 38));
    t.start(20 * ms + 1, 11);
    t.end(20 * ms + 2, 11);
    t.unblock(21 * ms, 1, 13, t.stack({user("main.main", 39)}));  // a plain channel send
    t.start(21 * ms + 1, 13);
    t.end(21 * ms + 2, 13);
    t.tick(1000 * ms);
    return t;
  };
  SyntheticTrace full = make();
  Report r = run(full);
  ASSERT_EQ(r.findings.size(), 1u) << r.findings.back().rule;
  EXPECT_EQ(r.findings[0].rule, "blocked-forever");
  EXPECT_EQ(r.findings[0].count, 2);
  EXPECT_EQ(r.findings[0].goroutines, (std::vector<GoID>{10, 12}));
  Options only_blocked;
  only_blocked.rules = {"blocked-forever"};
  SyntheticTrace t2 = make();
  Report b = run(t2, only_blocked);
  ASSERT_EQ(b.findings.size(), 1u);
  EXPECT_EQ(b.findings[0].count, 2);
  Options only_leaks;
  only_leaks.rules = {"leaked-goroutine"};
  SyntheticTrace t3 = make();
  EXPECT_TRUE(run(t3, only_leaks).findings.empty());
}

TEST(Registry, SupersededByNamesOnlyRulesThatComeBefore) {
  std::set<std::string_view> seen;
  for (const RuleInfo& r : rules()) {
    for (std::string_view by : r.superseded_by) {
      EXPECT_TRUE(seen.contains(by)) << r.id << " is superseded by " << by << ", which runs after it";
      EXPECT_NE(find_rule(by), nullptr) << by;
    }
    seen.insert(r.id);
  }
  // Every rule that names a cause, hung-test and deadlock first.
  EXPECT_EQ(find_rule("leaked-goroutine")->superseded_by.size(), 9u);
  EXPECT_EQ(find_rule("leaked-goroutine")->superseded_by.front(), "hung-test");
}

}  // namespace
}  // namespace ctxtrail::diagnose
