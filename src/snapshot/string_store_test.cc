/// StringStore: one copy of each distinct string, views that never move; and the Snapshot
/// contract built on it: a parsed Snapshot (and each copy of it) holds no view of its input.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "ctxtrail/snapshot/snapshot.h"
#include "ctxtrail/snapshot/string_store.h"

namespace ctxtrail::snapshot {
namespace {

TEST(StringStore, EqualStringsShareOneCopyThatOutlivesTheirSource) {
  StringStore store;
  std::string a = "net/http.(*conn).serve";
  const std::string_view kept = store.intern(a);
  EXPECT_NE(kept.data(), a.data());
  a.assign(a.size(), 'x');  // the source changes; the kept copy does not
  EXPECT_EQ(kept, "net/http.(*conn).serve");
  const std::string_view again = store.intern(std::string("net/http.(*conn).serve"));
  EXPECT_EQ(again.data(), kept.data());
  EXPECT_EQ(store.size(), 1u);
  EXPECT_NE(store.intern("net/http.(*conn).serv").data(), kept.data());  // a prefix is another string
  EXPECT_EQ(store.size(), 2u);
  EXPECT_TRUE(store.intern("").empty());
}

TEST(StringStore, ViewsStayPutAsTheStoreGrows) {
  StringStore store;
  std::vector<std::string_view> kept;
  // 20,000 strings of 1 to 305 bytes: the table grows many times and the text spreads over
  // many blocks, each one's tail left when the next string does not fit.
  for (int i = 0; i < 20000; ++i) kept.push_back(store.intern(std::to_string(i) + std::string(i % 301, 'a')));
  EXPECT_EQ(store.size(), 20000u);
  for (int i = 0; i < 20000; ++i) {
    const std::string text = std::to_string(i) + std::string(i % 301, 'a');
    ASSERT_EQ(kept[static_cast<size_t>(i)], text);
    ASSERT_EQ(store.intern(text).data(), kept[static_cast<size_t>(i)].data());
  }
  EXPECT_EQ(store.size(), 20000u);
}

TEST(StringStore, AStringLongerThanABlock) {
  StringStore store;
  const std::string big(1 << 20, 'z');
  const std::string_view small = store.intern("main.f");
  const std::string_view kept = store.intern(big);
  EXPECT_EQ(kept, big);
  EXPECT_EQ(store.intern("main.g").data(), small.data() + small.size());  // the open block goes on
  EXPECT_EQ(store.intern(big).data(), kept.data());
}

TEST(SnapshotStrings, AParsedSnapshotHoldsNoViewOfItsInput) {
  auto text = std::make_unique<std::string>(
      "goroutine 7 [chan receive]:\n"
      "main.worker(0xc000010000)\n"
      "\t/app/worker.go:23 +0x45\n"
      "created by main.main in goroutine 1\n"
      "\t/app/main.go:8 +0x5e\n");
  Result<Snapshot> r = parse_dump(*text, "dump.txt");
  ASSERT_TRUE(r.ok());
  text->assign(text->size(), '#');
  text.reset();
  const Snapshot copy = [&] {
    Snapshot moved = std::move(r.value());
    return Snapshot(moved);  // the copy shares the store; the original dies here
  }();
  ASSERT_EQ(copy.goroutines.size(), 1u);
  const Goroutine& g = copy.goroutines[0];
  ASSERT_EQ(g.frames.size(), 1u);
  EXPECT_EQ(g.frames[0].function, "main.worker");
  EXPECT_EQ(g.frames[0].file, "/app/worker.go");
  EXPECT_EQ(g.created_by.function, "main.main");
  EXPECT_EQ(g.created_by.file, "/app/main.go");
  EXPECT_EQ(copy.strings->intern("main.worker").data(), g.frames[0].function.data());
}

TEST(SnapshotStrings, KeepGivesFramesMadeByHandTheirOwnText) {
  Snapshot s;
  Goroutine g;
  g.frames.push_back(Frame{s.keep(std::string("main.") + "built"), s.keep(std::string("/app/") + "b.go"), 3});
  s.goroutines.push_back(g);
  EXPECT_EQ(s.goroutines[0].frames[0].function, "main.built");
  EXPECT_EQ(s.goroutines[0].frames[0].file, "/app/b.go");
}

}  // namespace
}  // namespace ctxtrail::snapshot
