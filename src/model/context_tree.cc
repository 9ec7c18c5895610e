/// Builds the ContextTree from trail's log events, then links it to the Model. Every message
/// either changes the tree or bumps one oddity counter; nothing in the input stops the build.
#include "ctxtrail/model/context_tree.h"

#include <algorithm>

#include <fmt/format.h>

namespace ctxtrail::model {

namespace {

constexpr std::array<std::string_view, kNumContextOddities> kOddityNames = {
#define CTXTRAIL_X(name, desc) #name,
    CTXTRAIL_CONTEXT_ODDITIES(CTXTRAIL_X)
#undef CTXTRAIL_X
};
constexpr std::array<std::string_view, kNumContextOddities> kOddityDescriptions = {
#define CTXTRAIL_X(name, desc) desc,
    CTXTRAIL_CONTEXT_ODDITIES(CTXTRAIL_X)
#undef CTXTRAIL_X
};

bool one_of(std::string_view k, std::initializer_list<std::string_view> set) {
  return std::find(set.begin(), set.end(), k) != set.end();
}

}  // namespace

std::string_view to_string(ContextOddity o) { return kOddityNames[static_cast<size_t>(o)]; }
std::string_view describe(ContextOddity o) { return kOddityDescriptions[static_cast<size_t>(o)]; }

bool Context::cancelable() const {
  return one_of(kind, {"cancel", "cancelcause", "timeout", "timeoutcause", "deadline", "deadlinecause"});
}
bool Context::timer_based() const {
  return one_of(kind, {"timeout", "timeoutcause", "deadline", "deadlinecause"}) && !has_flag('e');
}
bool Context::never_cancelled() const { return one_of(kind, {"background", "todo", "withoutcancel"}); }

Distribution distribution(std::vector<int64_t> v) {
  Distribution d;
  d.count = v.size();
  if (v.empty()) return d;
  std::sort(v.begin(), v.end());
  // Nearest rank: the smallest value with at least p% of the values at or below it.
  auto rank = [&](int p) { return v[std::max<size_t>(1, (v.size() * p + 99) / 100) - 1]; };
  d.p50 = rank(50);
  d.p99 = rank(99);
  d.max = v.back();
  return d;
}

const Context* ContextTree::find(uint64_t id) const {
  auto it = index.find(id);
  return it == index.end() ? nullptr : &contexts[it->second];
}

const Context* ContextTree::parent_of(const Context& c) const {
  return c.parent_index == kNone ? nullptr : &contexts[c.parent_index];
}

const Context* ContextTree::origin_of(const Context& c) const {
  const Context* at = &c;
  for (int guard = 0; guard < 10000 && at->done && at->done->reason == "parent"; ++guard) {
    const Context* up = find(at->done->from);
    if (up == nullptr || !up->done || up == at) break;
    at = up;
  }
  return at;
}

std::optional<int64_t> ContextTree::deadline_in_trace(const Context& c) const {
  if (!wall_offset || c.deadline == 0) return std::nullopt;
  return c.deadline + *wall_offset;
}

std::optional<int64_t> ContextTree::propagation(const Context& c) const {
  if (!c.done || c.done->reason != "parent" || c.done->from == 0) return std::nullopt;
  const Context* p = find(c.done->from);
  if (p == nullptr || !p->done) return std::nullopt;
  // A child made under a parent already done (derived-from-done's finding) could not hear of
  // it before it existed: its latency runs from its creation.
  return c.done->time - std::max(p->done->time, c.created_at);
}

Distribution ContextTree::propagation_latencies() const {
  std::vector<int64_t> v;
  for (const Context& c : contexts)
    if (auto l = propagation(c)) v.push_back(*l);
  return distribution(std::move(v));
}

struct ContextTreeBuilder::Impl {
  const trace::StringTable& strings;
  trace::StringID category = 0;
  ContextTree t;
  std::unordered_map<uint64_t, std::pair<int32_t, size_t>> afters;  // afterid -> (context, slot)

  explicit Impl(const trace::StringTable& s) : strings(s) {}

  void odd(ContextOddity o) { ++t.oddities[static_cast<size_t>(o)]; }

