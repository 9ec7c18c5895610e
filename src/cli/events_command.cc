/// `ctxtrail events TRACE [--goroutine N] [--kind K] [--json]`: every event in global order,
/// one a line (JSON Lines per docs/event-stream.md with --json).
#include <CLI/CLI.hpp>

#include "cli/commands.h"
#include "ctxtrail/render/event_json.h"
#include "cli/trace_input.h"
#include "ctxtrail/analysis/analysis.h"

namespace ctxtrail::cli {
namespace {

struct EventsArgs {
  std::string path;
  bool json = false;
  std::optional<int64_t> goroutine;
  std::optional<std::string> kind;
};

bool selected(const trace::Event& ev, const EventsArgs& a, trace::EventKind kind) {
  if (a.kind && ev.kind != kind) return false;
  if (a.goroutine) {
    const bool about = ev.kind == trace::EventKind::StateTransition &&
                       ev.resource == trace::ResourceKind::Goroutine && ev.resource_id == *a.goroutine;
    if (ev.g != *a.goroutine && !about) return false;
  }
  return true;
}

void run_events(const EventsArgs& args, Io& io) {
  trace::EventKind kind = trace::EventKind::Bad;
  if (args.kind) {
    bool found = false;
    for (int k = 0; k < trace::kNumEventKinds; k++) {
      if (trace::to_string(static_cast<trace::EventKind>(k)) == *args.kind) {
        kind = static_cast<trace::EventKind>(k);
        found = true;
      }
    }
    if (!found) {
      io.err << "ctxtrail events: unknown --kind " << *args.kind
             << " (one of Sync, Metric, Label, StackSample, RangeBegin, RangeActive, RangeEnd, "
                "TaskBegin, TaskEnd, RegionBegin, RegionEnd, Log, StateTransition, Experimental)\n";
      io.exit_code = kExitUsage;
      return;
    }
  }
  std::string buf;
  buf.reserve(1 << 20);
  std::optional<render::EventJsonWriter> json;
  analysis::Options options;
  options.depth = analysis::Depth::Events;
  // Every event read is printed whatever ends the read: partial is the point.
  options.partial = true;
  options.tap = [&](std::span<const trace::Event> events, const trace::StringTable& strings,
                    const trace::StackTable& stacks) {
    for (const trace::Event& ev : events) {
      if (!selected(ev, args, kind)) continue;
      if (args.json) {
        if (!json) json.emplace(strings, stacks);
        json->append(buf, ev);
      } else {
        render::append_event_text(buf, ev, strings, stacks);
      }
      if (buf.size() > (1 << 20) - 4096) {
        io.out << buf;
        buf.clear();
      }
    }
  };
  options.progress = progress_bar(io);
  auto a = analysis::analyze(args.path, std::move(options));
  end_progress();
  io.out << buf;
  io.out.flush();
  if (!a.ok()) {
    report_input_error(a.error(), io, "events");
    return;
  }
  if (a->tail_error) report_input_error(*a->tail_error, io, "events");
}

}  // namespace

void install_events_command(CLI::App& root, Io& io) {
  auto args = std::make_shared<EventsArgs>();
  auto* cmd = root.add_subcommand("events", "Print the events of a Go execution trace in global order");
  cmd->add_option("trace", args->path, "trace file (gzip accepted), - for stdin")->required();
  cmd->add_flag("--json", args->json, "JSON Lines (docs/event-stream.md)");
  cmd->add_option("--goroutine", args->goroutine, "only events of this goroutine (running it or about it)");
  cmd->add_option("--kind", args->kind, "only events of this kind (Go's EventKind name)");
  cmd->callback([args, &io] { run_events(*args, io); });
}

}  // namespace ctxtrail::cli
