// The protobuf form, one format fact or broken input per test, on profiles built here with
// protozero so that each case is a few lines.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <protozero/pbf_writer.hpp>

#include "ctxtrail/snapshot/snapshot.h"

namespace ctxtrail::snapshot {
namespace {

/// Writes a Profile message (profile.proto field numbers) the way a test wants it: strings
/// are interned, and the parts come out in the order the test calls them.
class ProfileWriter {
 public:
  /// A goroutine profile by default: sample type and period type `type`/"count".
  explicit ProfileWriter(const std::string& type = "goroutine", bool period = true) {
    value_type(1, type);
    if (period) value_type(11, type);
  }

  int64_t str(const std::string& s) {
    for (size_t i = 0; i < strings_.size(); ++i) {
      if (strings_[i] == s) return static_cast<int64_t>(i);
    }
    strings_.push_back(s);
    return static_cast<int64_t>(strings_.size() - 1);
  }

  void function(uint64_t id, const std::string& name, const std::string& file) {
    protozero::pbf_writer f(w_, 5);
    f.add_uint64(1, id);
    f.add_int64(2, str(name));
    f.add_int64(4, str(file));
  }

  /// lines: (function id, line), innermost first.
  void location(uint64_t id, std::vector<std::pair<uint64_t, int64_t>> lines, uint64_t address = 0x1000) {
    protozero::pbf_writer loc(w_, 4);
    loc.add_uint64(1, id);
    loc.add_uint64(3, address);
    for (auto [fn, line] : lines) {
      protozero::pbf_writer l(loc, 4);
      l.add_uint64(1, fn);
      l.add_int64(2, line);
    }
  }

  void sample(const std::vector<uint64_t>& locations, int64_t count,
              const std::vector<std::pair<std::string, std::string>>& labels = {}, bool packed = true) {
    protozero::pbf_writer s(w_, 2);
    if (packed) {
      s.add_packed_uint64(1, locations.begin(), locations.end());
    } else {
      for (uint64_t id : locations) s.add_uint64(1, id);
    }
    s.add_int64(2, count);
    for (const auto& [k, v] : labels) {
      protozero::pbf_writer l(s, 3);
      l.add_int64(1, str(k));
      l.add_int64(2, str(v));
    }
  }

  /// Writes the string table (Go writes it last) and returns the profile.
  std::string finish() {
    for (const std::string& s : strings_) w_.add_string(6, s);
    return std::move(out_);
  }

  protozero::pbf_writer& raw() { return w_; }
  /// Bytes written so far: the offset of the next part.
  size_t size() const { return out_.size(); }

 private:
  void value_type(uint32_t field, const std::string& type) {
    protozero::pbf_writer v(w_, field);
    v.add_int64(1, str(type));
    v.add_int64(2, str("count"));
  }

