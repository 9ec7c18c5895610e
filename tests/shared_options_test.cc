// Every command that shows findings takes the same diagnosis flags and gives the same findings
// for them, and every command treats a malformed trace alike (issue 12: one pipeline). The
// commands run in this process through cli::run.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <tuple>

#include "cli_in_process.h"
#include "ctxtrail/diagnose/rules.h"
#include "report_cli_util.h"

namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

using ctxtrail::testing::Outcome;
using ctxtrail::testing::run;

std::string trace(const std::string& name) { return std::string(CTXTRAIL_SOURCE_DIR) + "/testdata/analyze/" + name; }

// A finding as both outputs show it: rule, severity, message, goroutines.
using Shown = std::tuple<std::string, std::string, std::string, std::vector<int64_t>>;

std::vector<Shown> analyze_findings(const std::string& path, const std::vector<std::string>& flags) {
  std::vector<std::string> args = {"analyze", path, "--format", "json", "--fail-on", "never"};
  args.insert(args.end(), flags.begin(), flags.end());
  Outcome o = run(args);
  EXPECT_EQ(o.code, 0) << o.err;
  std::vector<Shown> out;
  const auto report = nlohmann::json::parse(o.out);
  for (const auto& f : report["findings"])
    out.emplace_back(f["rule"], f["severity"], f["message"], f["goroutines"].get<std::vector<int64_t>>());
  return out;
}

std::vector<Shown> report_findings(const std::string& path, const std::vector<std::string>& flags) {
  std::vector<std::string> args = {"report", path, "-o", "-"};
  args.insert(args.end(), flags.begin(), flags.end());
  Outcome o = run(args);
  EXPECT_EQ(o.code, 0) << o.err;
  const std::string open = "<script id=\"ctxtrail-data\" type=\"application/json\">";
  const size_t begin = o.out.find(open);
  const size_t end = o.out.find("</script>", begin);
  if (begin == std::string::npos || end == std::string::npos) {
    ADD_FAILURE() << "no report data in the page";
    return {};
  }
  auto data = nlohmann::json::parse(o.out.substr(begin + open.size(), end - begin - open.size()));
  std::vector<Shown> out;
  for (const auto& f : data["fd"]) out.emplace_back(f["rule"], f["sev"], f["msg"], f["gs"].get<std::vector<int64_t>>());
  return out;
}

const std::vector<std::vector<std::string>> kFlagSets = {
    {},
    {"--grace", "100ms"},
    {"--grace", "30s"},
    {"--slow", "1ms"},
    {"--slow-propagation", "1ms"},
    {"--rule", "leaked-goroutine"},
    {"--include-runtime"},
};

TEST(SharedDiagnosisFlags, ReportShowsTheFindingsAnalyzeGivesForTheSameFlags) {
  std::set<std::string> changed;  // flag sets that changed some trace's findings
  for (const char* name : {"leak.trace", "slowexit.trace", "pool.trace", "server.trace", "httpshut.trace",
                           "orphan.trace", "gt.trace"}) {
    const std::string path = trace(name);
    const auto by_default = analyze_findings(path, {});
    for (const auto& flags : kFlagSets) {
      const auto analyzed = analyze_findings(path, flags);
      EXPECT_EQ(report_findings(path, flags), analyzed) << name << " " << ::testing::PrintToString(flags);
      if (analyzed != by_default) changed.insert(::testing::PrintToString(flags));
    }
  }
  // The flags reach the rules: otherwise the equality above proves nothing.
  EXPECT_GE(changed.size(), 4u) << ::testing::PrintToString(changed);
}

// --rule X runs X and the rules X is superseded by, no others: its findings are exactly the
// X findings of a full run, whichever rule would have reported a goroutine first.
TEST(RuleSelection, OneRuleGivesTheFindingsAFullRunGivesForIt) {
  size_t compared = 0;
  for (const char* name : {"leak.trace", "slowexit.trace", "pool.trace", "server.trace", "httpshut.trace",
                           "orphan.trace", "gt.trace", "ignored.trace", "percall.trace", "relay.trace"}) {
    const std::string path = trace(name);
    const auto all = analyze_findings(path, {});
    for (const auto& info : ctxtrail::diagnose::rules()) {
      std::vector<Shown> want;
      for (const auto& f : all)
        if (std::get<0>(f) == info.id) want.push_back(f);
      EXPECT_EQ(analyze_findings(path, {"--rule", std::string(info.id)}), want) << name << " " << info.id;
      compared += want.size();
    }
  }
  EXPECT_GE(compared, 7u);  // findings were compared, not only empty lists (the scenarios do more)
}

