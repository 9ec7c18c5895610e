// The fuzz targets' ID shift (fuzz/id_shift.h): a shifted trace reads as the original, event for
// event, with every goroutine ID but "none" and every thread ID but "none" moved by the shift.
#include "../fuzz/id_shift.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "ctxtrail/trace/reader.h"

namespace ctxtrail::fuzz {
namespace {

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<trace::Event> read_all(std::string bytes) {
  auto r = trace::Reader::from_bytes(std::move(bytes), "t");
  EXPECT_TRUE(r.ok());
  std::vector<trace::Event> out;
  if (!r.ok()) return out;
  trace::Event ev;
  for (;;) {
    auto more = (*r)->next(ev);
    EXPECT_TRUE(more.ok()) << more.error().to_string();
    if (!more.ok() || !*more) break;
    out.push_back(ev);
  }
  return out;
}

TEST(IdShift, ShiftedTraceReadsAsTheOriginalWithItsIdsMoved) {
  for (const char* name : {"sched.trace", "annotations.trace", "go122-sched.trace"}) {
    const std::string bytes = slurp(std::string(CTXTRAIL_SOURCE_DIR) + "/testdata/traces/" + name);
    const int64_t g_shift = (int64_t{1} << 32) - 7;
    const uint64_t m_shift = 4194000;
    const auto shifted = shift_ids(bytes, g_shift, m_shift);
    ASSERT_TRUE(shifted.has_value()) << name;
    const auto want = read_all(bytes), got = read_all(*shifted);
    ASSERT_EQ(got.size(), want.size()) << name;
    ASSERT_GT(want.size(), 100u);
    auto g = [&](int64_t id) { return id <= 0 ? id : id + g_shift; };
    auto m = [&](int64_t id) { return id < 0 ? id : id + static_cast<int64_t>(m_shift); };
    for (size_t i = 0; i < want.size(); i++) {
      EXPECT_EQ(got[i].time, want[i].time) << name << " event " << i;
      EXPECT_EQ(got[i].kind, want[i].kind) << name << " event " << i;
      EXPECT_EQ(got[i].g, g(want[i].g)) << name << " event " << i;
      EXPECT_EQ(got[i].m, m(want[i].m)) << name << " event " << i;
      if (want[i].resource == trace::ResourceKind::Goroutine) {
        EXPECT_EQ(got[i].resource_id, g(want[i].resource_id)) << name << " event " << i;
      }
    }
  }
}

TEST(IdShift, UnwalkableInputIsRefused) {
  EXPECT_FALSE(shift_ids(std::string("go 1.26 trace\0\0\0\x07", 17), 5, 0).has_value());
  EXPECT_FALSE(shift_ids("short", 5, 0).has_value());
}

}  // namespace
}  // namespace ctxtrail::fuzz
