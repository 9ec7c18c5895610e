// The debug=1 text form, one format fact or broken input per test.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ctxtrail/snapshot/snapshot.h"
#include "snapshot/go_quoted.h"

namespace ctxtrail::snapshot {
namespace {

using Labels = std::vector<std::pair<std::string, std::string>>;

Result<Snapshot> parse(const std::string& text) { return parse_profile(text, "p.txt"); }

std::string error_of(const std::string& text) {
  Result<Snapshot> r = parse(text);
  return r.ok() ? "(parsed)" : r.error().to_string();
}

constexpr const char* kTwoRecords =
    "goroutine profile: total 4\n"
    "3 @ 0x48056e 0x4159ee 0x4ed81f\n"
    "#\t0x4ed81e\tmain.receive+0x3e\t/src/app/main.go:31\n"
    "#\t0x4ed805\tmain.worker+0x25\t/src/app/main.go:36\n"
    "\n"
    "1 @ 0x48056e 0x4ee313\n"
    "# labels: {\"role\":\"consumer\", \"shard\":\"1\"}\n"
    "#\t0x4ee312\tmain.labelled.func1+0x32\t\t/src/app/main.go:56\n"
    "#\t0x4e3a4b\truntime/pprof.Do+0x8b\t\t\truntime/pprof/runtime.go:57\n"
    "\n";

TEST(ProfileText, RecordsFramesAndLabels) {
  Result<Snapshot> r = parse(kTwoRecords);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->kind, Kind::Profile);
  EXPECT_EQ(r->source, "p.txt");
  ASSERT_EQ(r->goroutines.size(), 2u);
  const Goroutine& a = r->goroutines[0];
  EXPECT_EQ(a.count, 3u);
  EXPECT_EQ(a.line, 2u);
  EXPECT_EQ(a.id, -1);
  EXPECT_FALSE(a.leaked);
  ASSERT_EQ(a.frames.size(), 2u);
  EXPECT_EQ(a.frames[0].function, "main.receive");
  EXPECT_EQ(a.frames[0].file, "/src/app/main.go");
  EXPECT_EQ(a.frames[0].line, 31);
  EXPECT_EQ(a.frames[1].function, "main.worker");
  EXPECT_EQ(a.frames[1].line, 36);
  const Goroutine& b = r->goroutines[1];
  EXPECT_EQ(b.count, 1u);
  EXPECT_EQ(b.line, 6u);
  EXPECT_EQ(b.labels, (Labels{{"role", "consumer"}, {"shard", "1"}}));
  ASSERT_EQ(b.frames.size(), 2u);
  EXPECT_EQ(b.frames[1].function, "runtime/pprof.Do");
  EXPECT_EQ(b.frames[1].file, "runtime/pprof/runtime.go");
  EXPECT_EQ(b.frames[1].line, 57);
}

TEST(ProfileText, LeakHeaderMarksEveryRecordLeaked) {
  Result<Snapshot> r = parse("goroutineleak profile: total 1\n1 @ 0x1\n#\t0x1\tmain.leak+0x44\tmain.go:64\n");
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->kind, Kind::LeakProfile);
  ASSERT_EQ(r->goroutines.size(), 1u);
  EXPECT_TRUE(r->goroutines[0].leaked);
  EXPECT_EQ(r->goroutines[0].frames[0].function, "main.leak");
}

TEST(ProfileText, CrlfAndLeadingBlankLines) {
  Result<Snapshot> r = parse("\r\n\r\ngoroutine profile: total 1\r\n1 @ 0x1\r\n#\t0x1\tmain.f+0x1\tmain.go:7\r\n\r\n");
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  ASSERT_EQ(r->goroutines.size(), 1u);
  EXPECT_EQ(r->goroutines[0].line, 4u);
  EXPECT_EQ(r->goroutines[0].frames[0].file, "main.go");
  EXPECT_EQ(r->goroutines[0].frames[0].line, 7);
}

TEST(ProfileText, FrameWithoutSymbolIsNamedByItsPc) {
  Result<Snapshot> r = parse("goroutine profile: total 1\n1 @ 0x4d9f71\n#\t0x4d9f70\n");
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  ASSERT_EQ(r->goroutines[0].frames.size(), 1u);
  EXPECT_EQ(r->goroutines[0].frames[0].function, "0x4d9f70");
  EXPECT_EQ(r->goroutines[0].frames[0].file, "");
  EXPECT_EQ(r->goroutines[0].frames[0].line, 0);
}

