/// The one-pass builder of the Model: a per-goroutine state machine over StateTransition
/// events, plus cancel-wave grouping of the unblocks made by context cancel calls.
#include <algorithm>
#include <unordered_set>

#include "ctxtrail/model/model.h"
#include "ctxtrail/trace/id_index.h"

namespace ctxtrail::model {

using trace::Event;
using trace::EventKind;
using trace::ResourceKind;

std::string_view to_string(GoKind kind) {
  switch (kind) {
    case GoKind::User: return "user";
    case GoKind::Main: return "main";
    case GoKind::Runtime: return "runtime";
    case GoKind::Testing: return "testing";
    case GoKind::TestRunner: return "test";
    case GoKind::Service: return "runtime service";
  }
  return "?";
}

const Goroutine* Model::find(GoID g) const {
  const uint32_t i = index.find(g);
  return i == trace::IdIndex::kNone ? nullptr : &goroutines[i];
}

std::vector<const Interval*> Model::intervals_of(GoID g) const {
  std::vector<const Interval*> out;
  auto lo = std::lower_bound(intervals.begin(), intervals.end(), g,
                             [](const Interval& i, GoID id) { return i.g < id; });
  for (auto it = lo; it != intervals.end() && it->g == g; ++it) out.push_back(&*it);
  return out;
}

struct ModelBuilder::Impl {
  FrameClassifier& frames;
  ModelOptions options;
  std::unordered_set<GoID> interval_set;
  Model m;
  // canceller -> the wave of its ongoing cancel call and that call's root (cancel_root): a call
  // that goes on from another root is a new wave.
  struct OpenWave {
    int32_t wave = kNone;
    uint64_t root_key = 0;
  };
  std::unordered_map<GoID, OpenWave> open_wave;
  // creator -> (function holding the `go` statement, the children it started there whose call
  // has not been seen to return): Goroutine::starter_returned_at.
  struct OpenCall {
    StringID function = 0;
    std::vector<GoID> children;
  };
  std::unordered_map<GoID, std::vector<OpenCall>> open_calls;
  // Each goroutine's open interval; a closed one goes to Model::intervals or the sink.
  std::unordered_map<GoID, Interval> open_interval;
  // Per goroutine, the latest wait site a cancel woke it from and that it parked at again later
  // (Watcher::woken_at_return_site); few goroutines have one.
  std::unordered_map<GoID, StackID> came_back_site;
  bool first = true;

  Impl(FrameClassifier& f, ModelOptions o) : frames(f), options(std::move(o)) {
    interval_set.insert(options.intervals_for.begin(), options.intervals_for.end());
  }

  // Small IDs index a plain table (a hash lookup on each goroutine transition was a fifth of
  // `analyze` on a busy trace).
  Goroutine* get(GoID g) {
    const uint32_t i = m.index.find(g);
    return i == trace::IdIndex::kNone ? nullptr : &m.goroutines[i];
  }

  Goroutine& add(GoID g, int64_t time) {
    const auto at = static_cast<uint32_t>(m.goroutines.size());
    m.index.erase(g);  // a goroutine created again under a known ID: the new one answers
    m.index.insert(g, at);
    Goroutine& r = m.goroutines.emplace_back();
    r.id = g;
    r.first_seen = time;
    r.state_since = time;
    r.kind = g == 1 ? GoKind::Main : GoKind::User;
    r.has_intervals = options.all_intervals || interval_set.count(g) != 0;
    return r;
  }

  Goroutine& ensure(GoID g, int64_t time) {
    if (Goroutine* r = get(g)) return *r;
    return add(g, time);
  }

