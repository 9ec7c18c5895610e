/// Frame, source and "created by" lines of a dump.
#include "snapshot/dump_frame.h"

#include <gtest/gtest.h>

namespace ctxtrail::snapshot {
namespace {

TEST(FrameFunction, StripsTheArgumentListOnly) {
  EXPECT_EQ(frame_function("main.main()"), "main.main");
  EXPECT_EQ(frame_function("main.worker(0xc000010000, 0x1)"), "main.worker");
  EXPECT_EQ(frame_function("main.relay(...)"), "main.relay");
  EXPECT_EQ(frame_function("net/http.(*conn).serve(0xc000110000, {0x8a1f40, 0xc0000a6000})"),
            "net/http.(*conn).serve");
  EXPECT_EQ(frame_function("main.park[...](0x0?)"), "main.park[...]");
  EXPECT_EQ(frame_function("main.(*Pool[...]).Get.func1(...)"), "main.(*Pool[...]).Get.func1");
  EXPECT_EQ(frame_function("panic({0x483720?, 0x36abc9966040?})"), "panic");
  EXPECT_EQ(frame_function("gopkg.in/yaml%2ev3.(*parser).parse(0xc0001)"), "gopkg.in/yaml%2ev3.(*parser).parse");
  // cgo symbolizer output names the C function without an argument list.
  EXPECT_EQ(frame_function("myCFunction"), "myCFunction");
  EXPECT_EQ(frame_function("(...)"), "");
}

TEST(FrameFunction, CutOffLine) {
  EXPECT_EQ(cut_frame_function("main.worker(0xc0000"), "main.worker");
  EXPECT_EQ(cut_frame_function("net/http.(*conn).serve(0xc0"), "net/http.(*conn).serve");
  EXPECT_EQ(cut_frame_function("main.wor"), "");
}

TEST(SourceLine, FileAndLine) {
  SourceLine s = parse_source_line("/usr/local/go/src/net/http/server.go:2089 +0x8a5");
  EXPECT_EQ(s.file, "/usr/local/go/src/net/http/server.go");
  EXPECT_EQ(s.line, 2089);
  s = parse_source_line("/app/main.go:16");  // inlined: no offset
  EXPECT_EQ(s.file, "/app/main.go");
  EXPECT_EQ(s.line, 16);
  s = parse_source_line("/app/main.go:19 +0xf8 fp=0x1817079b6748 sp=0x1817079b66f8 pc=0x47ac98");
  EXPECT_EQ(s.file, "/app/main.go");
  EXPECT_EQ(s.line, 19);
  s = parse_source_line("C:/Users/dev/My Project/main.go:12 +0x1d");
  EXPECT_EQ(s.file, "C:/Users/dev/My Project/main.go");
  EXPECT_EQ(s.line, 12);
  s = parse_source_line("_testmain.go:48 +0x9b");
  EXPECT_EQ(s.file, "_testmain.go");
  EXPECT_EQ(s.line, 48);
  s = parse_source_line("/odd:12 dir/x.go:5 +0x1");
  EXPECT_EQ(s.file, "/odd:12 dir/x.go");
  EXPECT_EQ(s.line, 5);
}

TEST(SourceLine, NoneNamed) {
  for (std::string_view line : {"", "pc=0x4a5f1c", "/app/ma", "/app/main.go:", "/app/main.go:x +0x1", ":12",
                                "/app/main.go:12345678901234567890"}) {
    const SourceLine s = parse_source_line(line);
    EXPECT_EQ(s.file, "") << line;
    EXPECT_EQ(s.line, 0) << line;
  }
}

TEST(CreatedBy, WithAndWithoutCreator) {
  std::optional<CreatedBy> c = parse_created_by("created by main.main in goroutine 1");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->function, "main.main");
  EXPECT_EQ(c->creator_id, 1);
  c = parse_created_by("created by testing.(*T).Run in goroutine 20");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->function, "testing.(*T).Run");
  EXPECT_EQ(c->creator_id, 20);
  c = parse_created_by("created by time.goFunc");  // before Go 1.21, and ancestors' creators
  ASSERT_TRUE(c);
  EXPECT_EQ(c->function, "time.goFunc");
  EXPECT_EQ(c->creator_id, -1);
  c = parse_created_by("created by main.main in goroutine x");
  ASSERT_TRUE(c);
  EXPECT_EQ(c->function, "main.main in goroutine x");
  EXPECT_EQ(c->creator_id, -1);
  EXPECT_FALSE(parse_created_by("main.main()"));
}

}  // namespace
}  // namespace ctxtrail::snapshot
