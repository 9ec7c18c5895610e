// The message grammar of docs/trail-events.md: every event, escaping, forward compatibility,
// and malformed input (each case says what it guards).
#include "ctxtrail/model/context_events.h"

#include <gtest/gtest.h>

namespace ctxtrail::model {
namespace {

TEST(TrailMessage, NewWithEveryField) {
  auto r = parse_trail_message("new 2 1 timeout 1764081000123456789 n 0 main.serve /src/app/main.go 20");
  ASSERT_EQ(r.status, TrailParse::Ok) << r.problem;
  const TrailEvent& e = r.event;
  EXPECT_EQ(e.kind, TrailEventKind::New);
  EXPECT_EQ(e.id, 2u);
  EXPECT_EQ(e.parent, 1u);
  EXPECT_EQ(e.ctx_kind, "timeout");
  EXPECT_EQ(e.deadline, 1764081000123456789);
  EXPECT_EQ(e.flags, "n");
  EXPECT_EQ(e.ambient, 0u);
  EXPECT_EQ(e.site.function, "main.serve");
  EXPECT_EQ(e.site.file, "/src/app/main.go");
  EXPECT_EQ(e.site.line, 20u);
}

TEST(TrailMessage, EmptyFlagsAreDash) {
  auto r = parse_trail_message("new 4 0 background 0 - 3 main.worker.func1 /src/app/worker.go 41");
  ASSERT_EQ(r.status, TrailParse::Ok);
  EXPECT_EQ(r.event.flags, "");
  EXPECT_EQ(r.event.ambient, 3u);
}

TEST(TrailMessage, NegativeDeadlineIsANumber) {
  auto r = parse_trail_message("new 5 1 deadline -12 - 0 f /a.go 1");
  ASSERT_EQ(r.status, TrailParse::Ok);
  EXPECT_EQ(r.event.deadline, -12);
}

TEST(TrailMessage, CancelCauseIsUnescaped) {
  auto r = parse_trail_message(
      "cancel 3 own 0 canceled - main.worker /src/app/worker.go 52 db%20closed:%20100%25%20done");
  ASSERT_EQ(r.status, TrailParse::Ok);
  EXPECT_EQ(r.event.kind, TrailEventKind::Cancel);
  EXPECT_EQ(r.event.reason, "own");
  EXPECT_EQ(r.event.err, "canceled");
  EXPECT_EQ(r.event.cause, "db closed: 100% done");
  EXPECT_EQ(r.event.site.line, 52u);
}

TEST(TrailMessage, CancelWithoutSiteHasEmptyStrings) {
  auto r = parse_trail_message("cancel 2 deadline 0 deadline r - - 0 context%20deadline%20exceeded");
  ASSERT_EQ(r.status, TrailParse::Ok);
  EXPECT_EQ(r.event.flags, "r");
  EXPECT_TRUE(r.event.site.function.empty());
  EXPECT_TRUE(r.event.site.file.empty());
  EXPECT_EQ(r.event.cause, "context deadline exceeded");
}

TEST(TrailMessage, WatchErrseenLateAfterAfterrun) {
  auto w = parse_trail_message("watch 2 main.worker /src/app/worker.go 33");
  ASSERT_EQ(w.status, TrailParse::Ok);
  EXPECT_EQ(w.event.kind, TrailEventKind::Watch);
  auto e = parse_trail_message("errseen 2 deadline main.worker /src/app/worker.go 60");
  ASSERT_EQ(e.status, TrailParse::Ok);
  EXPECT_EQ(e.event.err, "deadline");
  auto l = parse_trail_message("late 2 canceled main.serve /src/app/main.go 27");
  ASSERT_EQ(l.status, TrailParse::Ok);
  EXPECT_EQ(l.event.kind, TrailEventKind::Late);
  auto a = parse_trail_message("after 7 3 main.main /m.go 9");
  ASSERT_EQ(a.status, TrailParse::Ok);
  EXPECT_EQ(a.event.id, 7u);
  EXPECT_EQ(a.event.after_id, 3u);
  auto ar = parse_trail_message("afterrun 7 3");
  ASSERT_EQ(ar.status, TrailParse::Ok);
  EXPECT_EQ(ar.event.kind, TrailEventKind::AfterRun);
}

// The string "-" itself is written %2D; an empty string is "-".
TEST(TrailMessage, DashAndEmptyStrings) {
  EXPECT_EQ(unescape_trail_string("-"), "");
  EXPECT_EQ(unescape_trail_string("%2D"), "-");
  EXPECT_EQ(unescape_trail_string("a%0Ab%09c%7F"), "a\nb\tc\x7f");
  EXPECT_EQ(unescape_trail_string("h%C3%A9llo"), "h\xc3\xa9llo");
  EXPECT_EQ(unescape_trail_string("héllo"), "héllo");  // UTF-8 is written unchanged
}

// Escapes cut short at the end of a field or with non-hex digits are not silently accepted.
TEST(TrailMessage, BadEscapesAreRejected) {
  EXPECT_FALSE(unescape_trail_string("abc%"));
  EXPECT_FALSE(unescape_trail_string("abc%4"));
  EXPECT_FALSE(unescape_trail_string("%GG"));
  auto r = parse_trail_message("watch 2 main.w%2 /a.go 3");
  EXPECT_EQ(r.status, TrailParse::Malformed);
  EXPECT_EQ(r.problem, "watch: field 2 (site): bad value 'main.w%2'");
}

// Forward compatibility: unknown first tokens are ignored, extra trailing fields too.
TEST(TrailMessage, UnknownEventsAndExtraFieldsAreIgnored) {
  EXPECT_EQ(parse_trail_message("value 3 key").status, TrailParse::Unknown);
  EXPECT_EQ(parse_trail_message("").status, TrailParse::Unknown);
  auto r = parse_trail_message("watch 2 main.worker /a.go 33 extra fields 9");
  ASSERT_EQ(r.status, TrailParse::Ok);
  EXPECT_EQ(r.event.site.line, 33u);
}

TEST(TrailMessage, MalformedFieldsSayWhich) {
  auto missing = parse_trail_message("new 2 1 cancel 0 -");
  EXPECT_EQ(missing.status, TrailParse::Malformed);
  EXPECT_EQ(missing.problem, "new: field 6 (ambient): missing");
  auto notnum = parse_trail_message("new x 1 cancel 0 - 0 f /a.go 1");
  EXPECT_EQ(notnum.problem, "new: field 1 (id): bad value 'x'");
  auto neg = parse_trail_message("watch -2 f /a.go 1");
  EXPECT_EQ(neg.status, TrailParse::Malformed);
  auto plus = parse_trail_message("watch +2 f /a.go 1");
  EXPECT_EQ(plus.status, TrailParse::Malformed);
  auto badline = parse_trail_message("watch 2 f /a.go 1x");
  EXPECT_EQ(badline.status, TrailParse::Malformed);
  auto doublespace = parse_trail_message("watch  2 f /a.go 1");
  EXPECT_EQ(doublespace.status, TrailParse::Malformed);
  auto emptyflag = parse_trail_message("new 2 1 cancel 0  0 f /a.go 1");
  EXPECT_EQ(emptyflag.status, TrailParse::Malformed);
  auto overflow = parse_trail_message("watch 18446744073709551616 f /a.go 1");
  EXPECT_EQ(overflow.status, TrailParse::Malformed);
}

}  // namespace
}  // namespace ctxtrail::model