  // Goroutines that existed before the trace: classify from the first full stack seen.
  void classify_from_stack(Goroutine& r, StackID stack) {
    if (r.created_at >= 0 || r.start_stack != 0 || stack == 0 || r.kind == GoKind::Main) return;
    auto fr = frames.stacks().frames(stack);
    if (fr.empty()) return;
    r.start_stack = stack;  // best knowledge of its start: the stack's root frame
    size_t root_at = fr.size() - 1;
    if (root_at > 0 && frames.str(fr[root_at].func) == "runtime.goexit") --root_at;
    std::string_view root = frames.str(fr[root_at].func);
    if (root == "testing.tRunner") {
      r.kind = GoKind::TestRunner;
      m.test_trace = true;
    } else if (package_of(root) == "testing") {
      r.kind = GoKind::Testing;
    } else if (is_runtime_service(root)) {
      r.kind = GoKind::Service;
    } else if (frames.info(stack).stdlib_only) {
      r.kind = GoKind::Runtime;
    }
  }

  // The kind of a created goroutine follows from its start and creation stacks alone once
  // GOROOT is known (before, what is_stdlib says depends on the frames seen): a million
  // goroutines started by one `go` statement are classified once (reading the start function's
  // name and package each time was 4% of `analyze` on chi's trace).
  std::unordered_map<uint64_t, GoKind> kind_of_stacks;

  void classify_created(Goroutine& r) {
    if (r.id == 1) {
      r.kind = GoKind::Main;
      return;
    }
    const uint64_t key = uint64_t{r.start_stack} << 32 | r.creation_stack;
    if (auto it = kind_of_stacks.find(key); it != kind_of_stacks.end()) {
      r.kind = it->second;
      return;
    }
    classify_by_stacks(r);
    if (frames.knows_goroot()) kind_of_stacks.emplace(key, r.kind);
  }

  void classify_by_stacks(Goroutine& r) {
    auto fr = frames.stacks().frames(r.start_stack);
    std::string_view start = fr.empty() ? std::string_view() : frames.str(fr.front().func);
    std::string_view pkg = package_of(start);
    if (start == "testing.tRunner") {
      r.kind = GoKind::TestRunner;
      m.test_trace = true;
    } else if (pkg == "testing") {
      r.kind = GoKind::Testing;
    } else if (is_runtime_service(start)) {
      r.kind = GoKind::Service;
    } else if (pkg == kTrailPackage) {
      r.kind = GoKind::Runtime;  // the Go module's own short-lived loggers (parent/deadline cancels)
    } else if (!fr.empty() && frames.is_stdlib(fr.front()) &&
               (r.creation_stack == 0 || !frames.info(r.creation_stack).has_user)) {
      r.kind = GoKind::Runtime;  // library goroutines started by library code (timers, net/http)
    }
  }

  void open_iv(Goroutine& r, int64_t time) {
    if (!r.has_intervals) return;
    auto it = open_interval.find(r.id);
    if (it != open_interval.end()) {
      it->second.end = time;
      emit(it->second);
    }
    Interval iv;
    iv.begin = time;
    iv.g = r.id;
    iv.state = r.state;
    iv.reason = r.reason;
    iv.stack = r.state_stack;
    open_interval[r.id] = iv;
  }

  void emit(const Interval& iv) {
    if (options.interval_sink)
      options.interval_sink(iv);
    else
      m.intervals.push_back(iv);
  }

  Interval* current_iv(GoID g) {
    auto it = open_interval.find(g);
    return it == open_interval.end() ? nullptr : &it->second;
  }

  void observe(Goroutine& r, StackID stack, int64_t time, bool parked) {
    if (stack == 0) return;
    r.last_stack = stack;
    r.last_stack_at = time;
    classify_from_stack(r, stack);
    if (r.watch == kNone) return;
    Watcher& w = m.watchers.open(r.watch);
    if (parked && w.ended_at < 0 && w.left_wait_function_at < 0 && w.wait_function != 0 &&
        time > w.woken_at && !frames.contains_function(stack, w.wait_function))
      w.left_wait_function_at = time;
  }

  // Called on every goroutine that stops running; an ongoing cancel call is rare.
  void close_wave_of(GoID g) {
    if (!open_wave.empty()) open_wave.erase(g);
  }

