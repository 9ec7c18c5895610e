/// Malformed input never crashes, hangs or reads out of bounds: every prefix of real traces,
/// flipped bytes, and huge counts give either events or a clean error. (The asan build runs
/// these too.)
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <zlib.h>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "ctxtrail/trace/reader.h"
#include "trace/byte_source.h"
#include "trace/trace_builder.h"

namespace ctxtrail::trace {
namespace {

using ::testing::HasSubstr;

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::string trace_path(const char* name) {
  return std::string(CTXTRAIL_SOURCE_DIR) + "/testdata/traces/" + name;
}

struct Outcome {
  uint64_t events = 0;
  std::optional<Error> error;
  bool complete = false;
  bool truncated = false;  // ended where Go's parser ends too (see Reader::truncation)
};

Outcome drain(std::string bytes) {
  Outcome o;
  auto r = Reader::from_bytes(std::move(bytes), "t");
  if (!r.ok()) {
    o.error = r.error();
    return o;
  }
  Event ev;
  for (;;) {
    auto more = (*r)->next(ev);
    if (!more.ok()) {
      o.error = more.error();
      // Errors are sticky.
      auto again = (*r)->next(ev);
      EXPECT_FALSE(again.ok());
      break;
    }
    if (!*more) break;
    o.events++;
  }
  o.complete = (*r)->complete();
  o.truncated = (*r)->truncation().has_value();
  return o;
}

TEST(Robustness, EveryPrefixOfARealTraceEndsCleanlyOrWithAnError) {
  const std::string full = slurp(trace_path("go126-cpu.trace"));
  ASSERT_GT(full.size(), 1000u);
  const Outcome whole = drain(full);
  ASSERT_FALSE(whole.error);
  ASSERT_TRUE(whole.complete);
  size_t step = full.size() > 20000 ? 7 : 1;
  for (size_t n = 0; n < full.size(); n += step) {
    Outcome o = drain(full.substr(0, n));
    // A cut Go 1.26 trace is incomplete, except (as in Go's parser) when cut right after an
    // end-of-generation byte or inside a generation that has no event batch yet.
    if (o.complete) {
      EXPECT_FALSE(o.error);
    } else {
      ASSERT_TRUE(o.error || o.truncated) << "cut at " << n;
      if (o.error) {
        EXPECT_FALSE(o.error->message.empty());
      }
    }
  }
}

TEST(Robustness, FlippedBytesNeverCrash) {
  const std::string full = slurp(trace_path("go126-annotated.trace"));
  uint64_t rng = 12345;
  for (int i = 0; i < 400; i++) {
    std::string bytes = full;
    for (int k = 0; k < 3; k++) {
      rng = rng * 6364136223846793005ull + 1442695040888963407ull;
      size_t at = 16 + (rng >> 33) % (bytes.size() - 16);
      bytes[at] = static_cast<char>(bytes[at] ^ (1 << ((rng >> 20) % 8)));
    }
    drain(bytes);
  }
}

TEST(Robustness, HugeCountsAreRejectedBeforeAllocating) {
  using testing::Payload;
  using testing::TraceBuilder;
  // A string claiming 2^40 bytes, a stack claiming 2^40 frames, huge IDs.
  Payload strings;
  strings.bytes = {static_cast<char>(wire::EvStrings), static_cast<char>(wire::EvString), 1};
  testing::put_uvarint(strings.bytes, uint64_t{1} << 40);
  Outcome o = drain(TraceBuilder(26).sync(1, 1).batch(1, testing::kNoM, 1, strings).end_gen().bytes());
  ASSERT_TRUE(o.error);
  EXPECT_THAT(o.error->message, HasSubstr("invalid string size"));
  Payload stacks;
  stacks.bytes = {static_cast<char>(wire::EvStacks), static_cast<char>(wire::EvStack), 1};
  testing::put_uvarint(stacks.bytes, uint64_t{1} << 40);
  o = drain(TraceBuilder(26).sync(1, 1).batch(1, testing::kNoM, 1, stacks).end_gen().bytes());
  ASSERT_TRUE(o.error);
  EXPECT_THAT(o.error->message, HasSubstr("invalid stack size"));
  o = drain(TraceBuilder(26)
                .sync(1, 1)
                .strings(1, {{uint64_t{1} << 62, "x"}})
                .stacks(1, {{uint64_t{1} << 61, {{1, uint64_t{1} << 62, 0, 1}}}})
                .batch(1, 1, 1, Payload().ev(wire::EvProcStatus, 0, {uint64_t{1} << 50, wire::ProcIdle}))
                .end_gen()
                .bytes());
  EXPECT_FALSE(o.error);
}

std::string gzip(const std::string& in) {
  z_stream z{};
  deflateInit2(&z, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);
  std::string out(deflateBound(&z, in.size()) + 64, '\0');
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  z.avail_in = static_cast<uInt>(in.size());
  z.next_out = reinterpret_cast<Bytef*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return out;
}

TEST(ByteSource, GzipGivesTheSameEvents) {
  const std::string plain = slurp(trace_path("go126-busy.trace"));
  Outcome a = drain(plain);
  Outcome b = drain(gzip(plain));
  ASSERT_FALSE(b.error) << b.error->to_string();
  EXPECT_EQ(a.events, b.events);
  EXPECT_TRUE(b.complete);
  // A cut gzip stream is an error, not a hang or a crash.
  std::string gz = gzip(plain);
  Outcome c = drain(gz.substr(0, gz.size() / 2));
  ASSERT_TRUE(c.error);
  // Its offset counts decompressed bytes, which the message says.
  if (c.error->offset) {
    EXPECT_THAT(c.error->to_string(), HasSubstr("t (decompressed): byte "));
  }
}

TEST(ByteSource, StreamsRefillAcrossSmallReads) {
  const std::string plain = slurp(trace_path("go126-annotated.trace"));
  size_t pos = 0;
  // A pull that hands out at most 7 bytes a time.
  auto src = ByteSource::from_stream([&](uint8_t* dst, size_t cap, std::string*) -> long {
    size_t n = std::min<size_t>({cap, 7, plain.size() - pos});
    std::memcpy(dst, plain.data() + pos, n);
    pos += n;
    return static_cast<long>(n);
  });
  std::string got;
  while (src->ensure(100) > 0) {
    size_t n = std::min<size_t>(src->available(), 100);
    got.append(reinterpret_cast<const char*>(src->data()), n);
    src->skip(n);
  }
  EXPECT_EQ(got, plain);
}

TEST(ByteSource, ProgressReportsBytesAndTotal) {
  std::vector<std::pair<uint64_t, uint64_t>> calls;
  ReaderOptions options;
  options.progress = [&](uint64_t done, uint64_t total) { calls.emplace_back(done, total); };
  const std::string path = trace_path("go126-cpu.trace");
  auto r = Reader::open(path, options);
  ASSERT_TRUE(r.ok());
  Event ev;
  while (*(*r)->next(ev)) {
  }
  ASSERT_FALSE(calls.empty());
  const uint64_t size = slurp(path).size();
  EXPECT_EQ(calls.back().first, size);
  EXPECT_EQ(calls.back().second, size);
  for (size_t i = 1; i < calls.size(); i++) EXPECT_LE(calls[i - 1].first, calls[i].first);
}

TEST(ByteSource, OpenErrors) {
  auto dir = Reader::open(CTXTRAIL_SOURCE_DIR);
  ASSERT_FALSE(dir.ok());
  EXPECT_THAT(dir.error().message, HasSubstr("is a directory"));
  auto missing = Reader::open("/no/such/file.trace");
  ASSERT_FALSE(missing.ok());
  EXPECT_THAT(missing.error().message, HasSubstr("cannot open"));
  EXPECT_EQ(missing.error().file, "/no/such/file.trace");
}

}  // namespace
}  // namespace ctxtrail::trace
