/// The context tree recorded by the Go package trail, as text and as JSON: kinds, deadlines,
/// creation and cancel sites, causes, watchers and per-edge propagation.
#include <fmt/chrono.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <chrono>

#include "ctxtrail/model/naming.h"
#include "ctxtrail/render/views.h"

namespace ctxtrail::render {
namespace {

using nlohmann::ordered_json;


std::string ms(int64_t ns) { return model::format_short_ms(ns); }

std::string where(const model::SourceLoc& l) {
  if (l.empty()) return "?";
  return fmt::format("{} ({})", model::short_location(l), l.function);
}

std::string unix_time(int64_t ns) {
  std::chrono::sys_time<std::chrono::nanoseconds> t{std::chrono::nanoseconds(ns)};
  return fmt::format("{:%Y-%m-%dT%H:%M:%S}Z", t);
}

ordered_json loc_json(const model::SourceLoc& l) {
  return ordered_json{{"function", l.function}, {"file", l.file}, {"line", l.line}};
}

struct TreePrinter {
  const analysis::Analysis& t;
  const model::ContextTree& tree = t.contexts;
  int64_t begin = t.model.trace_begin;

  int64_t rel(int64_t ns) const { return ns - begin; }
  ordered_json time_or_null(int64_t ns) const { return ns < 0 ? ordered_json(nullptr) : ordered_json(rel(ns)); }

  ordered_json uses_json(const std::vector<model::ContextUse>& uses, bool with_err) const {
    ordered_json a = ordered_json::array();
    for (const model::ContextUse& u : uses) {
      ordered_json j{{"goroutine", u.g}, {"time_ns", rel(u.time)}};
      if (with_err) j["err"] = u.err;
      j.update(loc_json(u.site));
      j["ended_ns"] = time_or_null(u.ended_at);
      a.push_back(std::move(j));
    }
    return a;
  }

  ordered_json context_json(const model::Context& c) const {
    ordered_json j;
    j["id"] = c.id;
    j["parent"] = c.parent;
    j["known"] = c.known;
    j["kind"] = c.kind;
    j["deadline_unix_ns"] = c.deadline;
    auto dl = tree.deadline_in_trace(c);
    j["deadline_ns"] = dl ? ordered_json(rel(*dl)) : ordered_json(nullptr);
    j["flags"] = c.flags;
    j["ambient"] = c.ambient;
    j["created"] = loc_json(c.site);
    j["created_ns"] = time_or_null(c.created_at);
    j["goroutine"] = c.created_by;
    j["creator_ended_ns"] = time_or_null(c.creator_ended);
    if (c.done) {
      const model::ContextDone& d = *c.done;
      auto lat = tree.propagation(c);
      j["done"] = ordered_json{{"time_ns", rel(d.time)},
                               {"goroutine", d.g},
                               {"reason", d.reason},
                               {"from", d.from},
                               {"err", d.err},
                               {"raced", d.raced},
                               {"cancel_location", loc_json(d.site)},
                               {"cause", d.cause},
                               {"wave", d.wave == model::kNone ? 0 : d.wave + 1},
                               {"propagation_ns", lat ? ordered_json(*lat) : ordered_json(nullptr)}};
    } else {
      j["done"] = nullptr;
    }
    j["watchers"] = uses_json(c.watches, false);
    j["errseen"] = uses_json(c.errseens, true);
    j["late"] = uses_json(c.lates, true);
    j["afterfuncs"] = ordered_json::array();
    for (const model::AfterFuncUse& a : c.afters) {
      ordered_json aj{{"id", a.after_id}, {"goroutine", a.g}, {"time_ns", rel(a.time)}};
      aj.update(loc_json(a.site));
      aj["ran_ns"] = time_or_null(a.ran_at);
      aj["ran_by"] = a.ran_by;
      j["afterfuncs"].push_back(std::move(aj));
    }
    j["children"] = ordered_json::array();
    for (int32_t ch : c.children) j["children"].push_back(tree.contexts[ch].id);
    return j;
  }

  void json(std::ostream& out) const {
    ordered_json j;
    j["trace"] = t.source.name;
    j["events"] = tree.events;
    j["contexts"] = ordered_json::array();
    for (const model::Context& c : tree.contexts) j["contexts"].push_back(context_json(c));
    model::Distribution d = tree.propagation_latencies();
    j["propagation"] = ordered_json{{"edges", d.count}, {"p50_ns", d.p50}, {"p99_ns", d.p99}, {"max_ns", d.max}};
    ordered_json odd = ordered_json::object();
    for (size_t i = 0; i < model::kNumContextOddities; ++i)
      odd[std::string(model::to_string(static_cast<model::ContextOddity>(i)))] = tree.oddities[i];
    j["oddities"] = std::move(odd);
    // Trace strings need not be UTF-8: invalid bytes become U+FFFD rather than an exception.
    out << j.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  }

