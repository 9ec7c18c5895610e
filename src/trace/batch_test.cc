/// The file header, varints and batch headers.
#include "trace/batch.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "trace/trace_builder.h"
#include "trace/varint.h"

namespace ctxtrail::trace {
namespace {

using ::testing::HasSubstr;

Result<int> header_of(std::string bytes) {
  auto src = ByteSource::from_bytes(std::move(bytes));
  return read_header(*src);
}

TEST(Header, AcceptsEveryV2Version) {
  for (int v : {22, 23, 25, 26}) {
    auto r = header_of(testing::TraceBuilder(v).bytes());
    ASSERT_TRUE(r.ok()) << r.error().to_string();
    EXPECT_EQ(*r, v);
  }
}

TEST(Header, RejectsPre122WithClearMessage) {
  auto r = header_of(std::string("go 1.21 trace\0\0\0", 16));
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message, HasSubstr("pre-1.22 trace format (Go 1.21) is not supported"));
  r = header_of(std::string("go 1.5 trace\0\0\0\0", 16));
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message, HasSubstr("pre-1.22 trace format (Go 1.5) is not supported"));
}

TEST(Header, RejectsUnknownVersionsAndGarbage) {
  auto r = header_of(std::string("go 1.24 trace\0\0\0", 16));
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message, HasSubstr("unknown or unsupported trace version go 1.24"));
  for (std::string bad : {std::string(), std::string("go 1."), std::string("hello world, not a trace"),
                          std::string("go 1.26 trace"), std::string("go 1.26 trace\0\0x", 16)}) {
    r = header_of(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_THAT(r.error().message, HasSubstr("not a Go execution trace")) << bad;
    EXPECT_EQ(r.error().offset, 0u);
  }
}

TEST(Varint, MinimalPaddedOverflowTruncated) {
  uint64_t v = 0;
  const uint8_t one[] = {0x01};
  EXPECT_EQ(read_uvarint(one, one + 1, &v), 1);
  EXPECT_EQ(v, 1u);
  const uint8_t padded[] = {0x85, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00};
  EXPECT_EQ(read_uvarint(padded, padded + 10, &v), 10);
  EXPECT_EQ(v, 5u);
  const uint8_t max[] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01};
  EXPECT_EQ(read_uvarint(max, max + 10, &v), 10);
  EXPECT_EQ(v, ~uint64_t{0});
  const uint8_t overflow[] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02};
  EXPECT_EQ(read_uvarint(overflow, overflow + 10, &v), -1);
  const uint8_t eleven[] = {0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00};
  EXPECT_EQ(read_uvarint(eleven, eleven + 11, &v), -1);
  EXPECT_EQ(read_uvarint(padded, padded + 4, &v), 0);  // the input ends inside the varint
  EXPECT_EQ(read_uvarint(padded, padded, &v), 0);
}

Result<bool> first_batch(const std::string& body, Batch* b) {
  static std::unique_ptr<ByteSource> src;
  src = ByteSource::from_bytes(body);
  return read_batch(*src, b);
}

TEST(BatchHeader, ReadsEventBatch) {
  std::string bytes = testing::TraceBuilder(26, true).batch(3, 77, 1000, testing::Payload().ev(wire::EvProcStop, 1)).bytes().substr(16);
  Batch b;
  auto r = first_batch(bytes, &b);
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(*r);
  EXPECT_EQ(b.gen, 3u);
  EXPECT_EQ(b.m, 77);
  EXPECT_EQ(b.time, 1000u);
  EXPECT_EQ(b.size, 2u);
  EXPECT_EQ(b.first(), wire::EvProcStop);
}

TEST(BatchHeader, NoMIsMinusOne) {
  std::string bytes = testing::TraceBuilder(26).sync(1, 5).bytes().substr(16);
  Batch b;
  ASSERT_TRUE(*first_batch(bytes, &b));
  EXPECT_EQ(b.m, -1);
  EXPECT_TRUE(b.is_sync(26));
  EXPECT_FALSE(b.is_sync(23));
}

TEST(BatchHeader, EndOfGenerationByte) {
  Batch b;
  ASSERT_TRUE(*first_batch(std::string(1, static_cast<char>(wire::EvEndOfGeneration)), &b));
  EXPECT_TRUE(b.end_of_generation);
}

TEST(BatchHeader, Errors) {
  Batch b;
  auto r = first_batch("\x07", &b);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message, HasSubstr("expected batch event, got event 7"));
  std::string huge = "\x01\x01\x01\x01";
  testing::put_uvarint(huge, 65537);
  r = first_batch(huge, &b);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message, HasSubstr("invalid batch size 65537, maximum is 65536"));
  r = first_batch(std::string("\x01\x01\x01\x01\x05\x00", 6), &b);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message, HasSubstr("failed to read full batch: read 1 but wanted 5"));
  r = first_batch("\x01\x01\x81", &b);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message, HasSubstr("error reading batch M ID: unexpected EOF"));
  r = first_batch("", &b);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(*r);
}

}  // namespace
}  // namespace ctxtrail::trace