  // The same park site: identical stacks, or the same top user frame (function and line).
  bool same_wait_site(StackID a, StackID b) {
    if (a == 0 || b == 0) return false;
    if (a == b) return true;
    int32_t ia = frames.info(a).top_user, ib = frames.info(b).top_user;
    if (ia < 0 || ib < 0) return false;
    const trace::Frame& fa = frames.stacks().frames(a)[ia];
    const trace::Frame& fb = frames.stacks().frames(b)[ib];
    return fa.func == fb.func && fa.file == fb.file && fa.line == fb.line;
  }

  // The deadline timer's callback runs with no user frame below it; the CancelFunc that
  // WithDeadline/WithTimeout return (another WithDeadline*.funcN) is called from user code.
  bool is_timer_stack(StackID stack) {
    if (frames.has_function_prefix(stack, "time.goFunc")) return true;
    return frames.info(stack).top_user < 0 &&
           (frames.has_function_prefix(stack, "context.WithDeadlineCause.func") ||
            frames.has_function_prefix(stack, "context.WithDeadline.func"));
  }

  // The wave of the cancel call `canceller` is making now (a new one if it just began).
  int32_t wave_for(GoID canceller, StackID stack, int64_t time) {
    uint64_t key = frames.info(stack).cancel_root;
    auto it = open_wave.find(canceller);
    if (it != open_wave.end() && it->second.root_key == key) return it->second.wave;
    int32_t idx = static_cast<int32_t>(m.waves.size());
    CancelWave& w = m.waves.emplace_back();
    w.id = idx + 1;
    w.time = time;
    w.last_wake = time;
    w.canceller = canceller;
    w.stack = stack;
    w.timer = is_timer_stack(stack);
    if (Goroutine* k = get(canceller)) {
      w.timer = w.timer || is_timer_stack(k->start_stack);
      // Propagation: the canceller was started by a cancel call (AfterFunc), or was woken by a
      // cancel wave, nothing woke it since (its own sleeps may have: a cleanup before relaying)
      // and it is still in the function that waited on Done(). One that returned from it and
      // went on makes a cancellation of its own, however close in time (puddle's test: its
      // Acquire gives up on the cancel, then the test sleeps and calls pool.Close).
      if (k->created_by_wave != kNone) {
        w.parent = k->created_by_wave;
      } else if (const Wake& last = m.wakes_of(*k).last_wake; last.wave != kNone) {
        const bool went_on = k->watch != kNone && m.watchers[k->watch].wave == last.wave &&
                             m.watchers[k->watch].left_wait_function_at >= 0;
        if (!went_on) w.parent = last.wave;
      }
      w.parent_gap = w.parent == kNone ? 0
                     : k->created_by_wave != kNone ? time - k->created_at
                                                   : time - m.wakes_of(*k).last_wake.time;
      w.prev_by_canceller = k->last_wave_made;
      k->last_wave_made = idx;
    }
    open_wave[canceller] = OpenWave{idx, key};
    return idx;
  }

  // The creator's call that started `child` (the function of the creation frame) is open until
  // the creator parks without it on its stack, or ends.
  void open_call(GoID creator, StackID creation_stack, GoID child) {
    const int32_t at = creation_stack == 0 ? -1 : frames.creation_frame(creation_stack);
    if (at < 0) return;
    const StringID fn = frames.stacks().frames(creation_stack)[static_cast<size_t>(at)].func;
    auto& calls = open_calls[creator];
    for (OpenCall& c : calls)
      if (c.function == fn) {
        c.children.push_back(child);
        return;
      }
    calls.push_back(OpenCall{fn, {child}});
  }

