/// `ctxtrail lifecycle TRACE --goroutine N`: one goroutine's life, state by state.
#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include "cli/analysis.h"
#include "cli/commands.h"

namespace ctxtrail::cli {

namespace {

std::string ms(int64_t ns) { return fmt::format("{:.6f}ms", ns / 1e6); }

std::string loc(model::FrameClassifier& f, trace::StackID s) {
  model::SourceLoc l = f.top_user_location(s);
  if (l.empty()) l = f.leaf_location(s);
  if (l.empty()) return "";
  return fmt::format("{}:{} ({})", l.file, l.line, l.function);
}

std::string name(const LoadedTrace& t, trace::GoID id) {
  const model::Goroutine* g = t.model.find(id);
  if (g == nullptr) return id == trace::kNoGoroutine ? "no goroutine" : fmt::format("G{}", id);
  auto fr = t.frames->stacks().frames(g->start_stack);
  if (fr.empty()) return fmt::format("G{}", id);
  const auto& f = g->created_at >= 0 ? fr.front() : fr.back();
  return fmt::format("G{} ({})", id, t.frames->str(f.func));
}

void print_lifecycle(LoadedTrace& t, trace::GoID id, Io& io) {
  const model::Model& m = t.model;
  const model::Goroutine* g = m.find(id);
  if (g == nullptr) {
    io.err << "ctxtrail lifecycle: goroutine " << id << " does not appear in the trace\n";
    io.exit_code = kExitUsage;
    return;
  }
  auto rel = [&](int64_t ns) { return ms(ns - m.trace_begin); };
  model::FrameClassifier& f = *t.frames;
  std::ostream& out = io.out;
  out << fmt::format("{}  kind: {}\n", name(t, id), model::to_string(g->kind));
  if (g->created_at >= 0)
    out << fmt::format("  created   {} by {} at {}\n", rel(g->created_at), name(t, g->creator),
                       loc(f, g->creation_stack));
  else
    out << fmt::format("  existed when the trace started (first seen {})\n", rel(g->first_seen));
  if (g->start_stack != 0) out << fmt::format("  start     {}\n", loc(f, g->start_stack));
  if (g->test_root != trace::kNoGoroutine) out << fmt::format("  test      {}\n", name(t, g->test_root));
  out << "  states:\n";
  for (const model::Interval* iv : m.intervals_of(id)) {
    int64_t end = iv->end < 0 ? m.trace_end : iv->end;
    std::string what(trace::to_string(iv->state));
    if (iv->state == trace::GoState::Waiting) {
      std::string_view reason = f.str(iv->reason);
      if (reason.empty()) reason = f.infer_reason(iv->stack);
      what += fmt::format(" [{}] {}", reason, loc(f, iv->stack));
      if (iv->end >= 0)
        what += fmt::format("  <- woken by {}{}", name(t, iv->waker),
                            iv->waker_stack ? " at " + loc(f, iv->waker_stack) : std::string());
    } else if (iv->stack != 0) {
      what += " " + loc(f, iv->stack);
    }
    out << fmt::format("    {:>16} +{:<14} {}\n", rel(iv->begin), ms(end - iv->begin), what);
  }
  for (const model::Watcher& w : m.watchers) {
    if (w.g != id) continue;
    const model::CancelWave& wave = m.waves[w.wave];
    std::string reaction;
    if (w.ended_at >= 0)
      reaction = "ended " + ms(w.ended_at - w.woken_at) + " later";
    else if (w.returned_at >= 0)
      reaction = "returned from " + std::string(f.str(w.wait_function)) + " and went on";
    else if (w.reblocked_at >= 0)
      reaction = "blocked again at " + loc(f, w.reblock_stack);
    else
      reaction = "kept running";
    out << fmt::format("  cancel wave #{} at {} woke it from {}: {}\n", wave.id, rel(w.woken_at),
                       loc(f, w.wait_stack), reaction);
  }
  if (g->ended_at >= 0)
    out << fmt::format("  ended     {}{}\n", rel(g->ended_at),
                       g->last_stack ? "  last seen at " + loc(f, g->last_stack) : std::string());
  else
    out << fmt::format("  alive at trace end: {} since {}{}\n", trace::to_string(g->state),
                       rel(g->state_since),
                       g->last_stack ? ", last seen at " + loc(f, g->last_stack) : std::string());
}

}  // namespace

void install_lifecycle_command(CLI::App& root, Io& io) {
  struct Flags {
    std::string trace;
    int64_t goroutine = 0;
    bool partial = false;
  };
  auto flags = std::make_shared<Flags>();
  auto* cmd = root.add_subcommand("lifecycle", "Print one goroutine's life: creation, states, wakers, end");
  cmd->add_option("trace", flags->trace, "Go execution trace")->required();
  cmd->add_option("-g,--goroutine", flags->goroutine, "Goroutine ID")->required();
  cmd->add_flag("--partial", flags->partial, "Use what could be read of a malformed trace");
  cmd->callback([flags, &io] {
    model::ModelOptions o;
    o.intervals_for = {flags->goroutine};
    auto t = load_trace(flags->trace, o, flags->partial, io, "lifecycle");
    if (t) print_lifecycle(*t, flags->goroutine, io);
  });
}

}  // namespace ctxtrail::cli
