/// read_snapshot on files: a dump bigger than a few release steps (file_bytes.h: the mapped
/// pages are dropped behind each pass and read again by the next) reads exactly as parse_dump
/// reads the same text from memory; gzip and missing files.
#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "ctxtrail/snapshot/snapshot.h"
#include "snapshot/dump_text.h"

namespace ctxtrail::snapshot {
namespace {

std::string temp_path(const std::string& name) {
  const std::string file = "ctxtrail_input_test_" + std::to_string(::getpid()) + name;
  return (std::filesystem::temp_directory_path() / file).string();
}

void write_file(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
  ASSERT_TRUE(out.good()) << path;
}

// A dump of `n` goroutines, each stack one of 50, with a leading log line and a panic. The
// deep source paths make it big in few lines (a sanitizer build pays by the line).
std::string big_dump(int n) {
  const std::string dir = "/app/" + std::string(300, 'd');
  std::string text = "2026/01/01 log line before the dump\npanic: boom\n\n";
  for (int i = 0; i < n; ++i) {
    text += "goroutine " + std::to_string(i + 1) + " [chan receive, " + std::to_string(i % 5 + 1) + " minutes]:\n";
    for (int depth = 0; depth <= i % 7; ++depth)
      text += "main.depth" + std::to_string(depth) + "(0x" + std::to_string(1000 + i) + ")\n\t" + dir + "/depth.go:" +
              std::to_string(10 + depth) + " +0x1b\n";
    text += "main.worker" + std::to_string(i % 50) + "()\n\t/app/worker.go:" + std::to_string(i % 50) +
            " +0x45\ncreated by main.main in goroutine 1\n\t/app/main.go:8 +0x5e\n\n";
  }
  return text;
}

void expect_same(const Snapshot& a, const Snapshot& b) {
  ASSERT_EQ(a.goroutines.size(), b.goroutines.size());
  EXPECT_EQ(a.context.panic, b.context.panic);
  for (size_t i = 0; i < a.goroutines.size(); ++i) {
    const Goroutine& x = a.goroutines[i];
    const Goroutine& y = b.goroutines[i];
    ASSERT_EQ(x.id, y.id);
    ASSERT_EQ(x.state, y.state);
    ASSERT_EQ(x.wait_minutes, y.wait_minutes);
    ASSERT_EQ(x.line, y.line);
    ASSERT_EQ(x.frames.size(), y.frames.size()) << x.id;
    for (size_t f = 0; f < x.frames.size(); ++f) {
      ASSERT_EQ(x.frames[f].function, y.frames[f].function);
      ASSERT_EQ(x.frames[f].file, y.frames[f].file);
      ASSERT_EQ(x.frames[f].line, y.frames[f].line);
    }
    ASSERT_EQ(x.created_by.function, y.created_by.function);
    ASSERT_EQ(x.created_by.line, y.created_by.line);
  }
}

TEST(ReadSnapshot, ABigDumpReadsFromItsFileAsFromMemory) {
  const std::string text = big_dump(12000);
  ASSERT_GT(text.size(), 2 * kReleaseStep + 1000);  // the passes release pages more than once
  const std::string path = temp_path("big.txt");
  write_file(path, text);
  Result<Snapshot> from_file = read_snapshot(path);
  std::filesystem::remove(path);
  ASSERT_TRUE(from_file.ok()) << from_file.error().to_string();
  Result<Snapshot> from_memory = parse_dump(text, path);
  ASSERT_TRUE(from_memory.ok());
  EXPECT_EQ(from_file->kind, Kind::Dump);
  EXPECT_EQ(from_file->source, path);
  EXPECT_EQ(from_file->context.panic, "boom");
  EXPECT_EQ(from_file->goroutines.size(), 12000u);
  EXPECT_EQ(from_file->goroutines.back().frames.size(), 11999u % 7 + 2);  // depth frames and the worker
  expect_same(*from_file, *from_memory);
}

TEST(ReadSnapshot, GzipDump) {
  const std::string text = big_dump(300);
  std::string packed(compressBound(text.size()) + 64, '\0');
  z_stream z{};
  ASSERT_EQ(deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY), Z_OK);
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  z.avail_in = static_cast<uInt>(text.size());
  z.next_out = reinterpret_cast<Bytef*>(packed.data());
  z.avail_out = static_cast<uInt>(packed.size());
  ASSERT_EQ(deflate(&z, Z_FINISH), Z_STREAM_END);
  packed.resize(z.total_out);
  deflateEnd(&z);
  const std::string path = temp_path("dump.txt.gz");
  write_file(path, packed);
  Result<Snapshot> r = read_snapshot(path);
  std::filesystem::remove(path);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  Result<Snapshot> from_memory = parse_dump(text, path);
  ASSERT_TRUE(from_memory.ok());
  expect_same(*r, *from_memory);
}

TEST(ReadSnapshot, MissingFileAndDirectory) {
  Result<Snapshot> missing = read_snapshot(temp_path("none.txt"));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().message, "cannot open");
  Result<Snapshot> dir = read_snapshot(std::filesystem::temp_directory_path().string());
  ASSERT_FALSE(dir.ok());
  EXPECT_EQ(dir.error().message, "read error");
}

TEST(ReadSnapshot, AnEmptyFileIsNoSnapshot) {
  const std::string path = temp_path("empty.txt");
  write_file(path, "");
  Result<Snapshot> r = read_snapshot(path);
  std::filesystem::remove(path);
  ASSERT_FALSE(r.ok());
}

}  // namespace
}  // namespace ctxtrail::snapshot
