/// A pprof profile (github.com/google/pprof proto/profile.proto) decoded but not yet resolved:
/// purely data, with the ids and string-table indices as the input wrote them, none checked.
/// Repeated fields of samples and locations are kept flat, each record naming its range, so a
/// record costs a fixed size however the input splits its fields.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ctxtrail/snapshot/snapshot.h"
#include "ctxtrail/status.h"

namespace ctxtrail::snapshot {

struct ProfileTables {
  /// ValueType: `type` and `unit` are string-table indices ("goroutine", "count").
  struct ValueType {
    int64_t type = 0;
    int64_t unit = 0;
  };
  /// A half-open range of one of the flat vectors below.
  struct Range {
    uint64_t begin = 0;
    uint64_t end = 0;
  };
  struct Label {
    int64_t key = 0;  // string-table index
    int64_t str = 0;  // string-table index; 0 (the empty string) for a numeric label
    int64_t num = 0;
    bool has_num = false;
  };
  struct Sample {
    uint64_t offset = 0;  // of the Sample message, for errors
    Range location_ids;   // into `location_ids`, leaf first
    Range values;         // into `values`; value[0] is the goroutine count
    Range labels;         // into `labels`
  };
  /// Line: line[0] of a location is the innermost frame; the rest are the functions it was
  /// inlined into, outward.
  struct Line {
    uint64_t function_id = 0;
    int64_t line = 0;
  };
  struct Location {
    uint64_t offset = 0;
    uint64_t id = 0;
    uint64_t address = 0;
    Range lines;  // into `lines`
  };
  struct Function {
    uint64_t offset = 0;
    uint64_t id = 0;
    int64_t name = 0;      // string-table index
    int64_t filename = 0;  // string-table index
  };

  std::vector<ValueType> sample_types;
  ValueType period_type;  // all zero when absent
  std::vector<Sample> samples;
  std::vector<Location> locations;
  std::vector<Function> functions;
  std::vector<std::string_view> strings;  // views into the decoded bytes
  std::vector<uint64_t> location_ids;
  std::vector<int64_t> values;
  std::vector<Label> labels;
  std::vector<Line> lines;
};

/// Decodes the wire format. Errors name the byte offset of the field that broke it.
Result<ProfileTables> decode_profile(std::string_view bytes, const std::string& source);

/// Follows samples to locations, lines, functions and strings. Every id and index is checked;
/// errors name the byte offset of the record that holds the bad one. `input_size` (the decoded
/// bytes) bounds how much the frames may take.
Result<Snapshot> resolve_profile(const ProfileTables& tables, uint64_t input_size, std::string source);

}  // namespace ctxtrail::snapshot