  // The context with this id, made as a placeholder (known = false) if it was never created.
  Context& get(uint64_t id, bool count_unknown = true) {
    auto it = t.index.find(id);
    if (it != t.index.end()) return t.contexts[it->second];
    if (count_unknown) odd(ContextOddity::unknown_context);
    t.index.emplace(id, static_cast<int32_t>(t.contexts.size()));
    Context& c = t.contexts.emplace_back();
    c.id = id;
    c.known = false;
    return c;
  }

  void on_new(TrailEvent& e, int64_t time, GoID g) {
    auto it = t.index.find(e.id);
    if (it != t.index.end() && t.contexts[it->second].known) {
      odd(ContextOddity::duplicate_new);
      return;
    }
    int32_t parent = kNone;
    if (e.parent != 0 && e.parent != e.id) {
      if (t.index.find(e.parent) == t.index.end()) odd(ContextOddity::missing_parent);
      get(e.parent, false);
      parent = t.index[e.parent];
    }
    Context& c = get(e.id, false);
    int32_t self = t.index[e.id];
    c.known = true;
    c.parent = e.parent;
    c.parent_index = parent;
    c.kind = std::move(e.ctx_kind);
    c.deadline = e.deadline;
    c.flags = std::move(e.flags);
    c.ambient = e.ambient;
    c.site = std::move(e.site);
    c.created_at = time;
    c.created_by = g;
    if (parent != kNone) t.contexts[parent].children.push_back(self);
  }

  void on_cancel(TrailEvent& e, int64_t time, GoID g) {
    Context& c = get(e.id);
    if (c.done) {
      odd(ContextOddity::duplicate_cancel);
      return;
    }
    ContextDone d;
    d.time = time;
    d.g = g;
    d.reason = std::move(e.reason);
    d.from = e.from;
    d.err = std::move(e.err);
    d.raced = e.flags.find('r') != std::string::npos;
    d.by_ancestor = e.flags.find('w') != std::string::npos;
    d.site = std::move(e.site);
    d.cause = std::move(e.cause);
    c.done = std::move(d);
  }

  void on_message(std::string_view msg, int64_t time, GoID g) {
    ++t.events;
    TrailParseResult p = parse_trail_message(msg);
    if (p.status == TrailParse::Unknown) {
      odd(ContextOddity::unknown_event);
      return;
    }
    if (p.status == TrailParse::Malformed) {
      odd(ContextOddity::malformed);
      if (t.first_malformed.empty()) t.first_malformed = fmt::format("{:?}: {}", msg, p.problem);
      return;
    }
    TrailEvent& e = p.event;
    bool use = e.kind == TrailEventKind::Watch || e.kind == TrailEventKind::ErrSeen;
    if (use && e.site.function.starts_with("runtime.")) {
      // No user frame: a call from inside the runtime or trail's own observer goroutine.
      odd(ContextOddity::internal_use);
      return;
    }
    switch (e.kind) {
      case TrailEventKind::New: on_new(e, time, g); break;
      case TrailEventKind::Cancel: on_cancel(e, time, g); break;
      case TrailEventKind::Watch:
        get(e.id).watches.push_back(ContextUse{g, time, std::move(e.site), {}, -1});
        break;
      case TrailEventKind::ErrSeen:
        get(e.id).errseens.push_back(ContextUse{g, time, std::move(e.site), std::move(e.err), -1});
        break;
      case TrailEventKind::Late:
        get(e.id).lates.push_back(ContextUse{g, time, std::move(e.site), std::move(e.err), -1});
        break;
      case TrailEventKind::After: {
        if (e.id == 0) break;  // registered on an untraced context
        Context& c = get(e.id);
        afters[e.after_id] = {t.index[e.id], c.afters.size()};
        c.afters.push_back(AfterFuncUse{e.after_id, g, time, std::move(e.site), -1, kNoGoroutine});
        break;
      }
      case TrailEventKind::AfterRun: {
        auto it = afters.find(e.after_id);
        if (it == afters.end()) {
          if (e.id != 0) odd(ContextOddity::unknown_afterfunc);
          break;
        }
        AfterFuncUse& a = t.contexts[it->second.first].afters[it->second.second];
        a.ran_at = time;
        a.ran_by = g;
        break;
      }
      default: t.remote.add(e, time, g); break;  // version 2: across processes
    }
  }

