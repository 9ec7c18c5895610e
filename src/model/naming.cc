/// One name and one format for each thing, whatever the output.
#include "ctxtrail/model/naming.h"

#include <fmt/format.h>

namespace ctxtrail::model {

namespace {

bool is_runtime_function(std::string_view func) {
  const std::string_view pkg = package_of(func);
  return pkg == "runtime" || pkg.starts_with("runtime/");
}

// The function a pre-existing goroutine runs, from the stack it was first seen with (leaf
// first): its root, which is that function, unless the root is the runtime's (runtime.goexit
// under it, or a stack cut short in the runtime: "runtime.gopark" says nothing of what the
// goroutine is for); then the outermost frame outside the runtime, if any.
std::string_view root_function(std::span<const trace::Frame> fr, FrameClassifier& frames) {
  const std::string_view root = frames.str(fr.back().func);
  if (!is_runtime_function(root)) return root;
  for (auto it = fr.rbegin(); it != fr.rend(); ++it) {
    const std::string_view func = frames.str(it->func);
    if (!is_runtime_function(func)) return func;
  }
  return root;
}

}  // namespace

std::string start_function(const Goroutine& g, FrameClassifier& frames) {
  auto fr = frames.stacks().frames(g.start_stack);
  if (!fr.empty()) {
    // A created goroutine's start stack is its one start frame; a pre-existing one's is the
    // stack it was first seen with.
    return std::string(g.created_at >= 0 ? frames.str(fr.front().func) : root_function(fr, frames));
  }
  auto last = frames.stacks().frames(g.last_stack);
  if (!last.empty()) return std::string(root_function(last, frames));
  return g.kind == GoKind::Main ? "main.main" : "?";
}

std::string goroutine_name(const Goroutine& g, FrameClassifier& frames) {
  return fmt::format("G{} ({})", g.id, start_function(g, frames));
}

std::string goroutine_name(const Model& m, GoID id, FrameClassifier& frames) {
  if (id == trace::kNoGoroutine) return "no goroutine";
  const Goroutine* g = m.find(id);
  return g == nullptr ? fmt::format("G{}", id) : goroutine_name(*g, frames);
}

namespace {

std::string format_magnitude(uint64_t ns) {
  const double v = static_cast<double>(ns);
  if (ns < 1000) return fmt::format("{}ns", ns);
  // Three digits: from 999.5 of a unit on, %g would write "1e+03": the next unit.
  if (ns < 999'500) return fmt::format("{:.3g}µs", v / 1e3);
  if (ns < 999'500'000) return fmt::format("{:.3g}ms", v / 1e6);
  // Past 999 s, %g would write "1.2e+03s": minutes, then hours.
  if (ns < 999'500'000'000) return fmt::format("{:.3g}s", v / 1e9);
  if (ns < 60'000'000'000'000) return fmt::format("{:.3g}min", v / 60e9);
  if (ns < 3'600'000'000'000'000) return fmt::format("{:.3g}h", v / 3600e9);
  return fmt::format("{:.0f}h", v / 3600e9);
}

}  // namespace

std::string format_duration(int64_t ns) {
  // The magnitude as unsigned: -INT64_MIN does not fit an int64_t.
  if (ns < 0) return fmt::format("-{}", format_magnitude(0 - static_cast<uint64_t>(ns)));
  return format_magnitude(static_cast<uint64_t>(ns));
}

std::string format_count(uint64_t n) {
  const std::string digits = std::to_string(n);
  std::string out;
  for (size_t k = 0; k < digits.size(); ++k) {
    if (k > 0 && (digits.size() - k) % 3 == 0) out += ',';
    out += digits[k];
  }
  return out;
}

std::string format_time_ms(int64_t ns_since_start) { return fmt::format("{:.6f}ms", ns_since_start / 1e6); }

std::string format_short_ms(int64_t ns_since_start) { return fmt::format("{:.3f}ms", ns_since_start / 1e6); }

std::string short_location(const SourceLoc& loc) {
  if (loc.empty()) return "?";
  size_t slash = loc.file.rfind('/');
  std::string_view base = slash == std::string::npos ? std::string_view(loc.file)
                                                      : std::string_view(loc.file).substr(slash + 1);
  return fmt::format("{}:{}", base, loc.line);
}

std::string long_location(const SourceLoc& loc) {
  if (loc.empty()) return "";
  return fmt::format("{}:{} ({})", loc.file, loc.line, loc.function);
}

int32_t critical_wave(const Model& m) {
  int32_t best = -1;
  int64_t best_end = -1;
  const TerminationDag& dag = m.dag;
  for (size_t w = 0; w < dag.critical_path.size(); ++w) {
    const auto& path = dag.critical_path[w];
    if (path.empty()) continue;
    int64_t end = dag.node(m, dag.edges[path.back()].to).time;
    if (end > best_end) {
      best_end = end;
      best = static_cast<int32_t>(w);
    }
  }
  return best;
}

}  // namespace ctxtrail::model
