/// `ctxtrail diff`: the stacks of two snapshots of one process side by side, largest growth
/// first, as text for people and JSON for scripts.
#pragma once

#include <cstddef>
#include <ostream>

#include <nlohmann/json.hpp>

#include "ctxtrail/snapshot/diff.h"

namespace ctxtrail::render {

/// "  +150   150 → 300  chan send  main.publish  main.go:16  (started at main.go:20)"; stacks
/// that did not change are left out; at most `top` rows (0: all).
void render_diff_text(const std::vector<snapshot::StackChange>& changes, const snapshot::Snapshot& before,
                      const snapshot::Snapshot& after, size_t top, std::ostream& out);

/// {"before": {...}, "after": {...}, "minutes": M or null, "changes": [{growth, before, after,
/// operation, function, file, line, created_by: {function, file, line}, stack: [...]}]}.
nlohmann::json diff_json(const std::vector<snapshot::StackChange>& changes, const snapshot::Snapshot& before,
                         const snapshot::Snapshot& after, size_t top);

}  // namespace ctxtrail::render
