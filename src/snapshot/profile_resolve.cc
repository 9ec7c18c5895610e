/// ProfileTables to a Snapshot: each sample is one Goroutine record, its location ids expanded
/// to frames through the location, function and string tables.
#include <algorithm>
#include <optional>
#include <utility>

#include <fmt/format.h>

#include "snapshot/profile_tables.h"

namespace ctxtrail::snapshot {

namespace {

/// A profile names each function and file once and each frame with a varint or two, so its
/// frames take more memory than its bytes: about 40 times for Go's goroutine profiles. A
/// profile past this budget repeats a location or a long string beyond any real stack: it is
/// built to exhaust memory, not written by Go.
constexpr uint64_t kFrameBudgetBase = uint64_t{16} << 20;
constexpr uint64_t kFrameBudgetPerInputByte = 256;

/// One table of profile records (locations or functions) indexed by their nonzero, unique ids.
template <typename Record>
class IdIndex {
 public:
  /// Errors on an id 0 or one defined twice, naming the record.
  static Result<IdIndex> build(const std::vector<Record>& records, const char* what, const std::string& source) {
    IdIndex index;
    index.by_id_.reserve(records.size());
    for (size_t i = 0; i < records.size(); ++i) {
      if (records[i].id == 0)
        return Error{source, records[i].offset, std::nullopt, fmt::format("{} with id 0: ids must be nonzero", what)};
      index.by_id_.emplace_back(records[i].id, i);
    }
    std::sort(index.by_id_.begin(), index.by_id_.end());
    for (size_t i = 1; i < index.by_id_.size(); ++i) {
      if (index.by_id_[i].first == index.by_id_[i - 1].first) {
        const Record& again = records[std::max(index.by_id_[i].second, index.by_id_[i - 1].second)];
        return Error{source, again.offset, std::nullopt,
                     fmt::format("{} id {} defined twice: ids must be unique", what, again.id)};
      }
    }
    return index;
  }

  /// The position in the table of the record with this id.
  std::optional<size_t> find(uint64_t id) const {
    auto it = std::lower_bound(by_id_.begin(), by_id_.end(), std::pair<uint64_t, size_t>{id, 0});
    if (it == by_id_.end() || it->first != id) return std::nullopt;
    return it->second;
  }

 private:
  std::vector<std::pair<uint64_t, size_t>> by_id_;  // sorted by id
};

/// A function with its strings looked up.
struct NamedFunction {
  std::string_view name;
  std::string_view file;
};

class Resolver {
 public:
  Resolver(const ProfileTables& t, uint64_t input_size, std::string source)
      : t_(t), budget_limit_(kFrameBudgetBase + kFrameBudgetPerInputByte * input_size), budget_(budget_limit_) {
    snapshot_.source = std::move(source);
  }

  Result<Snapshot> resolve() {
    if (t_.strings.empty() || !t_.strings[0].empty())
      return error(std::nullopt, "the string table (Profile field 6) must start with the empty string");
    if (std::optional<Error> e = resolve_kind()) return *e;
    if (std::optional<Error> e = resolve_functions()) return *e;
    auto locations = IdIndex<ProfileTables::Location>::build(t_.locations, "location", snapshot_.source);
    if (!locations) return locations.error();
    locations_ = std::move(locations.value());
    snapshot_.goroutines.reserve(t_.samples.size());
    for (const ProfileTables::Sample& sample : t_.samples) {
      if (std::optional<Error> e = resolve_sample(sample)) return *e;
    }
    return std::move(snapshot_);
  }

 private:
  Error error(std::optional<uint64_t> offset, std::string message) const {
    return Error{snapshot_.source, offset, std::nullopt, std::move(message)};
  }

  std::optional<std::string_view> string(int64_t index) const {
    if (index < 0 || static_cast<uint64_t>(index) >= t_.strings.size()) return std::nullopt;
    return t_.strings[static_cast<size_t>(index)];
  }
  Error bad_string(std::optional<uint64_t> offset, const char* field, int64_t index) const {
    return error(offset, fmt::format("{} names string {}, outside the string table of {} strings", field,
                                     index, t_.strings.size()));
  }

  /// Go writes the profile's name as the type of both its sample type and its period type:
  /// "goroutine" for the goroutine profile, "goroutineleak" for the leak profile
  /// (runtime/pprof printCountProfile).
  std::optional<Error> resolve_kind() {
    const ProfileTables::ValueType& type = t_.sample_types.empty() ? t_.period_type : t_.sample_types[0];
    std::optional<std::string_view> name = string(type.type);
    if (!name) return bad_string(std::nullopt, "the sample type", type.type);
    if (*name == "goroutine") {
      snapshot_.kind = Kind::Profile;
    } else if (*name == "goroutineleak") {
      snapshot_.kind = Kind::LeakProfile;
    } else {
      const std::string what = name->empty() ? "without a sample type" : fmt::format("of \"{}\"", *name);
      return error(std::nullopt,
                   fmt::format("a pprof profile {}, expected a \"goroutine\" or \"goroutineleak\" profile", what));
    }
    return std::nullopt;
  }

