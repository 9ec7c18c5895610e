/// The diff table: one row per stack whose count changed.
#include "ctxtrail/render/diff_view.h"

#include <fmt/format.h>

#include "ctxtrail/model/naming.h"
#include "ctxtrail/model/snapshot_frames.h"
#include "ctxtrail/snapshot/operation.h"

namespace ctxtrail::render {
namespace {

// The first frame below the runtime and sync, the line a reader looks for; else the leaf.
const snapshot::Frame* shown_frame(const snapshot::Goroutine& g) {
  if (const snapshot::Frame* f = model::first_user_frame(g)) return f;
  return g.frames.empty() ? nullptr : &g.frames.front();
}

std::string base(std::string_view file) {
  const size_t slash = file.rfind('/');
  return std::string(slash == std::string_view::npos ? file : file.substr(slash + 1));
}

double minutes_between(const snapshot::Snapshot& before, const snapshot::Snapshot& after) {
  if (before.taken_at_ns <= 0 || after.taken_at_ns <= before.taken_at_ns) return 0;
  return static_cast<double>(after.taken_at_ns - before.taken_at_ns) / 60e9;
}

uint64_t total(const snapshot::Snapshot& s) {
  uint64_t n = 0;
  for (const snapshot::Goroutine& g : s.goroutines) n += g.count;
  return n;
}

}  // namespace

void render_diff_text(const std::vector<snapshot::StackChange>& changes, const snapshot::Snapshot& before,
                      const snapshot::Snapshot& after, size_t top, std::ostream& out) {
  const double minutes = minutes_between(before, after);
  out << fmt::format("{} ({} goroutines) -> {} ({} goroutines)", before.source, total(before), after.source,
                     total(after));
  if (minutes > 0)
    out << fmt::format(", {} apart (by the files' times)", model::format_duration(after.taken_at_ns - before.taken_at_ns));
  out << "\n";
  size_t shown = 0;
  for (const snapshot::StackChange& c : changes) {
    if (c.growth() == 0) continue;
    if (top != 0 && shown == top) {
      out << "  ... (--top " << top << ")\n";
      break;
    }
    ++shown;
    const snapshot::Goroutine& g = *c.example;
    const snapshot::Frame* f = shown_frame(g);
    const std::string_view op = snapshot::blocking_operation(g);
    std::string rate = minutes > 0 ? fmt::format("  {:+.1f}/min", c.growth() / minutes) : std::string();
    out << fmt::format("  {:+7}  {:>6} -> {:<6}{}  {}  {}", c.growth(), c.before, c.after, rate,
                       op.empty() ? "?" : op, f != nullptr ? std::string(f->function) : std::string("?"));
    if (f != nullptr && !f->file.empty()) out << fmt::format("  {}:{}", base(f->file), f->line);
    if (!g.created_by.function.empty())
      out << fmt::format("  (started at {}:{})", base(g.created_by.file), g.created_by.line);
    out << "\n";
  }
  if (shown == 0) out << "  no stack gained or lost goroutines\n";
}

nlohmann::json diff_json(const std::vector<snapshot::StackChange>& changes, const snapshot::Snapshot& before,
                         const snapshot::Snapshot& after, size_t top) {
  auto side = [](const snapshot::Snapshot& s) {
    return nlohmann::json{{"file", s.source}, {"kind", std::string(snapshot::to_string(s.kind))}, {"goroutines", total(s)}};
  };
  auto frame = [](const snapshot::Frame& f) {
    return nlohmann::json{{"function", std::string(f.function)}, {"file", std::string(f.file)}, {"line", f.line}};
  };
  nlohmann::json j{{"before", side(before)}, {"after", side(after)}};
  const double minutes = minutes_between(before, after);
  j["minutes"] = minutes > 0 ? nlohmann::json(minutes) : nlohmann::json(nullptr);
  nlohmann::json rows = nlohmann::json::array();
  for (const snapshot::StackChange& c : changes) {
    if (c.growth() == 0) continue;
    if (top != 0 && rows.size() == top) break;
    const snapshot::Goroutine& g = *c.example;
    nlohmann::json row{{"growth", c.growth()}, {"before", c.before}, {"after", c.after},
                       {"operation", std::string(snapshot::blocking_operation(g))}};
    if (minutes > 0) row["per_minute"] = c.growth() / minutes;
    if (const snapshot::Frame* f = shown_frame(g)) {
      row["function"] = std::string(f->function);
      row["file"] = std::string(f->file);
      row["line"] = f->line;
    }
    if (!g.created_by.function.empty()) row["created_by"] = frame(g.created_by);
    nlohmann::json stack = nlohmann::json::array();
    for (const snapshot::Frame& f : g.frames) stack.push_back(frame(f));
    row["stack"] = std::move(stack);
    rows.push_back(std::move(row));
  }
  j["changes"] = std::move(rows);
  return j;
}

}  // namespace ctxtrail::render
