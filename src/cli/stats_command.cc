/// `ctxtrail stats TRACE [--json]`: how many events of which kind, goroutine transitions,
/// duration. On a malformed trace it still prints what was read (complete: false), exit 3.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <map>

#include "cli/commands.h"
#include "cli/event_json.h"
#include "cli/trace_input.h"
#include "trace/id_index.h"

namespace ctxtrail::cli {
namespace {

struct Stats {
  uint64_t events = 0;
  int64_t first = 0, last = 0;
  uint64_t by_kind[trace::kNumEventKinds] = {};
  uint64_t transitions[6][6] = {};
  // Distinct goroutine IDs, small ones in a plain table (a hash-set insert on each of a busy
  // trace's 38 M goroutine transitions cost 4% of `stats`).
  trace::IdIndex goroutines;

  void add(const trace::Event& ev) {
    if (events == 0) first = ev.time;
    last = ev.time;
    events++;
    by_kind[static_cast<int>(ev.kind)]++;
    if (ev.kind == trace::EventKind::StateTransition && ev.resource == trace::ResourceKind::Goroutine) {
      transitions[ev.from % 6][ev.to % 6]++;
      if (goroutines.find(ev.resource_id) == trace::IdIndex::kNone) goroutines.insert(ev.resource_id, 0);
    }
  }
  std::map<std::string, uint64_t> kinds() const {
    std::map<std::string, uint64_t> m;
    for (int k = 0; k < trace::kNumEventKinds; k++)
      if (by_kind[k] != 0) m[std::string(trace::to_string(static_cast<trace::EventKind>(k)))] = by_kind[k];
    return m;
  }
  std::map<std::string, uint64_t> transition_counts() const {
    std::map<std::string, uint64_t> m;
    for (int f = 0; f < 6; f++)
      for (int t = 0; t < 6; t++)
        if (transitions[f][t] != 0) {
          m[fmt::format("{}->{}", trace::to_string(static_cast<trace::GoState>(f)),
                        trace::to_string(static_cast<trace::GoState>(t)))] = transitions[f][t];
        }
    return m;
  }
};

std::string version_string(int v) { return fmt::format("1.{}", v); }

void write_counts(std::string& out, const std::map<std::string, uint64_t>& m) {
  out += '{';
  bool first = true;
  for (const auto& [k, v] : m) {
    if (!first) out += ',';
    first = false;
    append_json_string(out, k);
    fmt::format_to(std::back_inserter(out), ":{}", v);
  }
  out += '}';
}

std::string stats_json(const Stats& s, const trace::Reader& r) {
  std::string out = "{\"format_version\":";
  append_json_string(out, version_string(r.format_version()));
  fmt::format_to(std::back_inserter(out), ",\"generations\":{},\"events\":{},\"duration_ns\":{},\"goroutines\":{}",
                 r.generations(), s.events, s.events ? s.last - s.first : 0, s.goroutines.size());
  out += ",\"events_by_kind\":";
  write_counts(out, s.kinds());
  out += ",\"goroutine_transitions\":";
  write_counts(out, s.transition_counts());
  fmt::format_to(std::back_inserter(out), ",\"complete\":{}}}\n", r.complete());
  return out;
}

std::string stats_text(const Stats& s, const trace::Reader& r) {
  std::string out;
  fmt::format_to(std::back_inserter(out), "format:      go {}\n", version_string(r.format_version()));
  fmt::format_to(std::back_inserter(out), "generations: {}\n", r.generations());
  fmt::format_to(std::back_inserter(out), "events:      {}\n", s.events);
  if (s.events > 0) fmt::format_to(std::back_inserter(out), "duration:    {:.6f}s\n", (s.last - s.first) / 1e9);
  fmt::format_to(std::back_inserter(out), "goroutines:  {}\n", s.goroutines.size());
  fmt::format_to(std::back_inserter(out), "complete:    {}\n", r.complete());
  fmt::format_to(std::back_inserter(out), "events by kind:\n");
  for (const auto& [k, v] : s.kinds()) fmt::format_to(std::back_inserter(out), "  {:<16} {}\n", k, v);
  fmt::format_to(std::back_inserter(out), "goroutine transitions:\n");
  for (const auto& [k, v] : s.transition_counts()) fmt::format_to(std::back_inserter(out), "  {:<24} {}\n", k, v);
  const trace::ReaderStats rs = r.stats();
  fmt::format_to(std::back_inserter(out),
                 "input:\n  bytes                    {}\n  batches                  {}\n"
                 "  experimental batches     {}\n  CPU samples              {}\n"
                 "  time fix-ups (+1 ns)     {}\n  out-of-order advances    {}\n",
                 rs.bytes, rs.batches, rs.experimental_batches, rs.cpu_samples, rs.time_fixups,
                 rs.out_of_order);
  return out;
}

struct StatsArgs {
  std::string path;
  bool json = false;
};

void run_stats(const StatsArgs& args, Io& io) {
  auto reader = open_trace(args.path, io);
  if (!reader) return;
  Stats stats;
  const std::optional<Error> failure = trace::for_each_event(*reader, [&](const trace::Event& ev) { stats.add(ev); });
  end_progress();
  io.out << (args.json ? stats_json(stats, *reader) : stats_text(stats, *reader));
  io.out.flush();
  if (failure) report_input_error(*failure, io);
}

}  // namespace

void install_stats_command(CLI::App& root, Io& io) {
  auto args = std::make_shared<StatsArgs>();
  auto* cmd = root.add_subcommand("stats", "Summarise a Go execution trace: events by kind, goroutine transitions");
  cmd->add_option("trace", args->path, "trace file (gzip accepted), - for stdin")->required();
  cmd->add_flag("--json", args->json, "print JSON (docs/event-stream.md)");
  cmd->callback([args, &io] { run_stats(*args, io); });
}

}  // namespace ctxtrail::cli
