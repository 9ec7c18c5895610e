/// LineCursor: line ends, numbering and the one-line lookahead.
#include "snapshot/line_cursor.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace ctxtrail::snapshot {
namespace {

std::vector<std::string> all_lines(std::string_view text) {
  std::vector<std::string> out;
  for (LineCursor lines(text); !lines.done(); lines.next()) {
    EXPECT_EQ(lines.number(), out.size() + 1);
    out.emplace_back(lines.line());
  }
  return out;
}

TEST(LineCursor, LineEnds) {
  EXPECT_EQ(all_lines(""), std::vector<std::string>{});
  EXPECT_EQ(all_lines("\n"), std::vector<std::string>{""});
  EXPECT_EQ(all_lines("a\nb"), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(all_lines("a\nb\n"), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(all_lines("a\r\n\r\nb\r\n"), (std::vector<std::string>{"a", "", "b"}));
  // Only the "\r" of "\r\n" goes; a lone "\r" inside a line stays.
  EXPECT_EQ(all_lines("a\rb\n\r"), (std::vector<std::string>{"a\rb", ""}));
}

TEST(LineCursor, Lookahead) {
  LineCursor lines("one\ntwo\nthree");
  ASSERT_TRUE(lines.has_ahead());
  EXPECT_EQ(lines.ahead(), "two");
  EXPECT_EQ(lines.line(), "one");
  lines.next();
  EXPECT_EQ(lines.line(), "two");
  EXPECT_EQ(lines.number(), 2u);
  EXPECT_EQ(lines.ahead(), "three");
  lines.next();
  EXPECT_FALSE(lines.has_ahead());
  EXPECT_EQ(lines.ahead(), "");
  lines.next();
  EXPECT_TRUE(lines.done());
  lines.next();  // past the end: stays done
  EXPECT_TRUE(lines.done());
}

}  // namespace
}  // namespace ctxtrail::snapshot
