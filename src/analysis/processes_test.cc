// Several processes read as one, on the real runs of testdata/xproc (client -> gateway (HTTP)
// -> backend (gRPC), operator -> Job over annotations): the requests joined, one time axis
// whatever each trace's own clock, the cancel followed hop by hop, and the cross-process rules.
// Each trace is a few kB: the whole file runs in well under a second.
#include "ctxtrail/analysis/processes.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>

#include "ctxtrail/trace/reader.h"

namespace ctxtrail::analysis {
namespace {

std::string run_trace(const std::string& run, const std::string& process) {
  return std::string(CTXTRAIL_SOURCE_DIR) + "/testdata/xproc/traces/" + run + "/" + process + ".trace.gz";
}

// A trace whose clock started `shift` ns later (another host's monotonic clock, a trace started
// at another time): every event time moved, the wall clock the trail events carry not.
class ShiftedReader final : public trace::Reader {
 public:
  ShiftedReader(std::unique_ptr<trace::Reader> r, int64_t shift) : r_(std::move(r)), shift_(shift) {}
  Result<bool> next(trace::Event& e) override {
    auto got = r_->next(e);
    if (got.ok() && *got) shift(e);
    return got;
  }
  Result<size_t> next_batch(std::span<trace::Event> events) override {
    auto got = r_->next_batch(events);
    if (got.ok())
      for (size_t i = 0; i < *got; ++i) shift(events[i]);
    return got;
  }
  Result<std::span<const trace::Event>> view_batch(std::span<trace::Event> scratch) override {
    auto got = next_batch(scratch);
    if (!got.ok()) return got.error();
    return std::span<const trace::Event>(scratch.data(), *got);
  }
  const trace::StringTable& strings() const override { return r_->strings(); }
  const trace::StackTable& stacks() const override { return r_->stacks(); }
  int format_version() const override { return r_->format_version(); }
  uint64_t generations() const override { return r_->generations(); }
  bool complete() const override { return r_->complete(); }
  const std::string& name() const override { return r_->name(); }

