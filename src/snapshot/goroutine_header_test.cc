/// Goroutine header lines: every decoration the runtime prints in the brackets, the crash
/// fields before them, labels, and lines that only look like headers.
#include "snapshot/goroutine_header.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace ctxtrail::snapshot {
namespace {

Goroutine header(std::string_view line) {
  Goroutine g;
  EXPECT_TRUE(parse_goroutine_header(line, g)) << line;
  return g;
}

bool is_header(std::string_view line) {
  Goroutine g;
  return parse_goroutine_header(line, g);
}

TEST(GoroutineHeader, PlainStates) {
  for (std::string_view state : {"running", "runnable", "IO wait", "semacquire", "sync.WaitGroup.Wait",
                                 "chan receive (nil chan)", "select (no cases)", "GOMAXPROCS updater (idle)"}) {
    const Goroutine g = header("goroutine 42 [" + std::string(state) + "]:");
    EXPECT_EQ(g.id, 42);
    EXPECT_EQ(g.state, state);
    EXPECT_EQ(g.wait_minutes, 0);
    EXPECT_FALSE(g.leaked);
    EXPECT_FALSE(g.locked_to_thread);
    EXPECT_TRUE(g.labels.empty());
  }
}

TEST(GoroutineHeader, MinutesAndLockedToThread) {
  Goroutine g = header("goroutine 7 [chan receive, 42 minutes]:");
  EXPECT_EQ(g.state, "chan receive");
  EXPECT_EQ(g.wait_minutes, 42);
  g = header("goroutine 8 [syscall, 3 minutes]:");
  EXPECT_EQ(g.state, "syscall");
  EXPECT_EQ(g.wait_minutes, 3);
  g = header("goroutine 9 [select, locked to thread]:");
  EXPECT_EQ(g.state, "select");
  EXPECT_TRUE(g.locked_to_thread);
  EXPECT_EQ(g.wait_minutes, 0);
  g = header("goroutine 10 [select, 1 minutes, locked to thread]:");
  EXPECT_EQ(g.wait_minutes, 1);
  EXPECT_TRUE(g.locked_to_thread);
}

TEST(GoroutineHeader, MarksAreNotPartOfTheState) {
  Goroutine g = header("goroutine 7 [chan receive (leaked)]:");
  EXPECT_EQ(g.state, "chan receive");
  EXPECT_TRUE(g.leaked);
  g = header("goroutine 7 [chan send (leaked), 12 minutes]:");
  EXPECT_EQ(g.state, "chan send");
  EXPECT_TRUE(g.leaked);
  EXPECT_EQ(g.wait_minutes, 12);
  g = header("goroutine 3 [select (scan)]:");
  EXPECT_EQ(g.state, "select");
  EXPECT_FALSE(g.leaked);
  g = header("goroutine 3 [sync.Cond.Wait (leaked) (scan)]:");
  EXPECT_EQ(g.state, "sync.Cond.Wait");
  EXPECT_TRUE(g.leaked);
}

TEST(GoroutineHeader, SynctestBubble) {
  Goroutine g = header("goroutine 21 [chan receive (durable), synctest bubble 3]:");
  EXPECT_EQ(g.state, "chan receive");
  g = header("goroutine 22 [sleep (durable), 2 minutes, locked to thread, synctest bubble 3]:");
  EXPECT_EQ(g.state, "sleep");
  EXPECT_EQ(g.wait_minutes, 2);
  EXPECT_TRUE(g.locked_to_thread);
  g = header("goroutine 23 [running, synctest bubble 1]:");
  EXPECT_EQ(g.state, "running");
}

TEST(GoroutineHeader, CrashFieldsBeforeTheStatus) {
  Goroutine g = header("goroutine 1 gp=0xc000002380 m=0 mp=0x5a7e20 [running]:");
  EXPECT_EQ(g.id, 1);
  EXPECT_EQ(g.state, "running");
  g = header("goroutine 17 gp=0x36abc9a00000 m=nil [force gc (idle)]:");
  EXPECT_EQ(g.id, 17);
  EXPECT_EQ(g.state, "force gc (idle)");
}

TEST(GoroutineHeader, Labels) {
  using Labels = std::vector<std::pair<std::string, std::string>>;
  Goroutine g = header(R"(goroutine 14 [chan receive labels:{"component": "server", "request": "r-1"}]:)");
  EXPECT_EQ(g.state, "chan receive");
  EXPECT_EQ(g.labels, (Labels{{"component", "server"}, {"request", "r-1"}}));
  // The runtime's escapes, and brackets and colons inside the quotes.
  g = header(R"(goroutine 5 [select, 3 minutes labels:{"a\tb": "x\n\"y\"\\", "k]:": "\u03a3\x1b\U00045678"}]:)");
  EXPECT_EQ(g.state, "select");
  EXPECT_EQ(g.wait_minutes, 3);
  EXPECT_EQ(g.labels, (Labels{{"a\tb", "x\n\"y\"\\"}, {"k]:", "\xCE\xA3\x1b\xF1\x85\x99\xB8"}}));
  // Broken labels keep the pairs before the break; the header still counts.
  g = header(R"(goroutine 6 [select labels:{"ok": "1", "bad": "\q"}]:)");
  EXPECT_EQ(g.labels, (Labels{{"ok", "1"}}));
  g = header(R"(goroutine 6 [select labels:{"unterminated]:)");
  EXPECT_TRUE(g.labels.empty());
  EXPECT_EQ(g.state, "select");
}

TEST(GoroutineHeader, LinesThatAreNoHeader) {
  EXPECT_FALSE(is_header("goroutine 5 started"));
  EXPECT_FALSE(is_header("goroutine [running]:"));
  EXPECT_FALSE(is_header("goroutine 12abc [running]:"));
  EXPECT_FALSE(is_header("goroutine 1 [running]"));
  EXPECT_FALSE(is_header("goroutine 1 [running]: trailing"));
  EXPECT_FALSE(is_header(" goroutine 1 [running]:"));
  EXPECT_FALSE(is_header("Goroutine 1 [running]:"));
  EXPECT_FALSE(is_header("goroutine 1 running]:"));
  EXPECT_FALSE(is_header("goroutine 1234567890123456789 [running]:"));  // past 18 digits
  EXPECT_FALSE(is_header("goroutine 1 [:"));
  EXPECT_TRUE(is_header("goroutine 123456789012345678 [running]:"));
  EXPECT_TRUE(is_header("goroutine 0 []:"));
}

}  // namespace
}  // namespace ctxtrail::snapshot
