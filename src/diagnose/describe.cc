/// Wording and location helpers shared by the rules.
#include "diagnose/describe.h"

#include <fmt/format.h>

#include "diagnose/facts.h"
#include "diagnose/rule_context_common.h"

namespace ctxtrail::diagnose {

using model::Goroutine;
using model::GoKind;

std::string_view to_string(Severity s) {
  switch (s) {
    case Severity::Info: return "info";
    case Severity::Warning: return "warning";
    case Severity::Error: return "error";
  }
  return "?";
}

std::string start_function(RuleContext& ctx, const Goroutine& g) { return model::start_function(g, ctx.frames); }

std::string go_name(RuleContext& ctx, const Goroutine& g) { return model::goroutine_name(g, ctx.frames); }

std::string_view recorded_wait_reason(RuleContext& ctx, trace::StringID reason, StackID stack) {
  std::string_view r = ctx.frames.str(reason);
  return r.empty() ? ctx.frames.infer_reason(stack) : r;
}

std::string wait_reason(RuleContext& ctx, const Goroutine& g) {
  std::string_view r = recorded_wait_reason(ctx, g.reason, g.state_stack);
  if (r == "forever") return "forever (select {} or a nil channel)";
  return std::string(r.empty() ? "unknown wait" : r);
}

std::string describe_block(RuleContext& ctx, std::string_view reason, StackID stack) {
  model::SourceLoc l = ctx.frames.app_location(stack);
  if (l.empty()) return fmt::format("{}", reason);
  return fmt::format("{} at {} ({})", reason, short_location(l), l.function);
}

bool reportable(RuleContext& ctx, const Goroutine& g) {
  switch (g.kind) {
    case GoKind::User: return true;
    case GoKind::Runtime:
    case GoKind::Testing: return ctx.options.include_runtime;
    case GoKind::Main:
    case GoKind::TestRunner:
    case GoKind::Service: return false;
  }
  return false;
}

bool parked(RuleContext& ctx, const Goroutine& g) {
  return g.ended_at < 0 && g.state == trace::GoState::Waiting &&
         model::is_parking_reason(wait_reason(ctx, g));
}

void add_loc(RuleContext& ctx, Finding& f, std::string_view role, StackID stack) {
  // Where it waits or runs: the user's own line, not the standard library's (net, bufio, os).
  model::SourceLoc l = role == role::kBlock || role == role::kRunning ? ctx.frames.app_location(stack)
                                                                      : ctx.frames.top_user_location(stack);
  if (l.empty()) return;
  for (const Location& have : f.locations)
    if (have.role == role && have.where.file == l.file && have.where.line == l.line) return;
  f.locations.push_back(Location{std::string(role), std::move(l)});
}

model::SourceLoc creation_location(RuleContext& ctx, StackID stack) {
  const int32_t at = ctx.frames.creation_frame(stack);
  if (at < 0) return {};
  return ctx.frames.location(ctx.frames.stacks().frames(stack)[static_cast<size_t>(at)]);
}

namespace {

// A dependency's file: the module cache or a vendor directory.
bool in_dependency(std::string_view file) {
  return file.find("/pkg/mod/") != std::string_view::npos || file.find("/vendor/") != std::string_view::npos;
}

// The innermost creation frame in the program's own code, when the `go` statement is a library's.
model::SourceLoc caller_location(RuleContext& ctx, StackID stack, const model::SourceLoc& created) {
  if (created.empty() || (!in_dependency(created.file) && !ctx.frames.is_stdlib_file(created.file))) return {};
  for (const auto& fr : ctx.frames.stacks().frames(stack)) {
    std::string_view file = ctx.frames.str(fr.file);
    if (file.empty() || in_dependency(file) || ctx.frames.is_stdlib(fr)) continue;
    return ctx.frames.location(fr);
  }
  return {};
}

}  // namespace

void add_goroutine_locs(RuleContext& ctx, Finding& f, const Goroutine& g) {
  model::SourceLoc c = creation_location(ctx, g.creation_stack);
  bool have = false;
  for (const Location& l : f.locations)
    have = have || (l.role == role::kCreation && l.where.file == c.file && l.where.line == c.line);
  model::SourceLoc caller = have ? model::SourceLoc{} : caller_location(ctx, g.creation_stack, c);
  if (!c.empty() && !have) f.locations.push_back(Location{std::string(role::kCreation), std::move(c)});
  if (!caller.empty()) f.locations.push_back(Location{std::string(role::kCaller), std::move(caller)});
  if (g.created_at >= 0) add_loc(ctx, f, role::kStart, g.start_stack);
}

namespace {

// Where the owner of a deadline waited on it: the program's line of the first goroutine the
// timer woke (the select on ctx.Done() in the function that made the context).
model::SourceLoc deadline_watch_site(RuleContext& ctx, const model::CancelWave& w) {
  for (int32_t wx : w.watchers) {
    model::SourceLoc l = ctx.frames.app_location(ctx.m.watchers[wx].wait_stack);
    if (!l.empty()) return l;
  }
  return {};
}

}  // namespace

model::SourceLoc cancel_location(RuleContext& ctx, const model::CancelWave& w) {
  model::SourceLoc l = ctx.frames.top_user_location(w.stack);
  if (!l.empty()) return l;
  // A deadline timer cancels from the runtime's timer code, no line of the program's: its user
  // line is the context's creation (WithTimeout/WithDeadline, from trail events), else where
  // the deadline's owner waited on it. context/context.go stays a frame of the stack only.
  if (const model::Context* c = ctx.facts ? context_of_wave(ctx, w) : nullptr; c && c->known && !c->site.empty())
    return c->site;
  // The relay that propagateCancel starts in a constructor (WithCancel on a parent of a foreign
  // type) cancels from package context alone: its line is that constructor's call. (Not an
  // AfterFunc callback, which a cancel call started.)
  if (const model::Goroutine* relay = ctx.m.find(w.canceller); !w.timer && relay != nullptr && relay->creation_stack != 0) {
    const auto& made_in = ctx.frames.info(relay->creation_stack);
    if (made_in.context_leaf && !made_in.cancel)
      if (l = ctx.frames.top_user_location(relay->creation_stack); !l.empty()) return l;
  }
  l = deadline_watch_site(ctx, w);
  return l.empty() ? ctx.frames.outermost_location(w.stack) : l;
}

std::string describe_wave(RuleContext& ctx, const model::CancelWave& w) {
  const model::Context* c = ctx.facts ? context_of_wave(ctx, w) : nullptr;
  if (w.timer) {
    if (c != nullptr) return fmt::format("cancel wave #{} (deadline of {})", w.id, describe_context(*c));
    model::SourceLoc watched = deadline_watch_site(ctx, w);
    if (!watched.empty())
      return fmt::format("cancel wave #{} (the deadline of a context {} waited on at {})", w.id,
                         watched.function, short_location(watched));
    return fmt::format("cancel wave #{} (deadline timer)", w.id);
  }
  if (c != nullptr) {
    return fmt::format("cancel wave #{} (cancel of {} at {})", w.id, describe_context(*c),
                       short_location(cancel_location(ctx, w)));
  }
  return fmt::format("cancel wave #{} (cancel at {})", w.id, short_location(cancel_location(ctx, w)));
}

void set_block_stack(RuleContext& ctx, Finding& f, StackID stack) {
  f.block_stack.clear();
  for (const auto& fr : ctx.frames.stacks().frames(stack)) f.block_stack.push_back(ctx.frames.location(fr));
}

int64_t rel(RuleContext& ctx, int64_t t) { return t - ctx.m.trace_begin; }

std::optional<model::Watcher> ended_by_wave(RuleContext& ctx, const Goroutine& g) {
  if (g.ended_at < 0 || g.watch == model::kNone) return std::nullopt;
  const model::Watcher w = ctx.m.watchers[g.watch];
  if (w.ended_at < 0) return std::nullopt;
  // Ended because of it: not a connection's goroutine that went on to its next request and
  // ended much later when the client closed the connection.
  if (ctx.facts != nullptr && reaction_of(w).reaction != Reaction::Ended) return std::nullopt;
  return w;
}

std::string describe_waker(RuleContext& ctx, const Goroutine& g) {
  const Goroutine* w = ctx.m.find(ctx.m.wakes_of(g).wait_waker);
  if (w == nullptr || w->id == g.id) return "";
  std::string where;
  if (w->ended_at >= 0) {
    const std::optional<model::Watcher> wt = ended_by_wave(ctx, *w);
    where = wt.has_value()
                ? fmt::format("ended at {} after {}", format_duration(rel(ctx, w->ended_at)),
                              describe_wave(ctx, ctx.m.waves[wt->wave]))
                : fmt::format("ended at {}", format_duration(rel(ctx, w->ended_at)));
  } else if (w->state == trace::GoState::Waiting) {
    where = "is itself blocked: " + describe_block(ctx, wait_reason(ctx, *w), w->state_stack);
  } else {
    where = fmt::format("is {} elsewhere", trace::to_string(w->state));
  }
  return fmt::format("; it was last woken by {}, which {}", go_name(ctx, *w), where);
}

std::string describe_state(RuleContext& ctx, Finding& f, const Goroutine& g) {
  if (g.state == trace::GoState::Waiting) {
    add_loc(ctx, f, role::kBlock, g.state_stack);
    set_block_stack(ctx, f, g.state_stack);
    std::string reason = wait_reason(ctx, g);
    if (!model::is_parking_reason(reason))
      return "waiting (" + describe_block(ctx, reason, g.state_stack) + ")";
    return "blocked on " + describe_block(ctx, reason, g.state_stack) +
           fmt::format(" since t={} and not woken since", format_duration(rel(ctx, g.state_since))) +
           describe_waker(ctx, g);
  }
  add_loc(ctx, f, role::kRunning, g.last_stack);
  return fmt::format("still {} (last seen at {})", trace::to_string(g.state),
                     short_location(ctx.frames.app_location(g.last_stack)));
}

}  // namespace ctxtrail::diagnose