 private:
  void shift(trace::Event& e) const {
    e.time += shift_;
    // A Sync's clock snapshot (trace/reader.cc): its trace time moves too, its wall time not.
    if (e.kind == trace::EventKind::Sync && e.value != 0) e.parent += static_cast<uint64_t>(shift_);
  }
  std::unique_ptr<trace::Reader> r_;
  int64_t shift_;
};

struct RunOf {
  std::string dir;
  std::vector<std::string> processes;
  std::vector<int64_t> shifts = {};     // per process, ns
  // Per process, what wall time its trace keeps: all (Go 1.25+ clock snapshots and trail's
  // `proc`), no snapshots (a Go 1.22 trace), or none (a Go 1.22 window without a `proc`).
  enum Wall { All, NoSnapshots, NoWall };
  std::vector<Wall> wall = {};
  diagnose::Options options = {};
};

MultiAnalysis analyze_run(const RunOf& run) {
  std::vector<Analysis> analyses;
  std::vector<std::string> files;
  for (size_t i = 0; i < run.processes.size(); ++i) {
    const std::string path = run_trace(run.dir, run.processes[i]);
    auto reader = trace::Reader::open(path);
    EXPECT_TRUE(reader.ok()) << path;
    const int64_t shift = i < run.shifts.size() ? run.shifts[i] : 0;
    Options o;
    o.diagnosis = run.options;
    auto a = analyze_reader(std::make_unique<ShiftedReader>(std::move(reader.value()), shift), o);
    EXPECT_TRUE(a.ok()) << path;
    const RunOf::Wall wall = i < run.wall.size() ? run.wall[i] : RunOf::All;
    if (wall != RunOf::All) a->contexts.remote.clocks.clear();
    if (wall == RunOf::NoWall) a->contexts.remote.stamps.clear();
    analyses.push_back(std::move(a.value()));
    files.push_back(path);
  }
  return join_processes(std::move(analyses), files, run.options);
}

const Process& named(const MultiAnalysis& m, std::string_view name) {
  for (const Process& p : m.processes)
    if (p.name == name) return p;
  ADD_FAILURE() << "no process " << name;
  return m.processes.front();
}

// (process, rule, file:line of its locations) of every finding.
std::vector<std::string> findings_of(const MultiAnalysis& m, std::string_view rule) {
  std::vector<std::string> out;
  for (const ProcessFinding& f : m.findings()) {
    if (f.finding->rule != rule) continue;
    std::string where;
    for (const diagnose::Location& l : f.finding->locations)
      where += " " + l.role + "=" + l.where.file.substr(l.where.file.rfind("xproc/") + 6) + ":" +
               std::to_string(l.where.line);
    out.push_back(m.processes[f.process].name + where);
  }
  return out;
}

const std::vector<std::string> kThree = {"client", "gateway", "backend"};

TEST(Processes, CleanRunIsOneWaveAcrossTheThreeProcesses) {
  MultiAnalysis m = analyze_run({"clean", kThree});
  ASSERT_EQ(m.processes.size(), 3u);
  EXPECT_EQ(m.processes[0].name, "client");
  EXPECT_EQ(m.processes[2].name, "backend");
  for (const Process& p : m.processes) {
    EXPECT_EQ(p.clock.source, ClockAlignment::Source::ClockSnapshot) << p.name;
    ASSERT_TRUE(p.clock.uncertainty_ns);
    EXPECT_LT(*p.clock.uncertainty_ns, 1'000'000) << p.name;
    ASSERT_TRUE(p.clock.cross_check_ns) << p.name;  // trail's proc agrees, within its own slack
    EXPECT_LE(std::abs(*p.clock.cross_check_ns), 100'000) << p.name;
  }
  ASSERT_EQ(m.edges.size(), 2u);
  for (const CrossEdge& e : m.edges) {
    EXPECT_GT(e.latency_ns, 0) << e.target;
    EXPECT_LT(e.latency_ns, 20'000'000) << e.target;  // loopback
  }
  ASSERT_EQ(m.waves.size(), 1u);
  const CrossWave& w = m.waves[0];
  EXPECT_EQ(m.processes[w.origin_process].name, "client");
  EXPECT_EQ(w.cause, "client gave up");
  EXPECT_EQ(w.origin_site.line, 27u);
  ASSERT_EQ(w.hops.size(), 2u);
  EXPECT_EQ(m.processes[m.edges[w.hops[0].edge].server].name, "gateway");
  EXPECT_EQ(w.hops[0].how, "close");
  EXPECT_EQ(m.processes[m.edges[w.hops[1].edge].server].name, "backend");
  EXPECT_EQ(w.hops[1].how, "reset");
  for (const CancelHop& h : w.hops) {
    EXPECT_GE(h.client_side(), 0);
    EXPECT_GE(h.network(), 0);
    ASSERT_TRUE(h.server_side());
    EXPECT_GE(*h.server_side(), 0);
    EXPECT_LT(*h.server_done - h.caller_done, 10'000'000);
  }
  for (std::string_view rule : {"deadline-dropped", "remote-cancel-ignored", "slow-remote-propagation"})
    EXPECT_TRUE(findings_of(m, rule).empty()) << rule;
}

// Each trace's clock started elsewhere (a day apart, and before the epoch of another): the
// clock snapshots map each onto the wall clock, and the hops come out the same to the nanosecond.
TEST(Processes, TracesStartedAtDifferentTimesAlign) {
  MultiAnalysis base = analyze_run({"clean", kThree});
  MultiAnalysis shifted = analyze_run({"clean", kThree, {0, 86'400'000'000'000, -5'000'000'000}});
  ASSERT_EQ(shifted.waves.size(), 1u);
  ASSERT_EQ(shifted.waves[0].hops.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(shifted.waves[0].hops[i].network(), base.waves[0].hops[i].network());
    EXPECT_EQ(shifted.edges[i].latency_ns, base.edges[i].latency_ns);
  }
  EXPECT_EQ(named(shifted, "gateway").clock.offset_ns, named(base, "gateway").clock.offset_ns - 86'400'000'000'000);
}

// Go 1.22 traces have no clock snapshots: trail's `proc` aligns them, agreeing with the
// snapshots' alignment within the uncertainty it states.
TEST(Processes, WithoutClockSnapshotsTrailsProcAlignsTheClocks) {
  const std::vector<int64_t> shifts = {0, 3'000'000'000, -7'000'000'000};
  MultiAnalysis truth = analyze_run({"clean", kThree, shifts});
  MultiAnalysis m = analyze_run({"clean", kThree, shifts, {RunOf::NoSnapshots, RunOf::NoSnapshots, RunOf::NoSnapshots}});
  for (const Process& p : m.processes) {
    EXPECT_EQ(p.clock.source, ClockAlignment::Source::Proc) << p.name;
    ASSERT_TRUE(p.clock.uncertainty_ns);
    EXPECT_LE(std::abs(p.clock.offset_ns - named(truth, p.name).clock.offset_ns), *p.clock.uncertainty_ns) << p.name;
  }
  ASSERT_EQ(m.waves.size(), 1u);
  EXPECT_EQ(m.waves[0].hops.size(), 2u);
}

// Neither in the gateway's and the backend's traces (Go 1.22 windows that cut off their `proc`),
// their clocks offset on purpose: the requests align them, within the bounds they give of the
// true offset.
TEST(Processes, WithoutWallTimeTheRequestsAlignTheClocks) {
  const std::vector<int64_t> shifts = {0, 3'000'000'000, -7'000'000'000};
  MultiAnalysis truth = analyze_run({"clean", kThree, shifts});
  MultiAnalysis m = analyze_run({"clean", kThree, shifts, {RunOf::NoSnapshots, RunOf::NoWall, RunOf::NoWall}});
  for (std::string_view name : {"gateway", "backend"}) {
    const ClockAlignment& c = named(m, name).clock;
    const int64_t real = named(truth, name).clock.offset_ns;
    EXPECT_EQ(c.source, ClockAlignment::Source::Requests) << name;
    EXPECT_GE(c.pairs, 2u) << name;
    // One way only (each is the server of the process before it): a lower bound, below the
    // truth by the one-way delay, under a millisecond on loopback.
    ASSERT_TRUE(c.lower_ns) << name;
    EXPECT_FALSE(c.uncertainty_ns) << name;
    EXPECT_LE(c.offset_ns, real + *named(truth, name).clock.uncertainty_ns) << name;
    EXPECT_GT(c.offset_ns, real - 1'000'000) << name;
  }
  ASSERT_EQ(m.waves.size(), 1u);
  EXPECT_EQ(m.waves[0].hops.size(), 2u);
}

TEST(Processes, WithoutAnyWallTimeOneProcessIsTheReference) {
  MultiAnalysis m = analyze_run({"clean", kThree, {}, {RunOf::NoWall, RunOf::NoWall, RunOf::NoWall}});
  size_t refs = 0;
  for (const Process& p : m.processes) refs += p.clock.source == ClockAlignment::Source::Reference;
  EXPECT_EQ(refs, 1u);
  EXPECT_EQ(named(m, "gateway").clock.source, ClockAlignment::Source::Reference);  // the most requests
  EXPECT_EQ(named(m, "backend").clock.source, ClockAlignment::Source::Requests);
  EXPECT_EQ(named(m, "client").clock.source, ClockAlignment::Source::Requests);
  ASSERT_TRUE(named(m, "client").clock.upper_ns);  // the client only sent: an upper bound
}

TEST(Processes, DropDeadlineIsFoundAtTheGatewaysLine) {
  MultiAnalysis m = analyze_run({"drop-deadline", kThree});
  EXPECT_EQ(findings_of(m, "deadline-dropped"),
            (std::vector<std::string>{"gateway context=gateway/main.go:42 context=go/trailhttp/handler.go:23"}));
  EXPECT_TRUE(findings_of(m, "remote-cancel-ignored").empty());
  // The backend never heard of the cancel: the wave stops at the gateway.
  ASSERT_EQ(m.waves.size(), 1u);
  EXPECT_EQ(m.waves[0].hops.size(), 1u);
}

TEST(Processes, IgnoreCancelIsFoundAtTheBackendsLine) {
  MultiAnalysis m = analyze_run({"ignore-cancel", kThree});
  auto found = findings_of(m, "remote-cancel-ignored");
  ASSERT_EQ(found.size(), 1u);
  EXPECT_TRUE(found[0].starts_with("backend running=internal/work/work.go:88")) << found[0];
  EXPECT_TRUE(findings_of(m, "deadline-dropped").empty());
  ASSERT_EQ(m.waves.size(), 1u);
  EXPECT_EQ(m.waves[0].hops.size(), 2u);
}

TEST(Processes, KubernetesPairCleanDropDeadlineIgnoreCancel) {
  const std::vector<std::string> pair = {"operator", "job"};
  MultiAnalysis clean = analyze_run({"k8s-clean", pair});
  ASSERT_EQ(clean.waves.size(), 1u);
  ASSERT_EQ(clean.waves[0].hops.size(), 1u);
  EXPECT_EQ(clean.waves[0].hops[0].how, "annotation");
  EXPECT_EQ(clean.waves[0].cause, "reconcile superseded");
  for (std::string_view rule : {"deadline-dropped", "remote-cancel-ignored", "slow-remote-propagation"})
    EXPECT_TRUE(findings_of(clean, rule).empty()) << rule;

  MultiAnalysis dropped = analyze_run({"k8s-drop-deadline", pair});
  auto d = findings_of(dropped, "deadline-dropped");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_TRUE(d[0].starts_with("operator context=k8s/operator/main.go:33")) << d[0];

  MultiAnalysis ignored = analyze_run({"k8s-ignore-cancel", pair});
  auto i = findings_of(ignored, "remote-cancel-ignored");
  ASSERT_EQ(i.size(), 1u);
  EXPECT_TRUE(i[0].starts_with("job running=internal/work/work.go:88")) << i[0];
}

// The Job's watch hands the cancel request on 50 ms late: slow-remote-propagation in the Job,
// at the operator's cancel; its clean twin (k8s-clean, above) has none.
TEST(Processes, SlowWatchIsSlowRemotePropagationInTheJob) {
  MultiAnalysis m = analyze_run({"k8s-slow-watch", {"operator", "job"}});
  auto slow = findings_of(m, "slow-remote-propagation");
  ASSERT_EQ(slow.size(), 1u);
  EXPECT_TRUE(slow[0].starts_with("job cancel=k8s/operator/main.go:29")) << slow[0];
  ASSERT_EQ(m.waves.size(), 1u);
  ASSERT_EQ(m.waves[0].hops.size(), 1u);
  EXPECT_GT(*m.waves[0].hops[0].server_done - m.waves[0].hops[0].caller_done, 40'000'000);
  EXPECT_TRUE(findings_of(m, "remote-cancel-ignored").empty());
}

// The backend's step that the cancel ended leaves its helper goroutine blocked on a send: the
// backend's own rule finds it, and its finding names the gateway's request and the client's
// cancel that began it. The clean run (its twin) has no finding at all.
TEST(Processes, ALeakInTheBackendNamesTheCancelAcrossProcesses) {
  MultiAnalysis m = analyze_run({"leak-on-cancel", kThree});
  const diagnose::Finding* leak = nullptr;
  for (const ProcessFinding& f : m.findings())
    if (m.processes[f.process].name == "backend" && f.finding->message.find("LeakySteps") != std::string::npos)
      leak = f.finding;
  ASSERT_NE(leak, nullptr);
  EXPECT_NE(leak->message.find("; it served gateway's request /xproc.Work/Do (grpc), cancelled by gateway's context #"),
            std::string::npos)
      << leak->message;
  EXPECT_NE(leak->message.find("a cancel that began in client (context #3) at main.go:27 (\"client gave up\")"),
            std::string::npos)
      << leak->message;
  auto remote = std::find_if(leak->locations.begin(), leak->locations.end(),
                             [](const diagnose::Location& l) { return l.role == "remote-cancel"; });
  ASSERT_NE(remote, leak->locations.end());
  EXPECT_TRUE(remote->where.file.ends_with("xproc/client/main.go")) << remote->where.file;
  EXPECT_EQ(remote->where.line, 27u);
  EXPECT_TRUE(analyze_run({"clean", kThree}).findings().empty());
}

// A threshold below the hops' latency makes every hop slow: the rule fires, in the server's
// process, and not when the clocks' uncertainty could explain it.
TEST(Processes, SlowRemotePropagationAboveTheThreshold) {
  RunOf run{"clean", kThree};
  run.options.slow_propagation_ns = 1;
  MultiAnalysis m = analyze_run(run);
  auto slow = findings_of(m, "slow-remote-propagation");
  ASSERT_EQ(slow.size(), 2u);
  EXPECT_TRUE(slow[0].starts_with("gateway")) << slow[0];
  EXPECT_TRUE(slow[1].starts_with("backend")) << slow[1];
  run.options.rules = {"deadline-dropped"};
  EXPECT_TRUE(findings_of(analyze_run(run), "slow-remote-propagation").empty());
}

TEST(ProcessInputs, EachSnapshotGoesWithTheTraceBeforeIt) {
  const std::string a = run_trace("clean", "client"), b = run_trace("clean", "gateway");
  const std::string dump = std::string(CTXTRAIL_SOURCE_DIR) + "/testdata/snapshots/dump_blocked.txt";
  auto one = split_by_process({dump, a});
  ASSERT_TRUE(one.ok());
  ASSERT_EQ(one->size(), 1u);
  EXPECT_EQ(one->front().snapshots, std::vector<std::string>{dump});
  auto two = split_by_process({a, b, dump});
  ASSERT_TRUE(two.ok());
  ASSERT_EQ(two->size(), 2u);
  EXPECT_TRUE((*two)[0].snapshots.empty());
  EXPECT_EQ((*two)[1].snapshots, std::vector<std::string>{dump});
}

}  // namespace
}  // namespace ctxtrail::analysis
