/// Perfetto protobuf trace (Trace { repeated TracePacket packet = 1 }), written with protozero.
/// Tracks: one process track for the program, a child track per start function, a child
/// track per goroutine under it. States are slices (TYPE_SLICE_BEGIN / END), cancels instants;
/// spawn, wake and cancel edges are flows: flow_ids on an instant on the source goroutine's
/// track, terminating_flow_ids on the target's slice that starts then. Event names, categories
/// and annotation names are interned (InternedData on the first TrackEvent packet). Field numbers:
/// testdata/schemas/perfetto/trace.proto.
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

uint64_t group_uuid(size_t g) { return 0x100000000ull + g; }
uint64_t goroutine_uuid(size_t row) { return 0x200000000ull + row; }

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

/// One TrackEvent to write, ordered by time (ends before begins at the same instant).
struct Record {
  int64_t time = 0;
  int order = 0;  // 0 end, 1 instant, 2 begin
  TrackEventType type = kInstant;
  uint64_t track = 0;
  const std::string* name = nullptr;
  const TimelineSlice* slice = nullptr;
  int64_t goid = 0;
  int64_t flow_to = -1;  // flow instants: the goroutine the flow goes to
  std::vector<uint64_t> flows;
  std::vector<uint64_t> terminating;
  const char* category = "state";
};

void write_descriptor(std::string& out, uint64_t uuid, uint64_t parent, const std::string& name,
                      bool process, int ordering, int32_t rank, bool first) {
  protozero::pbf_writer trace(out);
  protozero::pbf_writer packet(trace, field::kPacket);
  packet.add_uint32(field::kSequenceId, kSequence);
  if (first) packet.add_uint32(field::kSequenceFlags, kIncrementalStateCleared);
  protozero::pbf_writer desc(packet, field::kTrackDescriptor);
  desc.add_uint64(field::kUuid, uuid);
  desc.add_string(field::kName, name);
  if (process) {
    protozero::pbf_writer proc(desc, field::kProcess);
    proc.add_int32(field::kPid, 1);
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

  write_descriptor(out, kProcessUuid, 0, "go: " + in.trace_name, true, kExplicit, -1, true);
  for (size_t gi = 0; gi < t.groups.size(); ++gi) {
    std::string name = t.groups[gi].function + " (" + std::to_string(t.groups[gi].rows.size()) + ")";
    write_descriptor(out, group_uuid(gi), kProcessUuid, name, false, kExplicit,
                     static_cast<int32_t>(gi), false);
    int32_t rank = 0;
    for (size_t row : t.groups[gi].rows) {
      std::string gname = "G" + std::to_string(m.goroutines[row].id) + " " + t.groups[gi].function;
      write_descriptor(out, goroutine_uuid(row), group_uuid(gi), gname, false, 0, rank++, false);
    }
  }

  std::vector<Record> recs;
  recs.reserve(t.slices.size() * 2 + t.instants.size() + t.flows.size());
  // Slice begins by (row, time), to attach terminating flow ids.
  std::unordered_map<uint64_t, size_t> begin_at;
  auto key = [](size_t row, int64_t time) { return (static_cast<uint64_t>(row) << 40) ^ static_cast<uint64_t>(time); };
  for (const TimelineSlice& s : t.slices) {
    if (s.end <= s.begin) continue;  // an empty slice would end before it begins
    Record b;
    b.time = s.begin;
    b.order = 2;
    b.type = kSliceBegin;
    b.track = goroutine_uuid(s.row);
    b.name = s.name;
    b.slice = &s;
    b.goid = m.goroutines[s.row].id;
    begin_at[key(s.row, s.begin)] = recs.size();
    recs.push_back(std::move(b));
    Record e;
    e.time = s.end;
    e.order = 0;
    e.type = kSliceEnd;
    e.track = goroutine_uuid(s.row);
    recs.push_back(std::move(e));
  }
  for (const TimelineInstant& i : t.instants) {
    Record r;
    r.time = i.time;
    r.order = 1;
    r.track = i.row == SIZE_MAX ? kProcessUuid : goroutine_uuid(i.row);
    r.name = &i.name;
    r.category = "cancel";
    recs.push_back(std::move(r));
  }
  static const std::string kFlowName[] = {"go", "unblock", "cancel wakes"};  // by TimelineFlow::Kind
  for (const TimelineFlow& f : t.flows) {
    auto target = begin_at.find(key(f.to_row, f.time));
    if (target == begin_at.end()) continue;  // no slice starts there to end the arrow on
    recs[target->second].terminating.push_back(f.id);
    Record r;
    r.time = f.time;
    r.order = 1;
    r.track = goroutine_uuid(f.from_row);
    r.name = &kFlowName[f.kind];
    r.flow_to = m.goroutines[f.to_row].id;
    r.flows.push_back(f.id);
    r.category = "flow";
    recs.push_back(std::move(r));
  }
  std::stable_sort(recs.begin(), recs.end(), [](const Record& a, const Record& b) {
    return a.time != b.time ? a.time < b.time : a.order < b.order;
  });

  // Names, categories and annotation names are interned: the first TrackEvent packet clears
  // the sequence's incremental state and carries every entry.
  InternTable names, categories, annotations;
  for (const Record& r : recs) {
    if (r.type == kSliceEnd) continue;
    names.iid(*r.name);
    categories.iid(r.category);
  }
  const uint64_t goroutine_iid = annotations.iid("goroutine");
  const uint64_t stack_iid = annotations.iid("stack");
  const uint64_t to_iid = annotations.iid("to goroutine");
  bool first = true;
  for (const Record& r : recs) {
    protozero::pbf_writer trace(out);
    protozero::pbf_writer packet(trace, field::kPacket);
    packet.add_uint64(field::kTimestamp, static_cast<uint64_t>(r.time) + kTimeOffset);
    packet.add_uint32(field::kSequenceId, kSequence);
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
    if (r.type != kSliceEnd) {
      ev.add_uint64(field::kCategoryIids, categories.iid(r.category));
      ev.add_uint64(field::kNameIid, names.iid(*r.name));
    }
    if (r.slice != nullptr) {
      {
        protozero::pbf_writer a(ev, field::kDebugAnnotations);
        a.add_uint64(field::kAnnotationNameIid, goroutine_iid);
        a.add_int64(field::kAnnotationIntValue, r.goid);
      }
      if (!r.slice->stack->empty()) {
        protozero::pbf_writer a(ev, field::kDebugAnnotations);
        a.add_uint64(field::kAnnotationNameIid, stack_iid);
        a.add_string(field::kAnnotationStringValue, *r.slice->stack);
      }
    }
    if (r.flow_to >= 0) {
      protozero::pbf_writer a(ev, field::kDebugAnnotations);
      a.add_uint64(field::kAnnotationNameIid, to_iid);
      a.add_int64(field::kAnnotationIntValue, r.flow_to);
    }
    ev.add_enum(field::kType, r.type);
    ev.add_uint64(field::kTrackUuid, r.track);
    for (uint64_t id : r.flows) ev.add_fixed64(field::kFlowIds, id);
    for (uint64_t id : r.terminating) ev.add_fixed64(field::kTerminatingFlowIds, id);
  }
  return out;
}

}  // namespace ctxtrail::render
