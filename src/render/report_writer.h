/// The report data's building blocks: a compact JSON writer and the string and stack tables
/// every other field indexes into (docs/report.md, "Data layout").
#pragma once

#include <cmath>
#include <cstdint>
#include <iterator>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <fmt/format.h>

#include "ctxtrail/model/frames.h"
#include "ctxtrail/render/html_escape.h"

namespace ctxtrail::render {

/// Dense string and stack tables of the report: every string is written once.
class Interner {
 public:
  explicit Interner(model::FrameClassifier& frames) : frames_(&frames) {
    str("");
    stack_ids_.emplace(0, 0);
    stacks_.emplace_back();
    app_frames_.push_back(-1);
    by_frames_.emplace(stacks_.back(), 0);
  }
  int32_t str(std::string_view s) {
    auto [it, inserted] = strings_.try_emplace(std::string(s), static_cast<int32_t>(order_.size()));
    if (inserted) order_.push_back(&it->first);
    return it->second;
  }
  int32_t trace_str(trace::StringID id) { return str(frames_->str(id)); }
  /// Interns from another trace's tables from now on (several processes on one page): its
  /// stack IDs mean other stacks, its strings and frames still share the entries.
  void use(model::FrameClassifier& frames) {
    if (&frames == frames_) return;
    frames_ = &frames;
    stack_ids_.clear();
    stack_ids_.emplace(0, 0);
  }
  int32_t stack(trace::StackID id) {
    auto found = stack_ids_.find(id);
    if (found != stack_ids_.end()) return found->second;
    // Equal frames share an entry even when the table gave them two IDs.
    std::vector<int64_t> flat;
    for (const trace::Frame& f : frames_->stacks().frames(id)) {
      flat.push_back(trace_str(f.func));
      flat.push_back(trace_str(f.file));
      flat.push_back(static_cast<int64_t>(f.line));
    }
    auto [it, inserted] = by_frames_.try_emplace(flat, static_cast<int32_t>(stacks_.size()));
    if (inserted) {
      stacks_.push_back(std::move(flat));
      app_frames_.push_back(frames_->info(id).top_app);
    }
    stack_ids_.emplace(id, it->second);
    return it->second;
  }
  const std::vector<const std::string*>& strings() const { return order_; }
  const std::vector<std::vector<int64_t>>& stacks() const { return stacks_; }
  /// Per stack: the index (leaf first) of its first frame outside the Go installation, the
  /// program's or a module's, or -1: what a short stack must not cut away.
  const std::vector<int32_t>& app_frames() const { return app_frames_; }

 private:
  model::FrameClassifier* frames_;
  std::unordered_map<std::string, int32_t> strings_;
  std::vector<const std::string*> order_;
  std::unordered_map<trace::StackID, int32_t> stack_ids_;
  std::vector<std::vector<int64_t>> stacks_;
  std::vector<int32_t> app_frames_;
  std::map<std::vector<int64_t>, int32_t> by_frames_;
};

class Writer {
 public:
  std::string out;
  // Values: the caller wrote the comma (comma(), key() or an item_* call).
  void raw(std::string_view s) {
    out += s;
    first_ = false;
  }
  void num(int64_t v) {
    fmt::format_to(std::back_inserter(out), "{}", v);
    first_ = false;
  }
  void real(double v) {
    if (v == std::floor(v) && std::fabs(v) < 1e15) {
      num(static_cast<int64_t>(v));
    } else {
      fmt::format_to(std::back_inserter(out), "{:.3g}", v);
      first_ = false;
    }
  }
  void str(std::string_view s) {
    append_json_string(out, s);
    first_ = false;
  }
  void key(std::string_view k) {
    comma();
    str(k);
    out += ':';
    first_ = true;
  }
  void comma() {
    if (!first_) out += ',';
    first_ = false;
  }
  void open(char c) {
    comma();
    out += c;
    first_ = true;
  }
  void close(char c) {
    out += c;
    first_ = false;
  }
  template <typename T>
  void nums(const std::vector<T>& v) {
    nums(std::span<const T>(v));
  }
  template <typename T>
  void nums(std::span<const T> v) {
    open('[');
    for (const T& x : v) {
      comma();
      num(static_cast<int64_t>(x));
    }
    close(']');
  }
  // A key and its value.
  void field(std::string_view k, int64_t v) {
    key(k);
    num(v);
  }
  void flag(std::string_view k, bool v) {
    key(k);
    raw(v ? "true" : "false");
  }
  void item_num(int64_t v) {
    comma();
    num(v);
  }
  void item_str(std::string_view s) {
    comma();
    str(s);
  }

 private:
  bool first_ = true;
};

}  // namespace ctxtrail::render