  // Closes the calls of `creator` that are off `stack` (every call when it ended: stack 0).
  void close_calls(GoID creator, StackID stack, int64_t time, bool ended) {
    if (open_calls.empty()) return;
    auto it = open_calls.find(creator);
    if (it == open_calls.end()) return;
    auto& calls = it->second;
    std::erase_if(calls, [&](OpenCall& c) {
      if (!ended && frames.contains_function(stack, c.function)) return false;
      for (GoID child : c.children)
        if (Goroutine* k = get(child); k != nullptr && k->starter_returned_at < 0) k->starter_returned_at = time;
      return true;
    });
    if (calls.empty()) open_calls.erase(it);
  }

  void on_create(const Event& ev, GoID g) {
    Goroutine& r = add(g, ev.time);  // stays valid: nothing below adds goroutines
    if (ev.g != kNoGoroutine) open_call(ev.g, ev.stack, g);
    r.created_at = ev.time;
    r.creator = ev.g;
    r.creation_stack = ev.stack;
    r.start_stack = ev.transition_stack;
    r.state = ev.go_to();
    r.state_since = ev.time;
    if (ev.go_to() == GoState::Waiting) r.state_stack = ev.transition_stack;
    classify_created(r);
    if (Goroutine* c = get(ev.g)) {
      r.test_root = c->kind == GoKind::TestRunner ? c->id : c->test_root;
      // Goroutines a cancel call starts from inside package context: AfterFunc callbacks. Not
      // the relay that propagateCancel starts in a constructor (WithCancel on a parent of a
      // foreign type, which hides its cancelCtx): that is no cancellation, and the wave the
      // relay makes when the parent's cancel wakes it hangs from the parent's wave.
      if (ev.stack != 0 && frames.info(ev.stack).cancel) {
        int32_t wi = wave_for(ev.g, ev.stack, ev.time);
        add_spawned(m.waves[wi], g);
        r.created_by_wave = wi;
      }
    }
    open_iv(r, ev.time);
  }

  void add_spawned(CancelWave& w, GoID g) {
    if (w.spawns == kNone) {
      w.spawns = static_cast<int32_t>(m.spawned.size());
      m.spawned.emplace_back();
    }
    m.spawned[static_cast<size_t>(w.spawns)].push_back(g);
  }

  // Its wake history, made at its first wake.
  WakeHistory& history(Goroutine& g) {
    if (g.wake_history == kNone) {
      g.wake_history = static_cast<int32_t>(m.wake_histories.size());
      m.wake_histories.emplace_back();
    }
    return m.wake_histories[static_cast<size_t>(g.wake_history)];
  }