  std::optional<Error> resolve_functions() {
    auto index = IdIndex<ProfileTables::Function>::build(t_.functions, "function", snapshot_.source);
    if (!index) return index.error();
    functions_index_ = std::move(index.value());
    functions_.reserve(t_.functions.size());
    for (const ProfileTables::Function& f : t_.functions) {
      std::optional<std::string_view> name = string(f.name);
      if (!name) return bad_string(f.offset, "function name", f.name);
      std::optional<std::string_view> file = string(f.filename);
      if (!file) return bad_string(f.offset, "function filename", f.filename);
      functions_.push_back({*name, *file});
    }
    return std::nullopt;
  }

  /// Counts `bytes` against the budget; false once it is spent.
  bool spend(uint64_t bytes) {
    if (bytes > budget_) return false;
    budget_ -= bytes;
    return true;
  }

  std::optional<Error> resolve_sample(const ProfileTables::Sample& sample) {
    if (sample.values.begin == sample.values.end)
      return error(sample.offset, "sample without a value: expected the goroutine count as value[0]");
    const int64_t count = t_.values[sample.values.begin];
    if (count < 0) return error(sample.offset, fmt::format("sample with count {}: expected a goroutine count", count));
    if (!spend(sizeof(Goroutine))) return over_budget(sample.offset);
    Goroutine& g = snapshot_.goroutines.emplace_back();
    g.count = static_cast<uint64_t>(count);
    g.leaked = snapshot_.kind == Kind::LeakProfile;
    for (uint64_t i = sample.labels.begin; i < sample.labels.end; ++i) {
      if (std::optional<Error> e = add_label(g, t_.labels[i], sample.offset)) return e;
    }
    for (uint64_t i = sample.location_ids.begin; i < sample.location_ids.end; ++i) {
      const uint64_t id = t_.location_ids[i];
      std::optional<size_t> at = locations_.find(id);
      if (!at)
        return error(sample.offset, fmt::format("sample names location id {}, which the profile does not define", id));
      if (std::optional<Error> e = add_frames(g, t_.locations[*at], sample.offset)) return e;
    }
    return std::nullopt;
  }

  std::optional<Error> add_label(Goroutine& g, const ProfileTables::Label& label, uint64_t offset) {
    std::optional<std::string_view> key = string(label.key);
    if (!key) return bad_string(offset, "label key", label.key);
    std::optional<std::string_view> str = string(label.str);
    if (!str) return bad_string(offset, "label value", label.str);
    // pprof.Do labels are strings; a numeric label (other writers) keeps its number as text.
    std::string value = str->empty() && label.has_num ? std::to_string(label.num) : std::string(*str);
    if (!spend(sizeof(g.labels[0]) + key->size() + value.size())) return over_budget(offset);
    g.labels.emplace_back(std::string(*key), std::move(value));
    return std::nullopt;
  }

  /// A location's lines are its frames, innermost (the leaf) first. A location without lines
  /// (not symbolized), or a line without a function (function_id 0), is a frame named by the
  /// location's address, as pprof prints it.
  std::optional<Error> add_frames(Goroutine& g, const ProfileTables::Location& loc, uint64_t offset) {
    if (loc.lines.begin == loc.lines.end) return add_address_frame(g, loc, 0, offset);
    for (uint64_t i = loc.lines.begin; i < loc.lines.end; ++i) {
      const ProfileTables::Line& line = t_.lines[i];
      if (line.function_id == 0) {
        if (std::optional<Error> e = add_address_frame(g, loc, line.line, offset)) return e;
        continue;
      }
      std::optional<size_t> f = functions_index_.find(line.function_id);
      if (!f)
        return error(loc.offset, fmt::format("location {} names function id {}, which the profile does not define",
                                             loc.id, line.function_id));
      const NamedFunction& fn = functions_[*f];
      if (!spend(sizeof(Frame) + fn.name.size() + fn.file.size())) return over_budget(offset);
      g.frames.push_back(Frame{snapshot_.keep(fn.name), snapshot_.keep(fn.file), line.line});
    }
    return std::nullopt;
  }

  std::optional<Error> add_address_frame(Goroutine& g, const ProfileTables::Location& loc, int64_t line,
                                         uint64_t offset) {
    std::string address = fmt::format("{:#x}", loc.address);
    if (!spend(sizeof(Frame) + address.size())) return over_budget(offset);
    g.frames.push_back(Frame{snapshot_.keep(address), "", line});
    return std::nullopt;
  }

  Error over_budget(uint64_t offset) const {
    return error(offset, fmt::format("the samples expand to more than {} MiB of frames: a location or string "
                                     "repeated beyond any real goroutine stack",
                                     budget_limit_ >> 20));
  }

  const ProfileTables& t_;
  const uint64_t budget_limit_;
  uint64_t budget_;  // what is left of budget_limit_
  Snapshot snapshot_;
  IdIndex<ProfileTables::Function> functions_index_;
  std::vector<NamedFunction> functions_;  // parallel to t_.functions
  IdIndex<ProfileTables::Location> locations_;
};

}  // namespace

Result<Snapshot> resolve_profile(const ProfileTables& tables, uint64_t input_size, std::string source) {
  return Resolver(tables, input_size, std::move(source)).resolve();
}

}  // namespace ctxtrail::snapshot
