/// The pprof protobuf wire format into ProfileTables, with protozero. Field numbers are
/// profile.proto's (github.com/google/pprof); unknown fields are skipped, as protobuf allows.
#include <type_traits>
#include <utility>

#include <fmt/format.h>
#include <protozero/exception.hpp>
#include <protozero/pbf_reader.hpp>

#include "snapshot/profile.h"
#include "snapshot/profile_tables.h"

namespace ctxtrail::snapshot {

namespace {

namespace field {
// message Profile
constexpr uint32_t kSampleType = 1, kSample = 2, kLocation = 4, kFunction = 5, kStringTable = 6,
                   kPeriodType = 11;
// message ValueType
constexpr uint32_t kValueTypeType = 1, kValueTypeUnit = 2;
// message Sample
constexpr uint32_t kSampleLocationId = 1, kSampleValue = 2, kSampleLabel = 3;
// message Label
constexpr uint32_t kLabelKey = 1, kLabelStr = 2, kLabelNum = 3;
// message Location
constexpr uint32_t kLocationId = 1, kLocationAddress = 3, kLocationLine = 4;
// message Line
constexpr uint32_t kLineFunctionId = 1, kLineLine = 2;
// message Function
constexpr uint32_t kFunctionId = 1, kFunctionName = 2, kFunctionFilename = 4;
}  // namespace field

using protozero::pbf_reader;
using protozero::pbf_wire_type;

/// A field of the wrong wire type; the offset is the decoder's current field.
struct WrongWireType {
  std::string message;
};

/// Decodes one profile; `at_` is always the offset of the field being read, so that any
/// exception, protozero's or ours, can say where the input broke.
class Decoder {
 public:
  explicit Decoder(std::string_view bytes) : bytes_(bytes) {}

  ProfileTables decode() {
    pbf_reader profile(bytes_.data(), bytes_.size());
    while (next(profile)) {
      switch (profile.tag()) {
        case field::kSampleType: t_.sample_types.push_back(value_type(message(profile, "sample_type"))); break;
        case field::kPeriodType: t_.period_type = value_type(message(profile, "period_type")); break;
        case field::kSample: sample(profile); break;
        case field::kLocation: location(profile); break;
        case field::kFunction: function(profile); break;
        case field::kStringTable: {
          expect(profile, pbf_wire_type::length_delimited, "string_table");
          const protozero::data_view s = profile.get_view();
          t_.strings.emplace_back(s.data(), s.size());
          break;
        }
        default: profile.skip();
      }
    }
    return std::move(t_);
  }

  uint64_t at() const { return at_; }

 private:
  uint64_t offset(const pbf_reader& r) const { return static_cast<uint64_t>(r.data().data() - bytes_.data()); }

  bool next(pbf_reader& r) {
    at_ = offset(r);
    return r.next();
  }

  static void expect(const pbf_reader& r, pbf_wire_type type, const char* name) {
    if (r.wire_type() == type) return;
    static constexpr const char* kWireNames[] = {"varint", "fixed64", "length-delimited", "group start",
                                                 "group end", "fixed32", "6", "7"};
    throw WrongWireType{fmt::format("field {} ({}) has wire type {}, expected {}", r.tag(), name,
                                    kWireNames[static_cast<uint32_t>(r.wire_type()) & 7U],
                                    kWireNames[static_cast<uint32_t>(type) & 7U])};
  }

  static pbf_reader message(pbf_reader& r, const char* name) {
    expect(r, pbf_wire_type::length_delimited, name);
    return r.get_message();
  }
  static uint64_t uint64(pbf_reader& r, const char* name) {
    expect(r, pbf_wire_type::varint, name);
    return r.get_uint64();
  }
  static int64_t int64(pbf_reader& r, const char* name) {
    expect(r, pbf_wire_type::varint, name);
    return r.get_int64();
  }

  /// A repeated scalar field, packed or not (a reader must accept both; Go packs only lists
  /// longer than two).
  template <typename T>
  static void append_repeated(pbf_reader& r, const char* name, std::vector<T>& out) {
    if (r.wire_type() == pbf_wire_type::length_delimited) {
      if constexpr (std::is_same_v<T, uint64_t>) {
        for (uint64_t v : r.get_packed_uint64()) out.push_back(v);
      } else {
        for (int64_t v : r.get_packed_int64()) out.push_back(v);
      }
      return;
    }
    out.push_back(static_cast<T>(uint64(r, name)));
  }

