/// parse_dump: small literal dumps for each format fact, the real dumps of
/// testdata/snapshots/dump_*.txt (made by testdata/snapshots/gen/generate.sh), and inputs that
/// are cut off, broken or no dump at all.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "ctxtrail/snapshot/snapshot.h"

namespace ctxtrail::snapshot {
namespace {

using ::testing::ElementsAre;
using ::testing::EndsWith;

Snapshot parse_ok(std::string_view text) {
  Result<Snapshot> r = parse_dump(text, "dump.txt");
  EXPECT_TRUE(r.ok()) << r.error().message;
  return r.ok() ? std::move(r).value() : Snapshot{};
}

std::vector<int64_t> ids(const Snapshot& s) {
  std::vector<int64_t> out;
  for (const Goroutine& g : s.goroutines) out.push_back(g.id);
  return out;
}

std::vector<std::string> functions(const Goroutine& g) {
  std::vector<std::string> out;
  for (const Frame& f : g.frames) out.emplace_back(f.function);
  return out;
}

const Goroutine& find(const Snapshot& s, int64_t id) {
  for (const Goroutine& g : s.goroutines) {
    if (g.id == id) return g;
  }
  ADD_FAILURE() << "no goroutine " << id;
  static const Goroutine none;
  return none;
}

std::string read_testdata(const std::string& name) {
  std::ifstream in(std::string(CTXTRAIL_SOURCE_DIR) + "/testdata/snapshots/" + name, std::ios::binary);
  EXPECT_TRUE(in) << name;
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

constexpr std::string_view kTwoBlocks =
    "goroutine 1 [running]:\n"
    "main.main()\n"
    "\t/app/main.go:10 +0x1d\n"
    "\n"
    "goroutine 7 [chan receive, 42 minutes]:\n"
    "main.worker(0xc000010000, 0x1)\n"
    "\t/app/worker.go:23 +0x45\n"
    "created by main.main in goroutine 1\n"
    "\t/app/main.go:8 +0x5e\n";

TEST(ParseDump, RuntimeStackBlocks) {
  const Snapshot s = parse_ok(kTwoBlocks);
  EXPECT_EQ(s.kind, Kind::Dump);
  EXPECT_EQ(s.source, "dump.txt");
  EXPECT_FALSE(s.has_leak_marks);
  EXPECT_EQ(s.context.panic, "");
  ASSERT_THAT(ids(s), ElementsAre(1, 7));

  const Goroutine& main = s.goroutines[0];
  EXPECT_EQ(main.state, "running");
  EXPECT_EQ(main.line, 1u);
  EXPECT_EQ(main.count, 1u);
  ASSERT_EQ(main.frames.size(), 1u);
  EXPECT_EQ(main.frames[0].function, "main.main");
  EXPECT_EQ(main.frames[0].file, "/app/main.go");
  EXPECT_EQ(main.frames[0].line, 10);
  EXPECT_EQ(main.created_by.function, "");
  EXPECT_EQ(main.creator_id, -1);

  const Goroutine& worker = s.goroutines[1];
  EXPECT_EQ(worker.state, "chan receive");
  EXPECT_EQ(worker.wait_minutes, 42);
  EXPECT_EQ(worker.line, 5u);
  ASSERT_EQ(worker.frames.size(), 1u);
  EXPECT_EQ(worker.frames[0].function, "main.worker");
  EXPECT_EQ(worker.frames[0].file, "/app/worker.go");
  EXPECT_EQ(worker.frames[0].line, 23);
  EXPECT_EQ(worker.created_by.function, "main.main");
  EXPECT_EQ(worker.created_by.file, "/app/main.go");
  EXPECT_EQ(worker.created_by.line, 8);
  EXPECT_EQ(worker.creator_id, 1);
}

TEST(ParseDump, CrlfLineEndings) {
  std::string text;
  for (char c : kTwoBlocks) {
    if (c == '\n') text += '\r';
    text += c;
  }
  const Snapshot s = parse_ok(text);
  ASSERT_THAT(ids(s), ElementsAre(1, 7));
  EXPECT_EQ(s.goroutines[1].line, 5u);
  EXPECT_EQ(s.goroutines[1].frames[0].file, "/app/worker.go");
  EXPECT_EQ(s.goroutines[1].created_by.line, 8);
}

TEST(ParseDump, StatusesInBlocks) {
  const Snapshot s = parse_ok(
      "goroutine 2 [select, locked to thread]:\nmain.a()\n\t/a.go:1\n\n"
      "goroutine 3 [sync.WaitGroup.Wait]:\nmain.b()\n\t/a.go:2\n\n"
      "goroutine 4 [syscall, 3 minutes]:\nmain.c()\n\t/a.go:3\n\n"
      "goroutine 5 [IO wait]:\nmain.d()\n\t/a.go:4\n\n"
      "goroutine 6 [semacquire]:\nmain.e()\n\t/a.go:5\n");
  ASSERT_EQ(s.goroutines.size(), 5u);
  EXPECT_EQ(s.goroutines[0].state, "select");
  EXPECT_TRUE(s.goroutines[0].locked_to_thread);
  EXPECT_EQ(s.goroutines[1].state, "sync.WaitGroup.Wait");
  EXPECT_EQ(s.goroutines[2].state, "syscall");
  EXPECT_EQ(s.goroutines[2].wait_minutes, 3);
  EXPECT_EQ(s.goroutines[3].state, "IO wait");
  EXPECT_EQ(s.goroutines[4].state, "semacquire");
  EXPECT_EQ(s.goroutines[4].frames[0].line, 5);
}

TEST(ParseDump, FunctionNamesKeepReceiversAndTypeParameters) {
  const Snapshot s = parse_ok(
      "goroutine 9 [chan receive]:\n"
      "main.park[...](0x0?)\n\t/app/main.go:37 +0x18\n"
      "net/http.(*conn).serve(0xc000110000, {0x8a1f40, 0xc0000a6000})\n\t/go/src/net/http/server.go:2089 +0x8a5\n"
      "main.(*server).serve(...)\n\t/app/main.go:48\n"
      "main.main.func1()\n\t/app/main.go:50 +0x1\n"
      "panic({0x483720?, 0x36abc9966040?})\n\t/go/src/runtime/panic.go:879 +0x16f\n");
  ASSERT_EQ(s.goroutines.size(), 1u);
  EXPECT_THAT(functions(s.goroutines[0]), ElementsAre("main.park[...]", "net/http.(*conn).serve",
                                                      "main.(*server).serve", "main.main.func1", "panic"));
  EXPECT_EQ(s.goroutines[0].frames[2].line, 48);  // inlined: no +0x offset
}

TEST(ParseDump, CrashFieldsInHeaderAndFrames) {
  const Snapshot s = parse_ok(
      "goroutine 1 gp=0xc000002380 m=0 mp=0x5a7e20 [running]:\n"
      "main.main()\n"
      "\t/app/main.go:19 +0xf8 fp=0xc000068f50 sp=0xc000068f30 pc=0x47ac98\n"
      "\n"
      "goroutine 17 gp=0xc000102000 m=nil [force gc (idle)]:\n"
      "runtime.gopark(0x0?, 0x0?, 0x0?, 0x0?, 0x0?)\n"
      "\t/go/src/runtime/proc.go:462 +0xce fp=0xc0000587a8 sp=0xc000058788 pc=0x47236e\n"
      "created by runtime.init.7 in goroutine 1\n"
      "\t/go/src/runtime/proc.go:363 +0x1a\n");
  ASSERT_THAT(ids(s), ElementsAre(1, 17));
  EXPECT_EQ(s.goroutines[0].frames[0].file, "/app/main.go");
  EXPECT_EQ(s.goroutines[0].frames[0].line, 19);
  EXPECT_EQ(s.goroutines[1].state, "force gc (idle)");
  EXPECT_EQ(s.goroutines[1].frames[0].line, 462);
  EXPECT_EQ(s.goroutines[1].created_by.function, "runtime.init.7");
}

TEST(ParseDump, LabelsInHeader) {
  const Snapshot s = parse_ok(
      "goroutine 14 [chan receive labels:{\"component\": \"server\", \"request\": \"r-1\"}]:\n"
      "main.(*server).serve(...)\n\t/app/main.go:48\n");
  ASSERT_EQ(s.goroutines.size(), 1u);
  EXPECT_EQ(s.goroutines[0].state, "chan receive");
  EXPECT_THAT(s.goroutines[0].labels, ElementsAre(std::pair<std::string, std::string>{"component", "server"},
                                                  std::pair<std::string, std::string>{"request", "r-1"}));
}

TEST(ParseDump, LeakMarks) {
  Snapshot s = parse_ok(
      "goroutine 1 [running]:\nmain.main()\n\t/app/main.go:26 +0x9e\n\n"
      "goroutine 7 [chan receive (leaked)]:\nmain.produce(...)\n\t/app/main.go:12\n\n"
      "goroutine 8 [chan receive]:\nmain.main.func1()\n\t/app/main.go:23 +0x19\n");
  EXPECT_TRUE(s.has_leak_marks);
  ASSERT_EQ(s.goroutines.size(), 3u);
  EXPECT_FALSE(s.goroutines[0].leaked);
  EXPECT_TRUE(s.goroutines[1].leaked);
  EXPECT_EQ(s.goroutines[1].state, "chan receive");
  EXPECT_FALSE(s.goroutines[2].leaked);
  EXPECT_EQ(s.goroutines[2].state, "chan receive");
  s = parse_ok(kTwoBlocks);
  EXPECT_FALSE(s.has_leak_marks);
}

TEST(ParseDump, CreatedByWithoutCreatorGoroutine) {
  // Before Go 1.21 "created by" named no goroutine.
  const Snapshot s = parse_ok("goroutine 5 [select]:\nmain.loop()\n\t/a.go:3 +0x1\ncreated by main.main\n\t/a.go:9 +0x2\n");
  EXPECT_EQ(s.goroutines[0].created_by.function, "main.main");
  EXPECT_EQ(s.goroutines[0].created_by.line, 9);
  EXPECT_EQ(s.goroutines[0].creator_id, -1);
}

TEST(ParseDump, ElidedFramesAreSkipped) {
  const Snapshot s = parse_ok(
      "goroutine 5 [running]:\n"
      "main.deep(0x64)\n\t/a.go:3 +0x1\n"
      "main.deep(0x63)\n\t/a.go:3 +0x1\n"
      "...90 frames elided...\n"
      "main.deep(0x1)\n\t/a.go:3 +0x1\n"
      "main.main()\n\t/a.go:9 +0x2\n");
  EXPECT_THAT(functions(s.goroutines[0]), ElementsAre("main.deep", "main.deep", "main.deep", "main.main"));
}

TEST(ParseDump, AncestorsAreNotTheGoroutinesFrames) {
  // GODEBUG=tracebackancestors=N: the creators' stacks follow the goroutine's own.
  const Snapshot s = parse_ok(
      "goroutine 6 [chan receive]:\n"
      "main.child()\n\t/a.go:5 +0x1\n"
      "created by main.parent in goroutine 5\n\t/a.go:12 +0x2\n"
      "[originating from goroutine 5]:\n"
      "main.parent(...)\n\t/a.go:12 +0x2\n"
      "...additional frames elided...\n"
      "created by main.main\n\t/a.go:20 +0x3\n"
      "\n"
      "goroutine 7 [running]:\nmain.other()\n\t/a.go:30\n");
  ASSERT_THAT(ids(s), ElementsAre(6, 7));
  EXPECT_THAT(functions(s.goroutines[0]), ElementsAre("main.child"));
  EXPECT_EQ(s.goroutines[0].created_by.function, "main.parent");
  EXPECT_EQ(s.goroutines[0].creator_id, 5);
  EXPECT_THAT(functions(s.goroutines[1]), ElementsAre("main.other"));
}

TEST(ParseDump, StackUnavailable) {
  const Snapshot s = parse_ok(
      "goroutine 5 [running]:\n"
      "\tgoroutine running on other thread; stack unavailable\n"
      "created by main.main in goroutine 1\n\t/a.go:9 +0x2\n");
  ASSERT_EQ(s.goroutines.size(), 1u);
  EXPECT_TRUE(s.goroutines[0].frames.empty());
  EXPECT_EQ(s.goroutines[0].created_by.function, "main.main");
  EXPECT_EQ(s.goroutines[0].creator_id, 1);
}

TEST(ParseDump, CgoFrames) {
  const Snapshot s = parse_ok(
      "goroutine 1 [syscall]:\n"
      "non-Go function at pc=0x4a5f1c\n"
      "myCFunction\n\t/src/lib.c:12 pc=0x4a5f20\n"
      "runtime.cgocall(0x4a5f00, 0xc000010000)\n\t/go/src/runtime/cgocall.go:167 +0x4b\n");
  EXPECT_THAT(functions(s.goroutines[0]), ElementsAre("myCFunction", "runtime.cgocall"));
  EXPECT_EQ(s.goroutines[0].frames[0].file, "/src/lib.c");
  EXPECT_EQ(s.goroutines[0].frames[0].line, 12);
}

TEST(ParseDump, EmbeddedInALog) {
  const Snapshot s = parse_ok(
      "2024/05/01 10:00:00 server starting (port 8080)\n"
      "goroutine counts look high\n"
      "=== RUN   TestX\n"
      "goroutine 3 [select]:\n"
      "main.loop(0xc000010000)\n\t/a.go:3 +0x1\n"
      "created by main.main in goroutine 1\n\t/a.go:9 +0x2\n"
      "FAIL\tpkg\t0.01s\n"
      "exit status 2\n"
      "main.looksLikeAFrame()\n"
      "\tbut follows no header\n"
      "\n"
      "goroutine 4 [chan send]:\n"
      "main.send()\n\t/a.go:14 +0x5\n"
      "2024/05/01 10:00:01 shutting down (signal)\n"
      "done\n");
  ASSERT_THAT(ids(s), ElementsAre(3, 4));
  EXPECT_EQ(s.goroutines[0].line, 4u);
  EXPECT_THAT(functions(s.goroutines[0]), ElementsAre("main.loop"));
  EXPECT_EQ(s.goroutines[0].creator_id, 1);
  EXPECT_EQ(s.goroutines[1].line, 14u);
  EXPECT_THAT(functions(s.goroutines[1]), ElementsAre("main.send"));
  EXPECT_EQ(s.context.panic, "");
}

TEST(ParseDump, HeaderRightAfterABlock) {
  const Snapshot s = parse_ok("goroutine 1 [running]:\nmain.a()\n\t/a.go:1\ngoroutine 2 [select]:\nmain.b()\n\t/a.go:2\n");
  ASSERT_THAT(ids(s), ElementsAre(1, 2));
  EXPECT_THAT(functions(s.goroutines[0]), ElementsAre("main.a"));
  EXPECT_THAT(functions(s.goroutines[1]), ElementsAre("main.b"));
}

TEST(ParseDump, TestTimeoutContext) {
  const Snapshot s = parse_ok(
      "=== RUN   TestX\n"
      "panic: test timed out after 10ms\n"
      "\trunning tests:\n"
      "\t\tTestX (10ms)\n"
      "\t\tTestY/sub_case (10ms)\n"
      "\n"
      "goroutine 7 [running]:\n"
      "testing.(*M).startAlarm.func1()\n\t/go/src/testing/testing.go:2802 +0x354\n");
  EXPECT_EQ(s.context.panic, "test timed out after 10ms");
  EXPECT_FALSE(s.context.fatal);
  EXPECT_THAT(s.context.running_tests, ElementsAre("TestX", "TestY/sub_case"));
  EXPECT_EQ(s.goroutines[0].line, 7u);
}

TEST(ParseDump, FatalErrorContext) {
  const Snapshot s = parse_ok(
      "fatal error: all goroutines are asleep - deadlock!\n\n"
      "goroutine 1 [chan receive]:\nmain.main()\n\t/a.go:5 +0x1\n");
  EXPECT_EQ(s.context.panic, "all goroutines are asleep - deadlock!");
  EXPECT_TRUE(s.context.fatal);
  EXPECT_TRUE(s.context.running_tests.empty());
}

TEST(ParseDump, PanicContext) {
  Snapshot s = parse_ok(
      "panic: runtime error: invalid memory address or nil pointer dereference\n"
      "[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x47ac98]\n\n"
      "goroutine 1 [running]:\nmain.main()\n\t/a.go:5 +0x1\n");
  EXPECT_EQ(s.context.panic, "runtime error: invalid memory address or nil pointer dereference");
  EXPECT_FALSE(s.context.fatal);
  // A repanic names the panic that stopped the process on its second line.
  s = parse_ok("panic: first [recovered]\n\tpanic: second\n\ngoroutine 1 [running]:\nmain.main()\n\t/a.go:5\n");
  EXPECT_EQ(s.context.panic, "second");
  // A multi-line panic value keeps its first line; an older panic in the log is not the one.
  s = parse_ok("panic: old one\nrecovered, going on\npanic: line one\n\tline two\n\ngoroutine 1 [running]:\n");
  EXPECT_EQ(s.context.panic, "line one");
  // What follows the first goroutine is no context.
  s = parse_ok("goroutine 1 [running]:\nmain.main()\n\t/a.go:5\n\npanic: later\n\ngoroutine 2 [running]:\n");
  EXPECT_EQ(s.context.panic, "");
}

TEST(ParseDump, CutOffBlocksKeepWhatWasRead) {
  Snapshot s = parse_ok("goroutine 1 [running]:\nmain.a()\n\t/a.go:1 +0x1\nmain.worker(0xc0000");
  EXPECT_THAT(functions(s.goroutines[0]), ElementsAre("main.a", "main.worker"));
  EXPECT_EQ(s.goroutines[0].frames[1].file, "");
  s = parse_ok("goroutine 1 [running]:\nmain.a()\n\t/a.go:1 +0x1\nmain.b()");
  EXPECT_THAT(functions(s.goroutines[0]), ElementsAre("main.a", "main.b"));
  s = parse_ok("goroutine 1 [running]:\nmain.a()\n\t/a.go:1 +0x1\nmain.b()\n\t/a.g");
  EXPECT_THAT(functions(s.goroutines[0]), ElementsAre("main.a", "main.b"));
  EXPECT_EQ(s.goroutines[0].frames[1].line, 0);
  s = parse_ok("goroutine 1 [running]:\nmain.a()\n\t/a.go:1 +0x1\nmain.wor");
  EXPECT_THAT(functions(s.goroutines[0]), ElementsAre("main.a"));
  s = parse_ok("goroutine 1 [running]:\nmain.a()\n\t/a.go:1 +0x1\ncreated by main.ma");
  EXPECT_EQ(s.goroutines[0].created_by.function, "main.ma");
  s = parse_ok("goroutine 1 [running]:");
  ASSERT_EQ(s.goroutines.size(), 1u);
  EXPECT_TRUE(s.goroutines[0].frames.empty());
}

TEST(ParseDump, NoDumpIsAnError) {
  for (std::string_view text : {std::string_view(), std::string_view("hello\nworld\n"),
                                std::string_view("goroutine 5 started\ngoroutine [running]:\n"),
                                std::string_view("panic: boom\n\ngoroutine 1 [running\n")}) {
    Result<Snapshot> r = parse_dump(text, "log.txt");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().file, "log.txt");
    EXPECT_FALSE(r.error().offset);
    EXPECT_EQ(r.error().message, "no goroutine dump found: expected a line like \"goroutine 1 [running]:\"");
  }
}

// Inputs built to make a careless scanner go back over a line again and again. At 1 MB, a
// quadratic step would take many minutes; a linear one takes milliseconds (more under sanitizers).
TEST(ParseDump, AdversarialInputsStayLinear) {
  constexpr size_t kSize = 1 << 20;
  const std::string colons = "goroutine 1 [running]:\nmain.main()\n\t" + std::string(kSize, ':') + "\n";
  const std::string digits_and_colons = [&] {
    std::string t = "goroutine 1 [running]:\nmain.main()\n\t";
    while (t.size() < kSize) t += ":123456789x";
    return t;
  }();
  const std::string parts = "goroutine 1 [running" + [&] {
    std::string t;
    while (t.size() < kSize) t += ", 1 minutes";
    return t;
  }() + "]:\n";
  const std::string labels = "goroutine 1 [running labels:{" + [&] {
    std::string t;
    while (t.size() < kSize) t += "\"k\": \"v\", ";
    return t;
  }() + "}]:\n";
  const std::string marks = "goroutine 1 [running" + [&] {
    std::string t;
    while (t.size() < kSize) t += " (scan) (leaked)";
    return t;
  }() + "]:\n";
  const std::string headers_unclosed = [&] {
    std::string t;
    while (t.size() < kSize) t += "goroutine 1 [running\n";
    return t + "goroutine 2 [running]:\n";
  }();
  const std::string parens = "goroutine 1 [running]:\n" + std::string(kSize, '(') + "\n";
  const std::string frames = [&] {
    std::string t = "goroutine 1 [running]:\n";
    while (t.size() < kSize) t += "f()\n\t/a.go:1\n";
    return t;
  }();
  for (const std::string* text : {&colons, &digits_and_colons, &parts, &labels, &marks, &headers_unclosed, &parens, &frames}) {
    // No time is asserted (tests never do): a quadratic scan of these lines would run past the
    // test's ctest timeout instead.
    const Snapshot s = parse_ok(*text);
    EXPECT_FALSE(s.goroutines.empty());
  }
  const Snapshot s = parse_ok(labels);
  EXPECT_GT(s.goroutines[0].labels.size(), 100000u);
  EXPECT_TRUE(parse_ok(marks).goroutines[0].leaked);
  EXPECT_EQ(parse_ok(frames).goroutines[0].frames.size(), static_cast<size_t>(std::count(frames.begin(), frames.end(), '\t')));
}

// Real dumps (testdata/snapshots/gen/generate.sh). IDs and lines are those of the committed run.

TEST(ParseDumpReal, DebugTwoProfile) {
  const Snapshot s = parse_ok(read_testdata("dump_blocked.txt"));
  ASSERT_THAT(ids(s), ElementsAre(1, 7, 8, 9, 10, 11, 12, 13, 14));
  EXPECT_FALSE(s.has_leak_marks);
  EXPECT_EQ(s.context.panic, "");

  const Goroutine& main = find(s, 1);
  EXPECT_EQ(main.state, "running");
  EXPECT_THAT(functions(main), ElementsAre("runtime/pprof.writeGoroutineStacks", "runtime/pprof.writeGoroutine",
                                           "runtime/pprof.(*Profile).WriteTo", "main.main"));
  EXPECT_EQ(main.frames[0].file, "runtime/pprof/pprof.go");
  EXPECT_EQ(main.frames[0].line, 819);
  EXPECT_EQ(main.creator_id, -1);

  const Goroutine& receiver = find(s, 7);
  EXPECT_EQ(receiver.state, "chan receive");
  EXPECT_EQ(receiver.line, 11u);
  EXPECT_THAT(functions(receiver), ElementsAre("main.receiver"));
  EXPECT_EQ(receiver.frames[0].file, "ctxtrail.test/snapshotgen/blocked/main.go");
  EXPECT_EQ(receiver.frames[0].line, 16);
  EXPECT_EQ(receiver.created_by.function, "main.main");
  EXPECT_EQ(receiver.created_by.line, 54);
  EXPECT_EQ(receiver.creator_id, 1);

  EXPECT_EQ(find(s, 8).state, "select");
  EXPECT_THAT(functions(find(s, 8)), ElementsAre("main.selector"));

  const Goroutine& locker = find(s, 9);
  EXPECT_EQ(locker.state, "sync.Mutex.Lock");
  EXPECT_THAT(functions(locker), ElementsAre("internal/sync.runtime_SemacquireMutex", "internal/sync.(*Mutex).lockSlow",
                                             "internal/sync.(*Mutex).Lock", "sync.(*Mutex).Lock", "main.locker"));
  EXPECT_EQ(locker.frames[4].line, 26);
  EXPECT_EQ(locker.created_by.line, 59);

  const Goroutine& waiter = find(s, 10);
  EXPECT_EQ(waiter.state, "sync.WaitGroup.Wait");
  EXPECT_THAT(functions(waiter), ElementsAre("sync.runtime_SemacquireWaitGroup", "sync.(*WaitGroup).Wait", "main.waiter"));

  const Goroutine& sleeper = find(s, 11);
  EXPECT_EQ(sleeper.state, "sleep");
  EXPECT_THAT(functions(sleeper), ElementsAre("time.Sleep", "main.sleeper"));
  EXPECT_EQ(sleeper.frames[0].file, "runtime/time.go");

  EXPECT_THAT(functions(find(s, 12)), ElementsAre("main.park[...]"));

  const Goroutine& pinned = find(s, 13);
  EXPECT_EQ(pinned.state, "chan receive");
  EXPECT_TRUE(pinned.locked_to_thread);

  const Goroutine& server = find(s, 14);
  EXPECT_EQ(server.state, "chan receive");
  EXPECT_THAT(server.labels, ElementsAre(std::pair<std::string, std::string>{"component", "server"},
                                         std::pair<std::string, std::string>{"request", "r-1"}));
  EXPECT_THAT(functions(server), ElementsAre("main.(*server).serve"));
  EXPECT_EQ(server.frames[0].line, 48);
  EXPECT_EQ(server.created_by.function, "main.main.func1");
  EXPECT_EQ(server.created_by.line, 71);
  EXPECT_EQ(server.creator_id, 1);
}

TEST(ParseDumpReal, GoroutineLeakProfile) {
  const Snapshot s = parse_ok(read_testdata("dump_leak.txt"));
  ASSERT_THAT(ids(s), ElementsAre(1, 19, 20));
  EXPECT_TRUE(s.has_leak_marks);
  const Goroutine& leaked = find(s, 19);
  EXPECT_TRUE(leaked.leaked);
  EXPECT_EQ(leaked.state, "chan send");
  EXPECT_THAT(functions(leaked), ElementsAre("main.produce"));
  EXPECT_EQ(leaked.frames[0].line, 12);
  EXPECT_EQ(leaked.created_by.function, "main.start");
  EXPECT_EQ(leaked.created_by.line, 17);
  EXPECT_EQ(leaked.creator_id, 1);
  EXPECT_FALSE(find(s, 20).leaked);
  EXPECT_EQ(find(s, 20).state, "chan receive");
  EXPECT_FALSE(find(s, 1).leaked);
}

TEST(ParseDumpReal, GoTestTimeout) {
  const Snapshot s = parse_ok(read_testdata("dump_test_timeout.txt"));
  EXPECT_EQ(s.context.panic, "test timed out after 2s");
  EXPECT_FALSE(s.context.fatal);
  EXPECT_THAT(s.context.running_tests, ElementsAre("TestHang"));
  ASSERT_THAT(ids(s), ElementsAre(5, 1, 20, 21));

  const Goroutine& alarm = find(s, 5);
  EXPECT_EQ(alarm.line, 8u);
  EXPECT_EQ(alarm.state, "running");
  EXPECT_THAT(functions(alarm), ElementsAre("testing.(*M).startAlarm.func1"));
  EXPECT_EQ(alarm.created_by.function, "time.goFunc");
  EXPECT_EQ(alarm.creator_id, -1);  // a timer's goroutine: no creator goroutine printed

  EXPECT_EQ(find(s, 1).frames.back().function, "main.main");
  EXPECT_EQ(find(s, 1).frames.back().file, "_testmain.go");
  EXPECT_EQ(find(s, 1).frames.back().line, 48);

  const Goroutine& test = find(s, 20);
  EXPECT_EQ(test.state, "sync.WaitGroup.Wait");
  EXPECT_THAT(functions(test), ElementsAre("sync.runtime_SemacquireWaitGroup", "sync.(*WaitGroup).Wait",
                                           "ctxtrail.test/snapshotgen/hang.TestHang", "testing.tRunner"));
  EXPECT_THAT(test.frames[2].file, EndsWith("/testdata/snapshots/gen/hang/hang_test.go"));
  EXPECT_EQ(test.frames[2].line, 20);
  EXPECT_EQ(test.created_by.function, "testing.(*T).Run");
  EXPECT_EQ(test.creator_id, 1);

  // The last block is followed by go test's "FAIL" lines: no frames of it.
  const Goroutine& helper = find(s, 21);
  EXPECT_EQ(helper.state, "chan receive");
  EXPECT_THAT(functions(helper), ElementsAre("ctxtrail.test/snapshotgen/hang.TestHang.func1"));
  EXPECT_EQ(helper.frames[0].line, 18);
  EXPECT_EQ(helper.created_by.function, "ctxtrail.test/snapshotgen/hang.TestHang");
  EXPECT_EQ(helper.created_by.line, 16);
  EXPECT_EQ(helper.creator_id, 20);
}

TEST(ParseDumpReal, Deadlock) {
  const Snapshot s = parse_ok(read_testdata("dump_deadlock.txt"));
  EXPECT_EQ(s.context.panic, "all goroutines are asleep - deadlock!");
  EXPECT_TRUE(s.context.fatal);
  ASSERT_THAT(ids(s), ElementsAre(1, 18));
  EXPECT_EQ(find(s, 1).state, "sync.WaitGroup.Wait");
  EXPECT_EQ(find(s, 1).line, 3u);
  const Goroutine& relay = find(s, 18);
  EXPECT_EQ(relay.state, "chan send");
  EXPECT_THAT(functions(relay), ElementsAre("main.relay", "main.main.func1"));
  EXPECT_THAT(relay.frames[0].file, EndsWith("/testdata/snapshots/gen/deadlock/main.go"));
  EXPECT_EQ(relay.frames[0].line, 9);
  EXPECT_EQ(relay.frames[1].line, 19);
  EXPECT_EQ(relay.created_by.function, "main.main");
  EXPECT_EQ(relay.created_by.line, 17);
  EXPECT_EQ(relay.creator_id, 1);
}

TEST(ParseDumpReal, PanicWithGotracebackSystem) {
  const Snapshot s = parse_ok(read_testdata("dump_panic_system.txt"));
  EXPECT_EQ(s.context.panic, "first");
  EXPECT_FALSE(s.context.fatal);
  ASSERT_THAT(ids(s), ElementsAre(1, 2, 17, 18, 3, 5));
  const Goroutine& main = find(s, 1);
  EXPECT_EQ(main.state, "running");
  EXPECT_THAT(functions(main), ElementsAre("panic", "main.main", "runtime.main", "runtime.goexit"));
  EXPECT_EQ(main.frames[0].file, "/usr/local/go/src/runtime/panic.go");
  EXPECT_EQ(main.frames[0].line, 879);
  EXPECT_EQ(main.frames[3].file, "/usr/local/go/src/runtime/asm_amd64.s");
  EXPECT_EQ(find(s, 2).state, "force gc (idle)");
  EXPECT_EQ(find(s, 17).state, "GC sweep wait");
  EXPECT_EQ(find(s, 18).state, "GC scavenge wait");
  EXPECT_EQ(find(s, 3).state, "GOMAXPROCS updater (idle)");
  EXPECT_EQ(find(s, 3).created_by.function, "runtime.defaultGOMAXPROCSUpdateEnable");
  const Goroutine& closure = find(s, 5);
  EXPECT_EQ(closure.state, "runnable");
  EXPECT_THAT(functions(closure), ElementsAre("main.main.func1", "runtime.goexit"));
  EXPECT_EQ(closure.frames[0].line, 18);
  EXPECT_EQ(closure.created_by.line, 18);
}

}  // namespace
}  // namespace ctxtrail::snapshot
