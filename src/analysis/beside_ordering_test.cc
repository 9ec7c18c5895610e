/// A consumer run beside the ordering (--jobs 2) fails as it does on the caller's thread (--jobs
/// 1): the same error, after the caller's loop was handed the same events.
#include "analysis/beside_ordering.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <stdexcept>
#include <string>

namespace ctxtrail::analysis {
namespace {

/// Throws at its event number `at` (from 0); counts what it was handed.
struct ThrowsAt {
  uint64_t at = 0;
  uint64_t seen = 0;
  void on_event(const trace::Event&) {
    if (seen++ == at) throw std::runtime_error("consumer broke at " + std::to_string(at));
  }
};

struct Outcome {
  bool beside = false;
  std::string error;
  uint64_t caller_events = 0;
};

/// The loop analyze_reader runs, with `jobs`.
Outcome run(unsigned jobs, uint64_t at) {
  const std::string path = std::string(CTXTRAIL_SOURCE_DIR) + "/testdata/traces/pprofhttp.trace";
  trace::ReaderOptions options;
  options.jobs = jobs;
  auto opened = trace::Reader::open(path, options);
  EXPECT_TRUE(opened.ok());
  trace::Reader& r = **opened;
  ThrowsAt consumer{at};
  BesideOrdering<ThrowsAt> beside;
  Outcome o;
  o.beside = beside.attach(r) != nullptr;
  if (o.beside) beside.use(consumer);
  uint64_t index = 0;
  std::optional<Error> failure = trace::for_each_event(r, [&](const trace::Event& ev) {
    o.caller_events++;
    if (o.beside) {
      beside.rethrow_at(index++);
    } else {
      consumer.on_event(ev);
    }
  });
  if (failure) o.error = failure->message + " generation " + std::to_string(failure->generation.value_or(0));
  return o;
}

TEST(BesideOrdering, RunsOnTheOrderingThreadOnlyWithTwoJobs) {
  EXPECT_FALSE(run(1, UINT64_MAX).beside);
  EXPECT_TRUE(run(2, UINT64_MAX).beside);
}

TEST(BesideOrdering, AFailureIsReportedAtTheSameEventAsWithOneThread) {
  // The first event, one inside the first block (512 events), one past it and one far on, the
  // last generations in later blocks; and none.
  const Outcome clean = run(1, UINT64_MAX);
  ASSERT_EQ(clean.error, "");
  ASSERT_GT(clean.caller_events, 50'000u);
  for (uint64_t at : {uint64_t{0}, uint64_t{300}, uint64_t{513}, uint64_t{40'000}, clean.caller_events - 1, UINT64_MAX}) {
    const Outcome one = run(1, at);
    const Outcome two = run(2, at);
    EXPECT_EQ(one.error, two.error) << at;
    EXPECT_EQ(one.caller_events, two.caller_events) << at;
    if (at != UINT64_MAX) {
      EXPECT_NE(two.error.find("consumer broke at " + std::to_string(at)), std::string::npos) << two.error;
      EXPECT_EQ(two.caller_events, at + 1);
    }
  }
}

}  // namespace
}  // namespace ctxtrail::analysis