  ProfileTables::ValueType value_type(pbf_reader r) {
    ProfileTables::ValueType v;
    while (next(r)) {
      switch (r.tag()) {
        case field::kValueTypeType: v.type = int64(r, "ValueType.type"); break;
        case field::kValueTypeUnit: v.unit = int64(r, "ValueType.unit"); break;
        default: r.skip();
      }
    }
    return v;
  }

  void sample(pbf_reader& profile) {
    ProfileTables::Sample s;
    s.offset = at_;
    pbf_reader r = message(profile, "sample");
    // Only a Sample appends to these three, so its fields may come in any order and repeat.
    s.location_ids.begin = t_.location_ids.size();
    s.values.begin = t_.values.size();
    s.labels.begin = t_.labels.size();
    while (next(r)) {
      switch (r.tag()) {
        case field::kSampleLocationId: append_repeated(r, "Sample.location_id", t_.location_ids); break;
        case field::kSampleValue: append_repeated(r, "Sample.value", t_.values); break;
        case field::kSampleLabel: t_.labels.push_back(label(message(r, "Sample.label"))); break;
        default: r.skip();
      }
    }
    s.location_ids.end = t_.location_ids.size();
    s.values.end = t_.values.size();
    s.labels.end = t_.labels.size();
    t_.samples.push_back(s);
  }

  ProfileTables::Label label(pbf_reader r) {
    ProfileTables::Label l;
    while (next(r)) {
      switch (r.tag()) {
        case field::kLabelKey: l.key = int64(r, "Label.key"); break;
        case field::kLabelStr: l.str = int64(r, "Label.str"); break;
        case field::kLabelNum:
          l.num = int64(r, "Label.num");
          l.has_num = true;
          break;
        default: r.skip();
      }
    }
    return l;
  }

  void location(pbf_reader& profile) {
    ProfileTables::Location loc;
    loc.offset = at_;
    pbf_reader r = message(profile, "location");
    loc.lines.begin = t_.lines.size();
    while (next(r)) {
      switch (r.tag()) {
        case field::kLocationId: loc.id = uint64(r, "Location.id"); break;
        case field::kLocationAddress: loc.address = uint64(r, "Location.address"); break;
        case field::kLocationLine: t_.lines.push_back(line(message(r, "Location.line"))); break;
        default: r.skip();
      }
    }
    loc.lines.end = t_.lines.size();
    t_.locations.push_back(loc);
  }

  ProfileTables::Line line(pbf_reader r) {
    ProfileTables::Line l;
    while (next(r)) {
      switch (r.tag()) {
        case field::kLineFunctionId: l.function_id = uint64(r, "Line.function_id"); break;
        case field::kLineLine: l.line = int64(r, "Line.line"); break;
        default: r.skip();
      }
    }
    return l;
  }

  void function(pbf_reader& profile) {
    ProfileTables::Function f;
    f.offset = at_;
    pbf_reader r = message(profile, "function");
    while (next(r)) {
      switch (r.tag()) {
        case field::kFunctionId: f.id = uint64(r, "Function.id"); break;
        case field::kFunctionName: f.name = int64(r, "Function.name"); break;
        case field::kFunctionFilename: f.filename = int64(r, "Function.filename"); break;
        default: r.skip();
      }
    }
    t_.functions.push_back(f);
  }

  std::string_view bytes_;
  uint64_t at_ = 0;
  ProfileTables t_;
};

}  // namespace

Result<ProfileTables> decode_profile(std::string_view bytes, const std::string& source) {
  Decoder decoder(bytes);
  try {
    return decoder.decode();
  } catch (const WrongWireType& e) {
    return Error{source, decoder.at(), std::nullopt, "malformed pprof profile: " + e.message};
  } catch (const protozero::exception& e) {
    return Error{source, decoder.at(), std::nullopt,
                 fmt::format("malformed pprof profile: {}: expected a protobuf Profile (profile.proto)", e.what())};
  }
}

Result<Snapshot> parse_profile_proto(std::string_view bytes, std::string source) {
  if (bytes.empty()) return Error{source, 0, std::nullopt, "empty input: expected a pprof goroutine profile"};
  Result<ProfileTables> tables = decode_profile(bytes, source);
  if (!tables) return tables.error();
  return resolve_profile(tables.value(), bytes.size(), std::move(source));
}

}  // namespace ctxtrail::snapshot