  void on_unblock(const Event& ev, Goroutine& t) {
    Wake wake{ev.time, ev.g, ev.stack, kNone};
    if (ev.stack != 0 && ev.g != kNoGoroutine && frames.info(ev.stack).cancel) {
      int32_t wi = wave_for(ev.g, ev.stack, ev.time);
      wake.wave = wi;
      CancelWave& w = m.waves[wi];
      w.last_wake = ev.time;
      if (t.watch != kNone) {
        Watcher& old = m.watchers.open(t.watch);
        if (old.wave != wi && old.ended_at < 0 && frames.contains_function(t.state_stack, old.wait_function))
          old.superseded_at = ev.time;
        m.watchers.freeze(t.watch);  // no longer its latest: nothing changes it now
      }
      Watcher wt;
      wt.wave = wi;
      wt.g = t.id;
      wt.woken_at = ev.time;
      wt.wait_stack = t.state_stack;
      wt.wait_reason = t.reason;
      wt.wait_function = frames.top_user_function(t.state_stack);
      if (auto it = came_back_site.find(t.id); it != came_back_site.end())
        wt.woken_at_return_site = same_wait_site(it->second, t.state_stack);
      t.watch = m.watchers.push_back(wt);
      w.watchers.push_back(t.watch);
    }
    if (Interval* iv = current_iv(t.id)) {
      iv->waker = ev.g;
      iv->waker_stack = ev.stack;
    }
    // Timer and netpoller wakes (no goroutine, or only runtime frames) are the goroutine's own
    // doing (a sleep, a timeout): they decide nothing, so the previous wake stays the deciding one.
    // The garbage collector's own handoffs too: a goroutine doing mark assist that finishes the
    // mark phase readies the others waiting in gcMarkDone, on a stack that has user frames below
    // the runtime's (the allocation that made it assist); that wake is the runtime's, not theirs.
    bool system = ev.g == kNoGoroutine || ev.stack == 0;
    if (!system) {
      const FrameClassifier::StackInfo& waker = frames.info(ev.stack);
      system = waker.top_user < 0 || waker.gc_leaf;
    }
    WakeHistory& h = history(t);
    auto& sites = h.sites_woken_from;
    if (wake.wave == kNone && !system && t.state_stack != 0 &&
        std::find(sites.begin(), sites.end(), t.state_stack) == sites.end()) {
      std::rotate(sites.rbegin(), sites.rbegin() + 1, sites.rend());
      sites[0] = t.state_stack;
    }
    if (wake.wave == kNone && !system && t.watch != kNone) {
      Watcher& w = m.watchers.open(t.watch);
      std::string_view reason = frames.str(t.reason);
      if (w.rewoken_at < 0 && ev.time > w.woken_at &&
          (reason.substr(0, 4) == "chan" || reason.substr(0, 6) == "select"))
        w.rewoken_at = ev.time;
    }
    if (wake.wave != kNone || !system) h.last_wake = wake;
    if (wake.wave == kNone && system) h.last_system_wake = ev.time;
    if (wake.wave == kNone && system && is_timer_wait(frames.str(t.reason))) on_timer_wake(t, h, ev.time);
  }

  // A channel or select wait a timer can end (a timer channel's send), or a sleep; the
  // netpoller wakes only I/O waits.
  static bool is_timer_wait(std::string_view reason) {
    return reason == "chan receive" || reason == "select" || reason == "sleep";
  }

  void on_timer_wake(const Goroutine& t, WakeHistory& h, int64_t time) {
    if (h.timer_wakes == kNone) {
      h.timer_wakes = static_cast<int32_t>(m.timer_wakes.size());
      m.timer_wakes.emplace_back();
    }
    TimerWakes& w = m.timer_wakes[static_cast<size_t>(h.timer_wakes)];
    ++w.count;
    w.last = time;
    if (t.starter_returned_at >= 0 && w.after_starter++ == 0) w.first_after_starter = time;
    const Goroutine* creator = get(t.creator);
    const Goroutine* test = get(t.test_root);
    const bool owner_ended = (creator != nullptr && creator->ended_at >= 0) || (test != nullptr && test->ended_at >= 0);
    if (!owner_ended) return;
    if (w.after_owner++ == 0) w.first_after_owner = time;
  }