  std::string out_;
  protozero::pbf_writer w_{out_};
  std::vector<std::string> strings_{""};
};

Result<Snapshot> parse(const std::string& bytes) { return parse_profile(bytes, "p.pb"); }

std::string error_of(const std::string& bytes) {
  Result<Snapshot> r = parse(bytes);
  return r.ok() ? "(parsed)" : r.error().to_string();
}

/// A profile with one goroutine blocked in main.worker (main.go:20) through an inlined call.
ProfileWriter two_frame_profile() {
  ProfileWriter p;
  p.function(1, "runtime.gopark", "runtime/proc.go");
  p.function(2, "main.recv", "main.go");
  p.function(3, "main.worker", "main.go");
  p.location(1, {{1, 435}});
  p.location(2, {{2, 10}, {3, 20}});  // main.recv inlined into main.worker
  return p;
}

TEST(ProfileProto, ExpandsInlinedLinesInnermostFirst) {
  ProfileWriter p = two_frame_profile();
  p.sample({1, 2}, 4, {{"role", "consumer"}});
  Result<Snapshot> r = parse(p.finish());
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->kind, Kind::Profile);
  ASSERT_EQ(r->goroutines.size(), 1u);
  const Goroutine& g = r->goroutines[0];
  EXPECT_EQ(g.count, 4u);
  EXPECT_FALSE(g.leaked);
  EXPECT_EQ(g.labels, (std::vector<std::pair<std::string, std::string>>{{"role", "consumer"}}));
  ASSERT_EQ(g.frames.size(), 3u);
  EXPECT_EQ(g.frames[0].function, "runtime.gopark");
  EXPECT_EQ(g.frames[0].file, "runtime/proc.go");
  EXPECT_EQ(g.frames[0].line, 435);
  EXPECT_EQ(g.frames[1].function, "main.recv");
  EXPECT_EQ(g.frames[1].line, 10);
  EXPECT_EQ(g.frames[2].function, "main.worker");
  EXPECT_EQ(g.frames[2].line, 20);
}

TEST(ProfileProto, PackedAndUnpackedLocationIdsAreTheSame) {
  ProfileWriter packed = two_frame_profile();
  packed.sample({1, 2, 2}, 1, {}, true);
  ProfileWriter unpacked = two_frame_profile();
  unpacked.sample({1, 2, 2}, 1, {}, false);
  Result<Snapshot> a = parse(packed.finish());
  Result<Snapshot> b = parse(unpacked.finish());
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_EQ(a->goroutines[0].frames.size(), 5u);
  ASSERT_EQ(b->goroutines[0].frames.size(), 5u);
  for (size_t i = 0; i < 5; ++i) EXPECT_EQ(a->goroutines[0].frames[i].function, b->goroutines[0].frames[i].function);
}

TEST(ProfileProto, StringTableMayComeFirst) {
  // The string table is written before everything else here; ids are not sequential.
  std::string out;
  {
    protozero::pbf_writer w(out);
    for (const char* s : {"", "goroutine", "count", "main.f", "f.go"}) w.add_string(6, s);
    {
      protozero::pbf_writer v(w, 1);
      v.add_int64(1, 1);
      v.add_int64(2, 2);
    }
    {
      protozero::pbf_writer s(w, 2);
      s.add_uint64(1, 900);
      s.add_int64(2, 2);
    }
    {
      protozero::pbf_writer l(w, 4);
      l.add_uint64(1, 900);
      protozero::pbf_writer line(l, 4);
      line.add_uint64(1, 77);
      line.add_int64(2, 5);
    }
    protozero::pbf_writer f(w, 5);
    f.add_uint64(1, 77);
    f.add_int64(2, 3);
    f.add_int64(4, 4);
  }
  Result<Snapshot> r = parse(out);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  ASSERT_EQ(r->goroutines.size(), 1u);
  EXPECT_EQ(r->goroutines[0].count, 2u);
  ASSERT_EQ(r->goroutines[0].frames.size(), 1u);
  EXPECT_EQ(r->goroutines[0].frames[0].function, "main.f");
  EXPECT_EQ(r->goroutines[0].frames[0].file, "f.go");
  EXPECT_EQ(r->goroutines[0].frames[0].line, 5);
}

// runtime/pprof writes the profile's name as the sample type: "goroutineleak" for the leak
// profile, whose every goroutine is leaked.
TEST(ProfileProto, LeakProfileBySampleType) {
  ProfileWriter p("goroutineleak");
  p.function(1, "main.leak", "main.go");
  p.location(1, {{1, 64}});
  p.sample({1}, 2);
  Result<Snapshot> r = parse(p.finish());
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->kind, Kind::LeakProfile);
  ASSERT_EQ(r->goroutines.size(), 1u);
  EXPECT_TRUE(r->goroutines[0].leaked);
}

TEST(ProfileProto, PeriodTypeNamesTheProfileWithoutASampleType) {
  std::string out;
  {
    protozero::pbf_writer w(out);
    protozero::pbf_writer v(w, 11);
    v.add_int64(1, 1);
  }
  protozero::pbf_writer w(out);
  w.add_string(6, "");
  w.add_string(6, "goroutineleak");
  Result<Snapshot> r = parse(out);
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->kind, Kind::LeakProfile);
  EXPECT_TRUE(r->goroutines.empty());
}

TEST(ProfileProto, UnsymbolizedLocationIsNamedByItsAddress) {
  ProfileWriter p;
  p.location(1, {}, 0x4a6b2d);
  p.sample({1}, 1);
  Result<Snapshot> r = parse(p.finish());
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  ASSERT_EQ(r->goroutines[0].frames.size(), 1u);
  EXPECT_EQ(r->goroutines[0].frames[0].function, "0x4a6b2d");
  EXPECT_EQ(r->goroutines[0].frames[0].file, "");
  EXPECT_EQ(r->goroutines[0].frames[0].line, 0);
}

TEST(ProfileProto, NumericLabelKeepsItsNumber) {
  ProfileWriter p;
  const int64_t key = p.str("bytes");
  {
    protozero::pbf_writer s(p.raw(), 2);
    s.add_int64(2, 1);
    protozero::pbf_writer l(s, 3);
    l.add_int64(1, key);
    l.add_int64(3, 512);
  }
  Result<Snapshot> r = parse(p.finish());
  ASSERT_TRUE(r.ok()) << r.error().to_string();
  EXPECT_EQ(r->goroutines[0].labels, (std::vector<std::pair<std::string, std::string>>{{"bytes", "512"}}));
}

TEST(ProfileProto, ErrorNamesAMissingLocationAndItsSample) {
  ProfileWriter p = two_frame_profile();
  const size_t sample_at = p.size();
  p.sample({1, 7}, 1);
  EXPECT_EQ(error_of(p.finish()), "p.pb: byte " + std::to_string(sample_at) +
                                      ": sample names location id 7, which the profile does not define");
}