  std::string uses_text(const std::vector<model::ContextUse>& uses) const {
    std::string s;
    for (const model::ContextUse& u : uses)
      s += fmt::format("{}G{} at {} {}{}", s.empty() ? "" : "; ", u.g, ms(rel(u.time)), where(u.site),
                       u.ended_at < 0 ? ", alive at end" : ", ended " + ms(rel(u.ended_at)));
    return s;
  }

  void text_node(const model::Context& c, int depth, std::ostream& out) const {
    std::string pad(2 * depth, ' ');
    std::string head = fmt::format("{}#{} {}", pad, c.id, c.known ? c.kind : "(created before the trace)");
    if (c.deadline != 0) {
      auto dl = tree.deadline_in_trace(c);
      head += dl ? fmt::format(" deadline {}", ms(rel(*dl))) : " deadline " + unix_time(c.deadline);
    }
    if (!c.flags.empty()) head += " [" + c.flags + "]";
    if (c.ambient != 0) head += fmt::format(" detached inside #{}", c.ambient);
    out << head << "\n";
    if (c.known)
      out << fmt::format("{}    created {} by G{} at {}\n", pad, ms(rel(c.created_at)), c.created_by, where(c.site));
    if (c.done) {
      const model::ContextDone& d = *c.done;
      std::string what = d.reason == "own" ? "cancel at " + where(d.site) : d.reason;
      if (d.reason == "parent" && d.from != 0) what += fmt::format(" #{}", d.from);
      if (auto lat = tree.propagation(c)) what += fmt::format(", +{} after it", ms(*lat));
      out << fmt::format("{}    done {} ({}, err {}{}{})\n", pad, ms(rel(d.time)), what, d.err,
                         d.cause.empty() ? "" : fmt::format(", cause {:?}", d.cause),
                         d.raced ? ", raced with its deadline" : "");
    } else {
      out << pad << "    not done\n";
    }
    if (!c.watches.empty()) out << pad << "    watchers: " << uses_text(c.watches) << "\n";
    if (!c.errseens.empty()) out << pad << "    saw Err: " << uses_text(c.errseens) << "\n";
    if (!c.lates.empty()) out << pad << "    late cancel: " << uses_text(c.lates) << "\n";
    for (const model::AfterFuncUse& a : c.afters)
      out << fmt::format("{}    AfterFunc #{} by G{} at {}{}\n", pad, a.after_id, a.g, where(a.site),
                         a.ran_at < 0 ? "" : fmt::format(", ran {} in G{}", ms(rel(a.ran_at)), a.ran_by));
    for (int32_t ch : c.children) text_node(tree.contexts[ch], depth + 1, out);
  }

  void text(std::ostream& out) const {
    size_t done = 0;
    for (const model::Context& c : tree.contexts) done += c.done ? 1 : 0;
    out << fmt::format("{}: {} contexts ({} done), {} ctxtrail events\n", t.source.name,
                       tree.contexts.size(), done, tree.events);
    if (tree.empty()) {
      out << "no ctxtrail events: the program did not use github.com/ctxtrail/ctxtrail/go/trail "
             "while tracing\n";
      return;
    }
    for (const model::Context& c : tree.contexts)
      if (c.parent_index == model::kNone) text_node(c, 0, out);
    model::Distribution d = tree.propagation_latencies();
    if (d.count > 0)
      out << fmt::format("propagation latency over {} edges: p50 {}, p99 {}, max {}\n", d.count, ms(d.p50),
                         ms(d.p99), ms(d.max));
    for (size_t i = 0; i < model::kNumContextOddities; ++i)
      if (tree.oddities[i] != 0)
        out << fmt::format("oddity {}: {} ({})\n", model::to_string(static_cast<model::ContextOddity>(i)),
                           tree.oddities[i], model::describe(static_cast<model::ContextOddity>(i)));
    if (!tree.first_malformed.empty()) out << "first malformed message: " << tree.first_malformed << "\n";
  }
};

}  // namespace

void render_contexts_text(const analysis::Analysis& a, std::ostream& out) { TreePrinter{a}.text(out); }

void render_contexts_json(const analysis::Analysis& a, std::ostream& out) { TreePrinter{a}.json(out); }

}  // namespace ctxtrail::render
