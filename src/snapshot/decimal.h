/// Decimal numbers as the Go runtime prints them in dumps (goroutine IDs, line numbers,
/// minutes): plain digits, no sign.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace ctxtrail::snapshot {

/// How many ASCII digits `s` starts with.
inline size_t leading_digits(std::string_view s) {
  size_t n = 0;
  while (n < s.size() && s[n] >= '0' && s[n] <= '9') n++;
  return n;
}

/// `s` read as a decimal number: false unless it is 1 to 18 digits and nothing else (18 digits
/// always fit an int64; a longer number is no ID, line or duration a dump holds).
inline bool parse_decimal(std::string_view s, int64_t& out) {
  if (s.empty() || s.size() > 18 || leading_digits(s) != s.size()) return false;
  int64_t v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  out = v;
  return true;
}

}  // namespace ctxtrail::snapshot