TEST(ProfileProto, ErrorNamesAMissingFunction) {
  ProfileWriter p;
  p.location(3, {{42, 1}});
  p.sample({3}, 1);
  const std::string e = error_of(p.finish());
  EXPECT_NE(e.find("location 3 names function id 42, which the profile does not define"), std::string::npos) << e;
}

TEST(ProfileProto, ErrorNamesAStringIndexOutsideTheTable) {
  ProfileWriter p;
  {
    protozero::pbf_writer f(p.raw(), 5);
    f.add_uint64(1, 1);
    f.add_int64(2, 99);
  }
  const std::string e = error_of(p.finish());
  EXPECT_NE(e.find("function name names string 99, outside the string table of 3 strings"), std::string::npos) << e;
}

TEST(ProfileProto, ErrorOnNegativeOrMissingCount) {
  ProfileWriter p = two_frame_profile();
  p.sample({1}, -3);
  EXPECT_NE(error_of(p.finish()).find("sample with count -3: expected a goroutine count"), std::string::npos);

  ProfileWriter q = two_frame_profile();
  {
    protozero::pbf_writer s(q.raw(), 2);
    s.add_uint64(1, 1);
  }
  EXPECT_NE(error_of(q.finish()).find("sample without a value: expected the goroutine count as value[0]"),
            std::string::npos);
}

TEST(ProfileProto, ErrorOnDuplicateOrZeroIds) {
  ProfileWriter p = two_frame_profile();
  p.location(2, {{1, 1}});
  EXPECT_NE(error_of(p.finish()).find("location id 2 defined twice: ids must be unique"), std::string::npos);

  ProfileWriter q;
  q.function(0, "f", "f.go");
  EXPECT_NE(error_of(q.finish()).find("function with id 0: ids must be nonzero"), std::string::npos);
}

TEST(ProfileProto, ErrorOnAnotherKindOfProfile) {
  ProfileWriter p("samples");
  EXPECT_EQ(error_of(p.finish()),
            "p.pb: a pprof profile of \"samples\", expected a \"goroutine\" or \"goroutineleak\" profile");
  EXPECT_EQ(error_of(ProfileWriter("", false).finish()),
            "p.pb: a pprof profile without a sample type, expected a \"goroutine\" or \"goroutineleak\" profile");
}

TEST(ProfileProto, ErrorOnEmptyInputAndStringTable) {
  EXPECT_EQ(error_of(""), "p.pb: byte 0: empty input: expected a pprof goroutine profile");
  std::string out;
  protozero::pbf_writer w(out);
  w.add_string(6, "goroutine");
  EXPECT_EQ(error_of(out), "p.pb: the string table (Profile field 6) must start with the empty string");
}

TEST(ProfileProto, ErrorOnAFieldOfTheWrongWireType) {
  std::string out;
  {
    protozero::pbf_writer w(out);
    w.add_string(6, "");
    protozero::pbf_writer loc(w, 4);  // at byte 2
    loc.add_string(1, "x");           // Location.id as bytes, at byte 4
  }
  EXPECT_EQ(error_of(out),
            "p.pb: byte 4: malformed pprof profile: field 1 (Location.id) has wire type length-delimited, "
            "expected varint");
}

TEST(ProfileProto, ErrorOnATruncatedProfileNamesTheField) {
  ProfileWriter p = two_frame_profile();
  p.sample({1, 2}, 1);
  const std::string whole = p.finish();
  // Every cut either parses (at a field boundary, the tail lost) or names a byte inside the input.
  for (size_t n = 1; n < whole.size(); ++n) {
    Result<Snapshot> r = parse(whole.substr(0, n));
    if (r.ok()) continue;
    ASSERT_TRUE(!r.error().offset || *r.error().offset <= n) << r.error().to_string();
  }
  // Cut inside the string table's last entry: protozero finds the length past the end.
  const std::string e = error_of(whole.substr(0, whole.size() - 3));
  EXPECT_NE(e.find("malformed pprof profile: "), std::string::npos) << e;
  EXPECT_NE(e.find("expected a protobuf Profile (profile.proto)"), std::string::npos) << e;
}

// A few bytes of input must not expand to gigabytes of frames: a long function name repeated by
// a long packed list of location ids.
TEST(ProfileProto, ErrorWhenFramesExceedTheBudget) {
  ProfileWriter p;
  p.function(1, std::string(4096, 'f'), "f.go");
  p.location(1, {{1, 1}});
  p.sample(std::vector<uint64_t>(8192, 1), 1);
  const std::string e = error_of(p.finish());
  EXPECT_NE(e.find("the samples expand to more than"), std::string::npos) << e;
}

TEST(ProfileProto, GzipIsInflatedFirst) {
  // The real profiles (profile_test.cc) are gzip; here a gzip that is cut off.
  const std::string cut("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff", 10);
  const std::string e = error_of(cut);
  EXPECT_NE(e.find("gzip"), std::string::npos) << e;
}

}  // namespace
}  // namespace ctxtrail::snapshot
