/// `stats`: events by kind, goroutine transitions, duration, and what the reader saw.
#include <fmt/format.h>

#include "ctxtrail/render/event_json.h"
#include "ctxtrail/render/views.h"

namespace ctxtrail::render {

void StatsCounter::add(std::span<const trace::Event> events) {
  for (const trace::Event& ev : events) {
    if (events_ == 0) first_ = ev.time;
    last_ = ev.time;
    events_++;
    by_kind_[static_cast<int>(ev.kind)]++;
    if (ev.kind == trace::EventKind::StateTransition && ev.resource == trace::ResourceKind::Goroutine) {
      transitions_[ev.from % 6][ev.to % 6]++;
      if (goroutines_.find(ev.resource_id) == trace::IdIndex::kNone) goroutines_.insert(ev.resource_id, 0);
    }
  }
}

std::map<std::string, uint64_t> StatsCounter::kinds() const {
  std::map<std::string, uint64_t> m;
  for (int k = 0; k < trace::kNumEventKinds; k++)
    if (by_kind_[k] != 0) m[std::string(trace::to_string(static_cast<trace::EventKind>(k)))] = by_kind_[k];
  return m;
}

std::map<std::string, uint64_t> StatsCounter::transition_counts() const {
  std::map<std::string, uint64_t> m;
  for (int f = 0; f < 6; f++)
    for (int t = 0; t < 6; t++)
      if (transitions_[f][t] != 0) {
        m[fmt::format("{}->{}", trace::to_string(static_cast<trace::GoState>(f)),
                      trace::to_string(static_cast<trace::GoState>(t)))] = transitions_[f][t];
      }
  return m;
}

namespace {

std::string version_string(int v) { return fmt::format("1.{}", v); }

void write_counts(std::string& out, const std::map<std::string, uint64_t>& m) {
  out += '{';
  bool first = true;
  for (const auto& [k, v] : m) {
    if (!first) out += ',';
    first = false;
    append_go_json_string(out, k);
    fmt::format_to(std::back_inserter(out), ":{}", v);
  }
  out += '}';
}

}  // namespace

std::string StatsCounter::json(const analysis::SourceInfo& r) const {
  const StatsCounter& s = *this;
  std::string out = "{\"format_version\":";
  append_go_json_string(out, version_string(r.format_version));
  fmt::format_to(std::back_inserter(out), ",\"generations\":{},\"events\":{},\"duration_ns\":{},\"goroutines\":{}",
                 r.generations, s.events_, s.events_ ? s.last_ - s.first_ : 0, s.goroutines_.size());
  out += ",\"events_by_kind\":";
  write_counts(out, s.kinds());
  out += ",\"goroutine_transitions\":";
  write_counts(out, s.transition_counts());
  fmt::format_to(std::back_inserter(out), ",\"complete\":{}}}\n", r.complete);
  return out;
}

std::string StatsCounter::text(const analysis::SourceInfo& r) const {
  const StatsCounter& s = *this;
  std::string out;
  fmt::format_to(std::back_inserter(out), "format:      go {}\n", version_string(r.format_version));
  fmt::format_to(std::back_inserter(out), "generations: {}\n", r.generations);
  fmt::format_to(std::back_inserter(out), "events:      {}\n", s.events_);
  if (s.events_ > 0) fmt::format_to(std::back_inserter(out), "duration:    {:.6f}s\n", (s.last_ - s.first_) / 1e9);
  fmt::format_to(std::back_inserter(out), "goroutines:  {}\n", s.goroutines_.size());
  fmt::format_to(std::back_inserter(out), "complete:    {}\n", r.complete);
  fmt::format_to(std::back_inserter(out), "events by kind:\n");
  for (const auto& [k, v] : s.kinds()) fmt::format_to(std::back_inserter(out), "  {:<16} {}\n", k, v);
  fmt::format_to(std::back_inserter(out), "goroutine transitions:\n");
  for (const auto& [k, v] : s.transition_counts()) fmt::format_to(std::back_inserter(out), "  {:<24} {}\n", k, v);
  const trace::ReaderStats& rs = r.stats;
  fmt::format_to(std::back_inserter(out),
                 "input:\n  bytes                    {}\n  batches                  {}\n"
                 "  experimental batches     {}\n  CPU samples              {}\n"
                 "  time fix-ups (+1 ns)     {}\n  out-of-order advances    {}\n",
                 rs.bytes, rs.batches, rs.experimental_batches, rs.cpu_samples, rs.time_fixups,
                 rs.out_of_order);
  return out;
}

}  // namespace ctxtrail::render