TEST(SharedDiagnosisFlags, DagAndLifecycleListTheFindingsOfTheSameFlags) {
  const std::string path = trace("leak.trace");
  const auto all = analyze_findings(path, {});
  ASSERT_FALSE(all.empty());
  const auto& [rule, severity, message, goroutines] = all.front();
  Outcome dag = run({"dag", path});
  EXPECT_THAT(dag.out, HasSubstr(severity + "[" + rule + "]: " + message));
  Outcome life = run({"lifecycle", path, "-g", std::to_string(goroutines.front())});
  EXPECT_EQ(life.code, 0) << life.err;
  EXPECT_THAT(life.out, HasSubstr("  findings:\n    " + severity + "[" + rule + "]: " + message));
  // A --rule that leaves that finding out leaves it out of both.
  const std::string other = rule == "slow-cancel-exit" ? "cancel-ignored" : "slow-cancel-exit";
  EXPECT_THAT(run({"dag", path, "--rule", other}).out, ::testing::Not(HasSubstr(message)));
  EXPECT_THAT(run({"lifecycle", path, "-g", std::to_string(goroutines.front()), "--rule", other}).out,
              ::testing::Not(HasSubstr(message)));
}

// Every command that reads a whole trace says the same about a malformed one: the same line
// with its own name, exit 3, the hint without --partial and the output of what was read with it.
TEST(SharedInputErrors, EveryCommandReportsAMalformedTailAlike) {
  const std::string path = std::string(CTXTRAIL_SOURCE_DIR) + "/testdata/traces/truncated-no-end-of-generation.trace";
  const std::vector<std::vector<std::string>> commands = {
      {"analyze"}, {"report", "-o", "-"}, {"export", "-f", "dot"}, {"dag"}, {"lifecycle", "-g", "1"}, {"contexts"}};
  std::string message;  // the error after "ctxtrail COMMAND: "
  for (const auto& c : commands) {
    std::vector<std::string> args = {c[0], path};
    args.insert(args.end(), c.begin() + 1, c.end());
    Outcome strict = run(args);
    EXPECT_EQ(strict.code, 3) << c[0];
    EXPECT_THAT(strict.err, StartsWith("ctxtrail " + c[0] + ": " + path + ": ")) << strict.err;
    EXPECT_THAT(strict.err, HasSubstr("(use --partial")) << c[0];
    EXPECT_TRUE(strict.out.empty()) << c[0];
    const std::string line = strict.err.substr(0, strict.err.find('\n'));
    const std::string rest = line.substr(line.find(": ") + 2);
    if (message.empty()) message = rest;
    EXPECT_EQ(rest, message) << c[0];

    args.push_back("--partial");
    Outcome partial = run(args);
    EXPECT_EQ(partial.code, 3) << c[0];
    EXPECT_THAT(partial.err, StartsWith("ctxtrail " + c[0] + ": " + message + " (--partial: ")) << partial.err;
    EXPECT_FALSE(partial.out.empty()) << c[0];
  }
}

}  // namespace

namespace {

// What cannot be read twice (a pipe, /dev/stdin, a FIFO) is read once by the commands that
// otherwise take two passes: the same output as from the file, not an error or a wait.
TEST(SharedInput, ReportAndExportReadAPipeOnce) {
  using ctxtrail::report_test::ctxtrail_binary;
  using ctxtrail::report_test::slurp;
  const std::string dir = ctxtrail::report_test::out_dir("shared-input-pipe");
  const std::string trace = std::string(CTXTRAIL_SOURCE_DIR) + "/testdata/analyze/leak.trace";
  const std::string log = dir + "/log.txt";
  for (const std::string& cmd : {std::string("export -f dot"), std::string("export -f mermaid")}) {
    const std::string from_file = dir + "/file.out", from_pipe = dir + "/pipe.out";
    ASSERT_EQ(ctxtrail::report_test::run("(" + ctxtrail_binary() + " " + cmd + " " + trace + " >" + from_file + ")", log), 0);
    ASSERT_EQ(ctxtrail::report_test::run("(cat " + trace + " | " + ctxtrail_binary() + " " + cmd + " /dev/stdin >" +
                                             from_pipe + ")", log),
              0)
        << slurp(log);
    // The same output but for the trace's name.
    std::string want = slurp(from_file);
    for (size_t at = want.find(trace); at != std::string::npos; at = want.find(trace, at))
      want.replace(at, trace.size(), "/dev/stdin");
    EXPECT_EQ(slurp(from_pipe), want) << cmd;
  }
  const std::string page = dir + "/pipe.html";
  ASSERT_EQ(ctxtrail::report_test::run("(cat " + trace + " | " + ctxtrail_binary() + " report /dev/stdin -o " + page + ")", log), 0)
      << slurp(log);
  EXPECT_NE(slurp(page).find("leaked-goroutine"), std::string::npos);
}

// --partial is offered only where it can help: not for a file that is no trace at all.
TEST(SharedInputErrors, NoPartialHintForAFileThatIsNoTrace) {
  const std::string dir = ctxtrail::report_test::out_dir("shared-input-notrace");
  const std::string path = dir + "/text.trace";
  { std::ofstream(path) << "this is not a trace\n"; }
  for (const char* cmd : {"analyze", "dag", "contexts"}) {
    Outcome o = run({cmd, path});
    EXPECT_EQ(o.code, 3) << cmd;
    EXPECT_THAT(o.err, HasSubstr("not a Go execution trace")) << cmd;
    EXPECT_THAT(o.err, ::testing::Not(HasSubstr("--partial"))) << cmd;
  }
}

}  // namespace