// The file is everything after the function up to the last colon: blanks and a drive letter
// stay in it. Generic instantiations keep their brackets.
TEST(ProfileText, FileNamesWithBlanksAndColons) {
  Result<Snapshot> r = parse("goroutine profile: total 1\n1 @ 0x1\n#\t0x1\tmain.Map[...]+0x10\tC:/my app/main.go:12\n");
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->goroutines[0].frames[0].function, "main.Map[...]");
  EXPECT_EQ(r->goroutines[0].frames[0].file, "C:/my app/main.go");
  EXPECT_EQ(r->goroutines[0].frames[0].line, 12);
}

TEST(ProfileText, LabelsAreUnquotedAsGoQuotedThem) {
  Result<Snapshot> r = parse(
      "goroutine profile: total 1\n1 @ 0x1\n"
      "# labels: {\"a\\\"b\":\"\\u00e9\\x41\\101\\n\", \"empty\":\"\"}\n");
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->goroutines[0].labels, (Labels{{"a\"b", "\xc3\xa9" "AA\n"}, {"empty", ""}}));

  Result<Snapshot> none = parse("goroutine profile: total 1\n1 @ 0x1\n# labels: {}\n");
  ASSERT_TRUE(none.ok()) << none.error().to_string();
  EXPECT_TRUE(none->goroutines[0].labels.empty());
}

TEST(ProfileText, RecordCutOffAtTheEndIsKept) {
  Result<Snapshot> r = parse("goroutine profile: total 5\n5 @ 0x1 0x2\n#\t0x1\tmain.f+0x1\tmain.go:3");
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  ASSERT_EQ(r->goroutines.size(), 1u);
  EXPECT_EQ(r->goroutines[0].count, 5u);
  EXPECT_EQ(r->goroutines[0].frames.size(), 1u);
}

TEST(ProfileText, ErrorsNameTheLineAndWhatWasExpected) {
  // Not a text profile at all: read as protobuf, which says so.
  EXPECT_NE(error_of("goroutine 1 [running]:\n").find("malformed pprof profile"), std::string::npos);
  EXPECT_EQ(error_of("goroutine profile: total many\n"),
            "p.txt: line 1: expected the number of goroutines after \"total \"");
  EXPECT_EQ(error_of("\ngoroutine profile: total 1\n#\t0x1\tmain.f+0x1\tmain.go:3\n"),
            "p.txt: line 3: expected a record \"COUNT @ PC...\" before its frames");
  EXPECT_EQ(error_of("goroutine profile: total 1\n# labels: {}\n"),
            "p.txt: line 2: expected a record \"COUNT @ PC...\" before its labels");
  EXPECT_EQ(error_of("goroutine profile: total 1\n1 @ 0x1\n#\t0x1\tmain.f+0x1\tmain.go\n"),
            "p.txt: line 3: expected a frame \"#\\tPC\\tFUNCTION+OFFSET\\tFILE:LINE\" or \"#\\tPC\"");
  EXPECT_EQ(error_of("goroutine profile: total 1\n1 @ 0x1\n# labels: {\"k\":v}\n"),
            "p.txt: line 3: expected labels like {\"key\":\"value\", ...} after \"# labels: \"");
  EXPECT_EQ(error_of("goroutine profile: total 1\n1 @ 0x1\n\nthree @ 0x1\n"),
            "p.txt: line 4: expected a record \"COUNT @ PC...\", a frame \"#\\tPC\\tFUNCTION+OFFSET\\tFILE:LINE\" "
            "or a blank line");
  EXPECT_EQ(error_of("goroutine profile: total 1\n99999999999999999999 @ 0x1\n"),
            "p.txt: line 2: expected a record \"COUNT @ PC...\", a frame \"#\\tPC\\tFUNCTION+OFFSET\\tFILE:LINE\" "
            "or a blank line");
}

TEST(GoQuoted, ReadsOneLiteralAndLeavesTheRest) {
  std::string_view in = "\"a\\tb\":rest";
  EXPECT_EQ(read_go_quoted(in), "a\tb");
  EXPECT_EQ(in, ":rest");
  std::string_view astral = "\"\\U0001F600\"";
  EXPECT_EQ(read_go_quoted(astral), "\xF0\x9F\x98\x80");
}

TEST(GoQuoted, RejectsWhatGoWouldNot) {
  for (std::string_view bad : {"", "x", "\"open", "\"\\q\"", "\"\\x4\"", "\"\\400\"", "\"\\uD800\"",
                               "\"\\U00110000\"", "\"a\nb\"", "\"\\"}) {
    std::string_view in = bad;
    EXPECT_FALSE(read_go_quoted(in).has_value()) << bad;
    EXPECT_EQ(in, bad);
  }
}

}  // namespace
}  // namespace ctxtrail::snapshot
