/// The report data's `ctx` field: the trail context tree (docs/report.md, "Data layout").
#pragma once

#include <cstdint>

#include "ctxtrail/model/context_tree.h"
#include "render/report_writer.h"

namespace ctxtrail::render {

/// At most this many contexts (in order of first mention) and uses per list are written: a
/// service can create millions of contexts, and the tab is for reading, not for totals.
inline constexpr size_t kMaxReportContexts = 20000;
inline constexpr size_t kMaxReportUses = 500;

/// Writes the value of `ctx`: null without ctxtrail events, else the tree. Times are relative
/// to `t0`; an edge's propagation latency above `slow_ns` is slow (--slow-propagation).
void write_context_tree(Writer& w, Interner& intern, const model::ContextTree* tree, int64_t t0,
                        int64_t slow_ns);

}  // namespace ctxtrail::render
