/// Perfetto protobuf trace (Trace { repeated TracePacket packet = 1 }), written with protozero.
/// Tracks: one process track for the program (several processes: one each, ExportOptions), a
/// child track per start function, a child track per goroutine under it. States are slices
/// (TYPE_SLICE_BEGIN / END), cancels instants, findings instants named by rule (category
/// "finding": severity, message, locations and the goroutine count as debug annotations) on their
/// goroutines' tracks;
/// spawn, wake and cancel edges are flows: flow_ids on an instant on the source goroutine's
/// track, terminating_flow_ids on the target's slice that starts then. Event names, categories
/// and annotation names are interned (InternedData on the first TrackEvent packet). Field numbers:
/// testdata/schemas/perfetto/trace.proto.
#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>

#include <protozero/pbf_writer.hpp>

#include "export_timeline.h"

namespace ctxtrail::render {
namespace {

namespace field {
// Trace
constexpr int kPacket = 1;
// TracePacket
constexpr int kTimestamp = 8;
constexpr int kSequenceId = 10;
constexpr int kTrackEvent = 11;
constexpr int kInternedData = 12;
constexpr int kSequenceFlags = 13;
constexpr int kTrackDescriptor = 60;
// TrackDescriptor
constexpr int kUuid = 1;
constexpr int kName = 2;
constexpr int kProcess = 3;
constexpr int kParentUuid = 5;
constexpr int kChildOrdering = 11;
constexpr int kSiblingOrderRank = 12;
// ProcessDescriptor
constexpr int kPid = 1;
constexpr int kProcessName = 6;
// InternedData, and its entries (EventCategory, EventName, DebugAnnotationName)
constexpr int kInternedCategories = 1;
constexpr int kInternedEventNames = 2;
constexpr int kInternedAnnotationNames = 3;
constexpr int kInternedIid = 1;
constexpr int kInternedName = 2;
// TrackEvent
constexpr int kCategoryIids = 3;
constexpr int kDebugAnnotations = 4;
constexpr int kNameIid = 10;
constexpr int kType = 9;
constexpr int kTrackUuid = 11;
constexpr int kFlowIds = 47;
constexpr int kTerminatingFlowIds = 48;
// DebugAnnotation
constexpr int kAnnotationNameIid = 1;
constexpr int kAnnotationIntValue = 4;
constexpr int kAnnotationStringValue = 6;
}  // namespace field

enum TrackEventType { kSliceBegin = 1, kSliceEnd = 2, kInstant = 3 };
enum ChildOrdering { kLexicographic = 1, kChronological = 2, kExplicit = 3 };
constexpr uint32_t kSequence = 1;
constexpr uint32_t kIncrementalStateCleared = 1;
constexpr uint32_t kNeedsIncrementalState = 2;
constexpr uint64_t kProcessUuid = 1;
/// Timestamps are trace-relative; this offset keeps them clear of zero.
constexpr uint64_t kTimeOffset = 1'000'000;

// Several processes in one file: each one's tracks, flows and packet sequence in its own range.
uint64_t process_bits(uint32_t process) { return uint64_t{process} << 40; }

/// Strings written once in the first TrackEvent packet's interned_data, then referred to by iid.
class InternTable {
 public:
  uint64_t iid(const std::string& s) {
    auto [it, inserted] = ids_.try_emplace(s, ids_.size() + 1);
    if (inserted) order_.push_back(&it->first);
    return it->second;
  }
  void write(protozero::pbf_writer& interned, int field) const {
    for (size_t i = 0; i < order_.size(); ++i) {
      protozero::pbf_writer entry(interned, field);
      entry.add_uint64(field::kInternedIid, i + 1);
      entry.add_string(field::kInternedName, *order_[i]);
    }
  }

