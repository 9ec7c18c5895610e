/// How every output names and formats what the model holds: goroutines, durations, times and
/// source locations. The findings, the text views, the HTML report and every export call these,
/// so one goroutine has one name everywhere ("G12 (main.worker)").
#pragma once

#include <cstdint>
#include <string>

#include "ctxtrail/model/frames.h"
#include "ctxtrail/model/model.h"

namespace ctxtrail::model {

/// The function a goroutine runs: its `go` statement's function when it was created in the
/// trace; for one that existed at trace start, the root (outermost) frame of its first or last
/// stack, which is that function unless the stack was truncated; "main.main" for the main
/// goroutine seen with no stack; "?" when nothing names it.
std::string start_function(const Goroutine& g, FrameClassifier& frames);
/// "G12 (main.worker)".
std::string goroutine_name(const Goroutine& g, FrameClassifier& frames);
/// "G12 (main.worker)", "G12" for a goroutine the model does not know, "no goroutine" for none.
std::string goroutine_name(const Model& m, GoID id, FrameClassifier& frames);

/// A span as Go's time.Duration prints it, to three significant digits: "850ns", "12.4µs",
/// "1.5ms", "2s" ("-" before a negative one).
std::string format_duration(int64_t ns);
/// 31045 -> "31,045": a count a person reads at a glance.
std::string format_count(uint64_t n);
/// A time since the trace's start in milliseconds to the nanosecond, for event listings that
/// must keep the order of events a few ns apart: "12.000345ms".
std::string format_time_ms(int64_t ns_since_start);
/// The same to the microsecond, for views that show spans of work: "12.000ms".
std::string format_short_ms(int64_t ns_since_start);

/// "main.go:42" (the file's base name), "?" when unknown.
std::string short_location(const SourceLoc& loc);
/// "/home/dev/app/main.go:42 (main.worker)", "" when unknown.
std::string long_location(const SourceLoc& loc);

/// The wave whose shutdown ended last (index into Model::waves), or -1: the one whose critical
/// path the reports draw.
int32_t critical_wave(const Model& m);

}  // namespace ctxtrail::model