  void on_event(const trace::Event& ev) {
    t.remote.on_event(ev);
    if (ev.kind != trace::EventKind::Log) return;
    if (category == 0) {
      if (strings.get(ev.name) != kTrailCategory) return;
      category = ev.name;  // string IDs are global: equal IDs mean equal strings
    } else if (ev.name != category) {
      return;
    }
    on_message(strings.get(ev.text), ev.time, ev.g);
  }

  ContextTree finish(const Model& m) {
    // No trail events (most traces): nothing to join, and a million waves would make a million
    // lists for nothing.
    if (t.contexts.empty()) return std::move(t);
    // Waves by canceller and by the goroutines their cancel call spawned (AfterFunc).
    std::unordered_map<GoID, std::vector<int32_t>> by_canceller;
    std::unordered_map<GoID, int32_t> by_spawned;
    for (size_t i = 0; i < m.waves.size(); ++i) {
      by_canceller[m.waves[i].canceller].push_back(static_cast<int32_t>(i));
      for (GoID s : m.spawned_by(m.waves[i])) by_spawned[s] = static_cast<int32_t>(i);
    }
    auto ended = [&](GoID g) {
      const Goroutine* r = m.find(g);
      return r == nullptr ? int64_t{-1} : r->ended_at;
    };
    // Own cancels per goroutine in time order: each of that goroutine's waves belongs to the
    // first own cancel event after it (the cancel func wakes the watchers, then trail logs the
    // event in the same call), if that event follows within kSameCall; a cancel that woke
    // nobody has no wave.
    constexpr int64_t kSameCall = 1'000'000;
    std::unordered_map<GoID, std::vector<Context*>> own_by_goroutine;
    for (Context& c : t.contexts)
      if (c.done && c.done->reason == "own") own_by_goroutine[c.done->g].push_back(&c);
    for (auto& [g, own] : own_by_goroutine) {
      std::stable_sort(own.begin(), own.end(),
                       [](const Context* a, const Context* b) { return a->done->time < b->done->time; });
      auto it = by_canceller.find(g);
      if (it == by_canceller.end()) continue;
      size_t next = 0;
      for (int32_t w : it->second) {  // waves are in time order
        while (next < own.size() && own[next]->done->time < m.waves[w].time) ++next;
        if (next == own.size()) break;
        if (own[next]->done->time - m.waves[w].time <= kSameCall) own[next++]->done->wave = w;
      }
    }
    for (Context& c : t.contexts) {
      if (c.created_by != kNoGoroutine) c.creator_ended = ended(c.created_by);
      for (auto* uses : {&c.watches, &c.errseens, &c.lates})
        for (ContextUse& u : *uses) u.ended_at = ended(u.g);
      if (!c.done) continue;
      ContextDone& d = *c.done;
      if (d.by_ancestor) {
        // trail's walk of the ancestor's children, right after the ancestor's own event: its
        // wave (an ancestor comes before its descendants, so that one is joined already).
        if (const Context* a = t.find(d.from); a != nullptr && a->done) d.wave = a->done->wave;
      } else if (d.reason != "own") {
        auto it = by_spawned.find(d.g);  // the observer goroutine AfterFunc started
        if (it != by_spawned.end()) d.wave = it->second;
      }
      if (d.reason == "deadline" && c.deadline != 0 && !c.has_flag('e')) {
        int64_t off = d.time - c.deadline;
        if (!t.wall_offset || off < *t.wall_offset) t.wall_offset = off;
      }
    }
    return std::move(t);
  }
};

ContextTreeBuilder::ContextTreeBuilder(const trace::StringTable& strings)
    : impl_(std::make_unique<Impl>(strings)) {}
ContextTreeBuilder::~ContextTreeBuilder() = default;
void ContextTreeBuilder::on_event(const trace::Event& ev) { impl_->on_event(ev); }
void ContextTreeBuilder::on_message(std::string_view message, int64_t time, GoID g) {
  impl_->on_message(message, time, g);
}
ContextTree ContextTreeBuilder::finish(const Model& m) { return impl_->finish(m); }

}  // namespace ctxtrail::model
