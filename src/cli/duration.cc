/// Go duration parsing: a sequence of decimal numbers, each with an optional fraction and a
/// unit (ns, us, µs, μs, ms, s, m, h); "0" alone is allowed. Negative durations are refused
/// (no flag takes one).
#include "cli/duration.h"

#include <array>
#include <cmath>

namespace ctxtrail::cli {

std::optional<int64_t> parse_go_duration(std::string_view s) {
  struct Unit {
    std::string_view name;
    int64_t ns;
  };
  static constexpr std::array<Unit, 8> kUnits = {{{"ns", 1},
                                                  {"us", 1000},
                                                  {"µs", 1000},
                                                  {"μs", 1000},
                                                  {"ms", 1'000'000},
                                                  {"s", 1'000'000'000},
                                                  {"m", 60'000'000'000},
                                                  {"h", 3'600'000'000'000}}};
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  if (s == "0") return 0;
  if (s.empty()) return std::nullopt;
  long double total = 0;
  while (!s.empty()) {
    size_t i = 0;
    long double value = 0;
    bool digits = false;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
      value = value * 10 + (s[i] - '0');
      ++i;
      digits = true;
    }
    if (i < s.size() && s[i] == '.') {
      ++i;
      long double scale = 0.1L;
      while (i < s.size() && s[i] >= '0' && s[i] <= '9') {
        value += (s[i] - '0') * scale;
        scale /= 10;
        ++i;
        digits = true;
      }
    }
    if (!digits) return std::nullopt;
    s.remove_prefix(i);
    const Unit* unit = nullptr;
    for (const Unit& u : kUnits)  // longest match first: "ms" before "m"
      if (s.substr(0, u.name.size()) == u.name && (unit == nullptr || u.name.size() > unit->name.size()))
        unit = &u;
    if (unit == nullptr) return std::nullopt;
    s.remove_prefix(unit->name.size());
    total += value * unit->ns;
    if (total > 9.2e18L) return std::nullopt;
  }
  return static_cast<int64_t>(std::llround(total));
}

}  // namespace ctxtrail::cli
