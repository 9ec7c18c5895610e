/// Walks a text line by line, with one line of lookahead: lines end in "\n" or "\r\n" (the
/// terminator is not part of the line); a last line without one still counts.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>

namespace ctxtrail::snapshot {

class LineCursor {
 public:
  explicit LineCursor(std::string_view text) : rest_(text) { done_ = !cut(line_); }

  bool done() const { return done_; }
  /// The current line; empty once done().
  std::string_view line() const { return line_; }
  /// 1-based number of the current line.
  uint64_t number() const { return number_; }

  /// Whether a line follows the current one; if so, ahead() is it.
  bool has_ahead() {
    if (ahead_ == Ahead::Unknown) ahead_ = cut(ahead_line_) ? Ahead::Present : Ahead::Absent;
    return ahead_ == Ahead::Present;
  }
  std::string_view ahead() { return has_ahead() ? ahead_line_ : std::string_view(); }

  void next() {
    if (done_) return;
    number_++;
    if (has_ahead()) {
      line_ = ahead_line_;
    } else {
      line_ = {};
      done_ = true;
    }
    ahead_ = Ahead::Unknown;
  }

 private:
  enum class Ahead : uint8_t { Unknown, Present, Absent };

  // Takes the next line off rest_; false when nothing is left.
  bool cut(std::string_view& out) {
    if (rest_.empty()) return false;
    const void* nl = std::memchr(rest_.data(), '\n', rest_.size());
    size_t len = nl ? static_cast<size_t>(static_cast<const char*>(nl) - rest_.data()) : rest_.size();
    out = rest_.substr(0, len);
    rest_.remove_prefix(nl ? len + 1 : len);
    if (!out.empty() && out.back() == '\r') out.remove_suffix(1);
    return true;
  }

  std::string_view rest_;
  std::string_view line_;
  std::string_view ahead_line_;
  Ahead ahead_ = Ahead::Unknown;
  bool done_ = false;
  uint64_t number_ = 1;
};

}  // namespace ctxtrail::snapshot