  void on_goroutine(const Event& ev) {
    GoID g = ev.resource_id;
    GoState from = ev.go_from(), to = ev.go_to();
    // StateTransition.Stack is the resource's own stack; Event.Stack is the stack of ev.g
    // (for GoUnblock: the unblocker's).
    StackID stack = ev.transition_stack;
    if (stack == 0 && ev.g == g) stack = ev.stack;
    if (ev.g != g && ev.g != kNoGoroutine && ev.stack != 0 && from != GoState::NotExist)
      if (Goroutine* actor = get(ev.g)) observe(*actor, ev.stack, ev.time, false);
    if (from == GoState::NotExist && to != GoState::NotExist) {
      on_create(ev, g);
      return;
    }
    bool known = get(g) != nullptr;
    Goroutine& r = ensure(g, ev.time);
    if (from == GoState::Undetermined || from == to) {
      // A status event: first sight of a goroutine, or a new generation restating it.
      bool parked = to == GoState::Waiting;
      if (!known || r.state != to) {
        r.state = to;
        r.state_since = ev.time;
        r.reason = ev.reason;
        r.state_stack = parked ? stack : 0;
        open_iv(r, ev.time);
      } else if (parked && r.state_stack == 0) {
        r.state_stack = stack;
      }
      observe(r, stack, ev.time, parked);
      return;
    }
    if (from == GoState::Running || from == GoState::Syscall) close_wave_of(g);
    if (from == GoState::Waiting && to == GoState::Runnable) on_unblock(ev, r);
    if (to == GoState::Waiting && r.watch != kNone) {
      Watcher& w = m.watchers.open(r.watch);
      if (w.reblocked_at < 0 && w.ended_at < 0) {
        w.reblocked_at = ev.time;
        w.reblock_stack = stack;
        w.reblock_reason = ev.reason;
      }
      // Each first park after the wake at a site of its past (raw times; the diagnose stage's
      // reaction_of says what they mean).
      const bool later = w.ended_at < 0 && stack != 0 && ev.time > w.woken_at;
      const auto& sites = m.wakes_of(r).sites_woken_from;
      if (w.ended_at < 0 && stack != 0 && w.at_woken_from_site_at < 0 &&
          std::find(sites.begin(), sites.end(), stack) != sites.end())
        w.at_woken_from_site_at = ev.time;
      if (later && same_wait_site(stack, w.wait_stack)) {
        if (w.at_wake_site_at < 0) w.at_wake_site_at = ev.time;
        came_back_site[r.id] = w.wait_stack;
      }
    }
    // Nothing woke one with no history yet: its wait_waker stays none.
    if (to == GoState::Waiting && r.wake_history != kNone) {
      WakeHistory& h = history(r);
      h.wait_waker = h.last_wake.waker;
    }
    if (to == GoState::Waiting && stack != 0) close_calls(g, stack, ev.time, false);
    if (to == GoState::NotExist) {
      close_calls(g, 0, ev.time, true);
      r.ended_at = ev.time;
      if (r.watch != kNone) {
        Watcher& w = m.watchers.open(r.watch);
        if (w.ended_at < 0) w.ended_at = ev.time;
        m.watchers.freeze(r.watch);  // it ended: nothing changes it now
      }
    }
    r.state = to;
    r.state_since = ev.time;
    r.reason = to == GoState::Waiting ? ev.reason : 0;
    r.state_stack = (to == GoState::Waiting || to == GoState::Syscall) ? stack : 0;
    observe(r, stack, ev.time, to == GoState::Waiting);
    if (to == GoState::NotExist) {
      if (Interval* iv = current_iv(g)) {
        iv->end = ev.time;
        emit(*iv);
      }
      open_interval.erase(g);
    } else {
      open_iv(r, ev.time);
    }
  }

  void on_event(const Event& ev) {
    ++m.events;
    if (first) {
      m.trace_begin = ev.time;
      first = false;
    }
    m.trace_end = std::max(m.trace_end, ev.time);
    if (ev.kind == EventKind::StateTransition) {
      if (ev.resource == ResourceKind::Goroutine) on_goroutine(ev);
      return;
    }
    if (ev.g != kNoGoroutine && ev.stack != 0)
      if (Goroutine* r = get(ev.g)) observe(*r, ev.stack, ev.time, false);
  }

  Model finish() {
    for (auto& [g, iv] : open_interval) {
      iv.end = -1;
      emit(iv);
    }
    open_interval.clear();
    std::stable_sort(m.intervals.begin(), m.intervals.end(),
                     [](const Interval& a, const Interval& b) { return a.g < b.g; });
    m.dag = build_dag(m);
    return std::move(m);
  }
};

ModelBuilder::ModelBuilder(FrameClassifier& frames, ModelOptions options)
    : impl_(std::make_unique<Impl>(frames, std::move(options))) {}
ModelBuilder::~ModelBuilder() = default;
void ModelBuilder::on_event(const trace::Event& ev) { impl_->on_event(ev); }
Model ModelBuilder::finish() { return impl_->finish(); }

}  // namespace ctxtrail::model
