/// Snapshot frames (dumps, profiles) in the terms findings use: source locations, and where a
/// goroutine blocks as the user sees it.
#pragma once

#include <algorithm>

#include "ctxtrail/model/frames.h"
#include "ctxtrail/snapshot/snapshot.h"

namespace ctxtrail::diagnose {

inline model::SourceLoc loc(const snapshot::Frame& f) {
  return model::SourceLoc{std::string(f.function), std::string(f.file), static_cast<uint64_t>(std::max<int64_t>(f.line, 0))};
}

/// Not the runtime, sync, context, time or testing: the program's or a library's own code.
inline bool user_frame(const snapshot::Frame& f) {
  return !f.function.empty() && !model::is_plumbing_package(model::package_of(f.function));
}

/// The snapshot's first frame outside the plumbing packages: where it blocks, as the user sees it.
inline const snapshot::Frame* first_user_frame(const snapshot::Goroutine& g) {
  for (const snapshot::Frame& f : g.frames)
    if (user_frame(f)) return &f;
  return nullptr;
}

}  // namespace ctxtrail::diagnose
