/// One goroutine's life, state by state: creation, states with what blocked it and who woke
/// it, the cancel waves that reached it, its end, and the findings that name it.
#include <fmt/format.h>

#include <algorithm>

#include "ctxtrail/diagnose/reaction.h"
#include "ctxtrail/model/naming.h"
#include "ctxtrail/render/views.h"

namespace ctxtrail::render {
namespace {

std::string ms(int64_t ns) { return model::format_time_ms(ns); }

std::string loc(model::FrameClassifier& f, trace::StackID s) {
  model::SourceLoc l = f.top_user_location(s);
  if (l.empty()) l = f.leaf_location(s);
  return model::long_location(l);
}

std::string name(const analysis::Analysis& t, trace::GoID id) {
  return model::goroutine_name(t.model, id, t.frames());
}

void print_lifecycle(const analysis::Analysis& t, trace::GoID id, std::ostream& out) {
  const model::Model& m = t.model;
  const model::Goroutine* g = m.find(id);  // render_lifecycle_text checked it is there
  auto rel = [&](int64_t ns) { return ms(ns - m.trace_begin); };
  model::FrameClassifier& f = t.frames();
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
                            iv->waker_stack ? fmt::format(" at {}", loc(f, iv->waker_stack)) : std::string());
    } else if (iv->stack != 0) {
      what += ' ';
      what += loc(f, iv->stack);
    }
    out << fmt::format("    {:>16} +{:<14} {}\n", rel(iv->begin), ms(end - iv->begin), what);
  }
  for (const model::Watcher& w : m.watchers) {
    if (w.g != id) continue;
    const model::CancelWave& wave = m.waves[w.wave];
    std::string reaction;
    switch (diagnose::reaction_of(w).reaction) {
      case diagnose::Reaction::Ended: reaction = "ended " + ms(w.ended_at - w.woken_at) + " later"; break;
      case diagnose::Reaction::MovedOn:
        reaction = "returned from " + std::string(f.str(w.wait_function)) + " and went on";
        break;
      case diagnose::Reaction::BlockedAgain: reaction = "blocked again at " + loc(f, w.reblock_stack); break;
      case diagnose::Reaction::KeptRunning: reaction = "kept running"; break;
    }
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
  bool heading = false;
  for (const diagnose::Finding& finding : t.report.findings) {
    if (std::find(finding.goroutines.begin(), finding.goroutines.end(), id) == finding.goroutines.end()) continue;
    if (!heading) out << "  findings:\n";
    heading = true;
    out << fmt::format("    {}[{}]: {}\n", diagnose::to_string(finding.severity), finding.rule, finding.message);
  }
}
}  // namespace

bool render_lifecycle_text(const analysis::Analysis& a, trace::GoID g, std::ostream& out) {
  if (a.model.find(g) == nullptr) return false;
  print_lifecycle(a, g, out);
  return true;
}

}  // namespace ctxtrail::render