 private:
  std::unordered_map<std::string, uint64_t> ids_;
  std::vector<const std::string*> order_;
};

/// One TrackEvent to write, ordered by time (ends before begins at the same instant). Records
/// are 16 bytes and point into the timeline: a big trace has millions of them.
struct Record {
  enum Kind : uint8_t { kEnd, kCancel, kFlow, kBegin, kFinding, kCross };
  int64_t time = 0;
  uint32_t source = 0;  // index into Timeline::slices (kBegin, kEnd), instants, flows or cross flows
  Kind kind = kEnd;
  int order() const { return kind == kEnd ? 0 : (kind == kBegin ? 2 : 1); }
};

void write_descriptor(std::string& out, uint64_t uuid, uint64_t parent, const std::string& name,
                      bool process, int ordering, int32_t rank, bool first, uint32_t process_index) {
  protozero::pbf_writer trace(out);
  protozero::pbf_writer packet(trace, field::kPacket);
  packet.add_uint32(field::kSequenceId, kSequence + process_index);
  if (first) packet.add_uint32(field::kSequenceFlags, kIncrementalStateCleared);
  protozero::pbf_writer desc(packet, field::kTrackDescriptor);
  desc.add_uint64(field::kUuid, uuid);
  desc.add_string(field::kName, name);
  if (process) {
    protozero::pbf_writer proc(desc, field::kProcess);
    proc.add_int32(field::kPid, 1 + static_cast<int32_t>(process_index));
    proc.add_string(field::kProcessName, name);
  }
  if (parent != 0) desc.add_uint64(field::kParentUuid, parent);
  if (ordering != 0) desc.add_enum(field::kChildOrdering, ordering);
  if (rank >= 0) desc.add_int32(field::kSiblingOrderRank, rank);
}

}  // namespace

std::string export_perfetto(const RenderInput& in, const ExportOptions& options) {
  const model::Model& m = in.model;
  Timeline t = build_timeline(in, options);
  std::string out;
  const uint32_t pi = options.process;
  const uint64_t bits = process_bits(pi);
  const uint64_t process_uuid = kProcessUuid + bits;
  const auto group_uuid = [&](size_t g) -> uint64_t { return 0x100000000ull + bits + g; };
  const auto goroutine_uuid = [&](size_t row) -> uint64_t { return 0x200000000ull + bits + row; };
  const std::string process_name =
      options.process_name.empty() ? "go: " + in.trace_name : options.process_name + ": " + in.trace_name;

  write_descriptor(out, process_uuid, 0, process_name, true, kExplicit, -1, true, pi);
  for (size_t gi = 0; gi < t.groups.size(); ++gi) {
    std::string name = t.groups[gi].function + " (" + std::to_string(t.groups[gi].rows.size()) + ")";
    write_descriptor(out, group_uuid(gi), process_uuid, name, false, kExplicit, static_cast<int32_t>(gi), false, pi);
    int32_t rank = 0;
    for (size_t row : t.groups[gi].rows) {
      std::string gname = fmt::format("G{} {}", m.goroutines[row].id, t.groups[gi].function);
      write_descriptor(out, goroutine_uuid(row), group_uuid(gi), gname, false, 0, rank++, false, pi);
    }
  }

  std::vector<Record> recs;
  recs.reserve(t.slices.size() * 2 + t.instants.size() + t.flows.size());
  // Slice begins by (row, time), to attach terminating flow ids: sorted, the last slice of a
  // key wins.
  struct BeginAt {
    size_t row;
    int64_t time;
    uint32_t slice;
  };
  std::vector<BeginAt> begin_at;
  for (size_t si = 0; si < t.slices.size(); ++si) {
    const TimelineSlice& s = t.slices[si];
    if (s.end <= s.begin) continue;  // an empty slice would end before it begins
    const auto source = static_cast<uint32_t>(si);
    begin_at.push_back({s.row, s.begin, source});
    recs.push_back({s.begin, source, Record::kBegin});
    recs.push_back({s.end, source, Record::kEnd});
  }
  const auto by_key = [](const BeginAt& x, const BeginAt& y) {
    return x.row != y.row ? x.row < y.row : x.time < y.time;
  };
  std::stable_sort(begin_at.begin(), begin_at.end(), by_key);
  for (size_t i = 0; i < t.instants.size(); ++i) {
    recs.push_back({t.instants[i].time, static_cast<uint32_t>(i), Record::kCancel});
  }
  for (size_t i = 0; i < t.findings.size(); ++i) {
    recs.push_back({t.findings[i].time, static_cast<uint32_t>(i), Record::kFinding});
  }
  // (slice, flow id) for every flow that ends on a slice, in flow order.
  std::vector<std::pair<uint32_t, uint64_t>> terminating;
  for (size_t fi = 0; fi < t.flows.size(); ++fi) {
    const TimelineFlow& f = t.flows[fi];
    const BeginAt probe{f.to_row, f.time, 0};
    auto hit = std::upper_bound(begin_at.begin(), begin_at.end(), probe, by_key);
    if (hit == begin_at.begin() || by_key(*std::prev(hit), probe)) continue;  // no slice starts there
    terminating.emplace_back(std::prev(hit)->slice, f.id);
    recs.push_back({f.time, static_cast<uint32_t>(fi), Record::kFlow});
  }
  begin_at = {};
  // The ends of the flows across processes, on their goroutines' tracks.
  std::unordered_map<model::GoID, size_t> row_of;
  if (!options.cross_flows.empty())
    for (size_t row = 0; row < m.goroutines.size(); ++row) row_of.try_emplace(m.goroutines[row].id, row);
  for (size_t i = 0; i < options.cross_flows.size(); ++i)
    recs.push_back({options.cross_flows[i].time - m.trace_begin, static_cast<uint32_t>(i), Record::kCross});
  std::stable_sort(terminating.begin(), terminating.end(),
                   [](const auto& x, const auto& y) { return x.first < y.first; });
  std::stable_sort(recs.begin(), recs.end(), [](const Record& x, const Record& y) {
    return x.time != y.time ? x.time < y.time : x.order() < y.order();
  });

  static const std::string kFlowName[] = {"go", "unblock", "cancel wakes"};  // by TimelineFlow::Kind
  static const std::string kNoName;
  const auto name_of = [&](const Record& r) -> const std::string& {
    switch (r.kind) {
      case Record::kBegin: return *t.slices[r.source].name;
      case Record::kCancel: return t.instants[r.source].name;
      case Record::kFlow: return kFlowName[t.flows[r.source].kind];
      case Record::kFinding: return t.findings[r.source].finding->rule;
      case Record::kCross: return options.cross_flows[r.source].name;
      case Record::kEnd: break;
    }
    return kNoName;
  };
  const auto category_of = [](const Record& r) {
    switch (r.kind) {
      case Record::kCancel: return "cancel";
      case Record::kFlow:
      case Record::kCross: return "flow";
      case Record::kFinding: return "finding";
      case Record::kBegin:
      case Record::kEnd: break;
    }
    return "state";
  };
  const auto track_of = [&](const Record& r) {
    switch (r.kind) {
      case Record::kBegin:
      case Record::kEnd: return goroutine_uuid(t.slices[r.source].row);
      case Record::kCancel: {
        const size_t row = t.instants[r.source].row;
        return row == SIZE_MAX ? process_uuid : goroutine_uuid(row);
      }
      case Record::kFlow: return goroutine_uuid(t.flows[r.source].from_row);
      case Record::kFinding: {
        const size_t row = t.findings[r.source].row;
        return row == SIZE_MAX ? process_uuid : goroutine_uuid(row);
      }
      case Record::kCross: {
        auto row = row_of.find(options.cross_flows[r.source].g);
        return row == row_of.end() ? process_uuid : goroutine_uuid(row->second);
      }
    }
    return process_uuid;
  };

  // Names, categories and annotation names are interned: the first TrackEvent packet clears
  // the sequence's incremental state and carries every entry.
  InternTable names, categories, annotations;
  for (const Record& r : recs) {
    if (r.kind == Record::kEnd) continue;
    names.iid(name_of(r));
    categories.iid(category_of(r));
  }
  const uint64_t goroutine_iid = annotations.iid("goroutine");
  const uint64_t stack_iid = annotations.iid("stack");
  const uint64_t to_iid = annotations.iid("to goroutine");
  const uint64_t severity_iid = annotations.iid("severity");
  const uint64_t message_iid = annotations.iid("message");
  const uint64_t locations_iid = annotations.iid("locations");
  const uint64_t count_iid = annotations.iid("goroutines");
  // About 30 bytes a packet: one allocation instead of doublings that each copy the whole.
  out.reserve(out.size() + recs.size() * 32);
  bool first = true;
  for (const Record& r : recs) {
    protozero::pbf_writer trace(out);
    protozero::pbf_writer packet(trace, field::kPacket);
    packet.add_uint64(field::kTimestamp, static_cast<uint64_t>(r.time + options.process_start) + kTimeOffset);
    packet.add_uint32(field::kSequenceId, kSequence + pi);
    if (first) {
      packet.add_uint32(field::kSequenceFlags, kIncrementalStateCleared | kNeedsIncrementalState);
      protozero::pbf_writer interned(packet, field::kInternedData);
      categories.write(interned, field::kInternedCategories);
      names.write(interned, field::kInternedEventNames);
      annotations.write(interned, field::kInternedAnnotationNames);
      first = false;
    } else {
      packet.add_uint32(field::kSequenceFlags, kNeedsIncrementalState);
    }
    protozero::pbf_writer ev(packet, field::kTrackEvent);
    if (r.kind != Record::kEnd) {
      ev.add_uint64(field::kCategoryIids, categories.iid(category_of(r)));
      ev.add_uint64(field::kNameIid, names.iid(name_of(r)));
    }
    if (r.kind == Record::kBegin) {
      const TimelineSlice& slice = t.slices[r.source];
      {
        protozero::pbf_writer a(ev, field::kDebugAnnotations);
        a.add_uint64(field::kAnnotationNameIid, goroutine_iid);
        a.add_int64(field::kAnnotationIntValue, m.goroutines[slice.row].id);
      }
      if (!slice.stack->empty()) {
        protozero::pbf_writer a(ev, field::kDebugAnnotations);
        a.add_uint64(field::kAnnotationNameIid, stack_iid);
        a.add_string(field::kAnnotationStringValue, *slice.stack);
      }
    }
    if (r.kind == Record::kFlow) {
      protozero::pbf_writer a(ev, field::kDebugAnnotations);
      a.add_uint64(field::kAnnotationNameIid, to_iid);
      a.add_int64(field::kAnnotationIntValue, m.goroutines[t.flows[r.source].to_row].id);
    }
    if (r.kind == Record::kFinding) {
      const TimelineFinding& tf = t.findings[r.source];
      const auto text = [&](uint64_t iid, std::string_view value) {
        protozero::pbf_writer a(ev, field::kDebugAnnotations);
        a.add_uint64(field::kAnnotationNameIid, iid);
        a.add_string(field::kAnnotationStringValue, value.data(), value.size());
      };
      text(severity_iid, diagnose::to_string(tf.finding->severity));
      text(message_iid, tf.finding->message);
      if (!tf.locations->empty()) text(locations_iid, *tf.locations);
      protozero::pbf_writer a(ev, field::kDebugAnnotations);
      a.add_uint64(field::kAnnotationNameIid, count_iid);
      a.add_int64(field::kAnnotationIntValue, tf.finding->count);
    }
    const TrackEventType type = r.kind == Record::kBegin ? kSliceBegin : (r.kind == Record::kEnd ? kSliceEnd : kInstant);
    ev.add_enum(field::kType, type);
    ev.add_uint64(field::kTrackUuid, track_of(r));
    if (r.kind == Record::kFlow) ev.add_fixed64(field::kFlowIds, t.flows[r.source].id + bits);
    if (r.kind == Record::kCross) {
      const ExportOptions::CrossFlow& f = options.cross_flows[r.source];
      ev.add_fixed64(f.out ? field::kFlowIds : field::kTerminatingFlowIds, f.id);
    }
    if (r.kind == Record::kBegin) {
      // Records are in time order, slices' terminating lists in slice order: find this one's.
      const auto range = std::equal_range(terminating.begin(), terminating.end(), std::make_pair(r.source, uint64_t{0}),
                                          [](const auto& x, const auto& y) { return x.first < y.first; });
      for (auto it = range.first; it != range.second; ++it) ev.add_fixed64(field::kTerminatingFlowIds, it->second + bits);
    }
  }
  return out;
}

}  // namespace ctxtrail::render
