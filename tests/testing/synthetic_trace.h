/// A small builder of synthetic event sequences (with their string and stack tables) for unit
/// tests of the model, the rules and the renderers: no reader, no binary trace needed.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "ctxtrail/model/model.h"
#include "ctxtrail/trace/reader.h"

namespace ctxtrail::model::testing {

struct F {
  std::string func;
  std::string file;
  uint64_t line = 0;
};

inline const std::string kGoSrc = "/usr/local/go/src/";
inline F rt(std::string func, std::string file, uint64_t line) { return {std::move(func), kGoSrc + file, line}; }
inline F user(std::string func, uint64_t line, std::string file = "/home/dev/app/main.go") {
  return {std::move(func), std::move(file), line};
}

class SyntheticTrace : public trace::StringTable, public trace::StackTable {
 public:
  SyntheticTrace() { strings_.push_back(""); frames_.emplace_back(); }

  std::string_view get(StringID id) const override { return id < strings_.size() ? std::string_view(strings_[id]) : ""; }
  StringID find(std::string_view s) const override {
    auto it = ids_.find(std::string(s));
    return it == ids_.end() ? 0 : it->second;
  }
  size_t size() const override { return strings_.size(); }
  std::span<const trace::Frame> frames(StackID id) const override {
    return id < frames_.size() ? std::span<const trace::Frame>(frames_[id]) : std::span<const trace::Frame>();
  }

  StringID intern(const std::string& s) {
    if (s.empty()) return 0;
    auto [it, inserted] = ids_.emplace(s, static_cast<StringID>(strings_.size()));
    if (inserted) strings_.push_back(s);
    return it->second;
  }
  /// Frames leaf first.
  StackID stack(const std::vector<F>& fs) {
    std::vector<trace::Frame> v;
    uint64_t pc = 0x1000;
    for (const F& f : fs) {
      pc = std::hash<std::string>{}(f.func) ^ (f.line * 0x9e37);
      v.push_back(trace::Frame{pc, intern(f.func), intern(f.file), f.line});
    }
    frames_.push_back(std::move(v));
    return static_cast<StackID>(frames_.size() - 1);
  }

  // Common stacks.
  StackID start_of(const std::string& func) { return stack({user(func, 10)}); }
  StackID cancel_stack(const std::string& caller = "main.main", uint64_t line = 40) {
    return stack({rt("context.(*cancelCtx).cancel", "context/context.go", 567),
                  rt("context.WithCancel.func1", "context/context.go", 242), user(caller, line)});
  }
  StackID timer_cancel_stack() {
    return stack({rt("context.(*cancelCtx).cancel", "context/context.go", 567),
                  rt("context.(*timerCtx).cancel", "context/context.go", 680),
                  rt("context.WithDeadlineCause.func2", "context/context.go", 653)});
  }
  StackID select_stack(const std::string& func, uint64_t line, const std::string& caller = "") {
    std::vector<F> fs{rt("runtime.selectgo", "runtime/select.go", 351), user(func, line)};
    if (!caller.empty()) fs.push_back(user(caller, 99));
    return stack(fs);
  }
  StackID recv_stack(const std::string& func, uint64_t line, const std::string& caller = "") {
    std::vector<F> fs{rt("runtime.chanrecv1", "runtime/chan.go", 509), user(func, line)};
    if (!caller.empty()) fs.push_back(user(caller, 99));
    return stack(fs);
  }

  trace::Event& transition(int64_t t, GoID g, GoID target, GoState from, GoState to) {
    trace::Event ev;
    ev.time = t;
    ev.g = g;
    ev.kind = trace::EventKind::StateTransition;
    ev.resource = trace::ResourceKind::Goroutine;
    ev.resource_id = target;
    ev.from = static_cast<uint8_t>(from);
    ev.to = static_cast<uint8_t>(to);
    events.push_back(ev);
    return events.back();
  }
  void create(int64_t t, GoID creator, GoID g, StackID creator_stack, StackID start) {
    auto& ev = transition(t, creator, g, GoState::NotExist, GoState::Runnable);
    ev.stack = creator_stack;
    ev.transition_stack = start;
  }
  void status(int64_t t, GoID g, GoState to, StackID stack = 0, const std::string& reason = "") {
    auto& ev = transition(t, kNoGoroutine, g, GoState::Undetermined, to);
    ev.stack = stack;
    ev.transition_stack = stack;
    ev.reason = intern(reason);
  }
  void start(int64_t t, GoID g) { transition(t, kNoGoroutine, g, GoState::Runnable, GoState::Running); }
  void block(int64_t t, GoID g, const std::string& reason, StackID stack) {
    auto& ev = transition(t, g, g, GoState::Running, GoState::Waiting);
    ev.reason = intern(reason);
    ev.stack = stack;
    ev.transition_stack = stack;
  }
  void preempt(int64_t t, GoID g, StackID stack) {
    auto& ev = transition(t, g, g, GoState::Running, GoState::Runnable);
    ev.reason = intern("preempted");
    ev.stack = stack;
    ev.transition_stack = stack;
  }
  void unblock(int64_t t, GoID waker, GoID g, StackID stack) {
    auto& ev = transition(t, waker, g, GoState::Waiting, GoState::Runnable);
    ev.stack = stack;
  }
  void end(int64_t t, GoID g) { transition(t, g, g, GoState::Running, GoState::NotExist); }
  /// Any non-transition event at time t (moves the trace end).
  void tick(int64_t t) {
    trace::Event ev;
    ev.time = t;
    ev.kind = trace::EventKind::Sync;
    events.push_back(ev);
  }

  Model build(ModelOptions options = {}) {
    frames_c = std::make_unique<FrameClassifier>(*this, *this);
    ModelBuilder b(*frames_c, std::move(options));
    for (const auto& ev : events) b.on_event(ev);
    return b.finish();
  }
  FrameClassifier& classifier() { return *frames_c; }

  std::vector<trace::Event> events;

 private:
  std::vector<std::string> strings_;
  std::map<std::string, StringID> ids_;
  std::vector<std::vector<trace::Frame>> frames_;
  std::unique_ptr<FrameClassifier> frames_c;
};

/// A Reader over a SyntheticTrace's events, for driving the CLI without binary traces.
/// With `fail_after`, next() reports a malformed trace after that many events.
class SyntheticReader : public trace::Reader {
 public:
  explicit SyntheticReader(std::shared_ptr<SyntheticTrace> t, size_t fail_after = SIZE_MAX)
      : t_(std::move(t)), fail_after_(fail_after) {}
  Result<bool> next(trace::Event& ev) override {
    if (i_ >= fail_after_) return Error{name_, 1234, 1, "bad event"};
    if (i_ >= t_->events.size()) return false;
    ev = t_->events[i_++];
    return true;
  }
  const trace::StringTable& strings() const override { return *t_; }
  const trace::StackTable& stacks() const override { return *t_; }
  int format_version() const override { return 26; }
  uint64_t generations() const override { return 1; }
  bool complete() const override { return i_ >= t_->events.size(); }
  const std::string& name() const override { return name_; }

 private:
  std::shared_ptr<SyntheticTrace> t_;
  size_t fail_after_;
  size_t i_ = 0;
  std::string name_ = "synthetic.trace";
};

}  // namespace ctxtrail::model::testing
