// The text of several processes says how each one's clock was aligned and how far off it may
// be, whatever its trace keeps: Go 1.25+ clock snapshots, trail's `proc` alone (a Go 1.22
// trace: the tests drop the snapshots, Go 1.22 is not installable here), or neither (the
// requests bound it).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

#include "ctxtrail/render/processes.h"

namespace ctxtrail::render {
namespace {

using ::testing::HasSubstr;

enum class Wall { All, NoSnapshots, NoWall };

std::string text_of(const std::vector<Wall>& walls) {
  std::vector<analysis::Analysis> analyses;
  std::vector<std::string> files;
  const char* names[] = {"client", "gateway", "backend"};
  for (size_t i = 0; i < walls.size(); ++i) {
    files.push_back(std::string(CTXTRAIL_SOURCE_DIR) + "/testdata/xproc/traces/clean/" + names[i] + ".trace.gz");
    auto a = analysis::analyze(files.back(), {});
    EXPECT_TRUE(a.ok()) << files.back();
    if (walls[i] != Wall::All) a->contexts.remote.clocks.clear();
    if (walls[i] == Wall::NoWall) a->contexts.remote.stamps.clear();
    analyses.push_back(std::move(a.value()));
  }
  std::ostringstream out;
  render_processes_text(analysis::join_processes(std::move(analyses), files, {}), out);
  return out.str();
}

TEST(ProcessesText, SaysWhichAlignmentAndItsUncertainty) {
  EXPECT_THAT(text_of({Wall::All, Wall::All, Wall::All}), HasSubstr("clock-snapshot, wall = trace time + "));
  const std::string proc = text_of({Wall::NoSnapshots, Wall::NoSnapshots, Wall::NoSnapshots});
  EXPECT_THAT(proc, HasSubstr("proc, wall = trace time + "));
  EXPECT_THAT(proc, HasSubstr("±100µs"));  // the floor of proc's uncertainty
  EXPECT_THAT(proc, ::testing::Not(HasSubstr("clock-snapshot")));
  const std::string requests = text_of({Wall::NoSnapshots, Wall::NoWall, Wall::NoWall});
  EXPECT_THAT(requests, HasSubstr("requests, wall = trace time + "));
  EXPECT_THAT(requests, HasSubstr("a lower bound (requests one way only"));
  EXPECT_THAT(requests, HasSubstr(" pairs"));
}

}  // namespace
}  // namespace ctxtrail::render
