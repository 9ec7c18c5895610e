/// Snapshot frames (dumps, profiles) in the model's terms: source locations, and where a
/// goroutine blocks as the user sees it. One definition for the rules, the analysis's summaries
/// and the diff view.
#pragma once

#include <algorithm>

#include "ctxtrail/model/frames.h"
#include "ctxtrail/snapshot/snapshot.h"

namespace ctxtrail::model {

inline SourceLoc source_loc(const snapshot::Frame& f) {
  return SourceLoc{std::string(f.function), std::string(f.file), static_cast<uint64_t>(std::max<int64_t>(f.line, 0))};
}

/// Not the runtime, sync, context, time or testing: the program's or a library's own code.
inline bool user_frame(const snapshot::Frame& f) {
  return !f.function.empty() && !is_plumbing_package(package_of(f.function));
}

/// The snapshot's first frame outside the plumbing packages: where it blocks, as the user sees it.
inline const snapshot::Frame* first_user_frame(const snapshot::Goroutine& g) {
  for (const snapshot::Frame& f : g.frames)
    if (user_frame(f)) return &f;
  return nullptr;
}

}  // namespace ctxtrail::model
