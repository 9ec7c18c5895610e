/// What the text report shows of a trace's cancel waves when there are too many to list: the
/// most telling ones and a line of totals per cancel site (JSON lists every wave).
#pragma once

#include <optional>
#include <vector>

#include "ctxtrail/diagnose/rules.h"

namespace ctxtrail::render {

/// All waves of one cancel location.
struct SiteTotals {
  uint32_t site = 0;  // index into Report::wave_sites
  size_t waves = 0;
  size_t timer_waves = 0;
  size_t woken = 0;
  size_t not_ended = 0;
  std::optional<int64_t> slowest_ns;  // the longest ended_within_ns of its waves
};

struct WaveDigest {
  std::vector<diagnose::WaveSummary> shown;  // in wave order
  std::vector<SiteTotals> sites;             // most waves first
};

/// Up to `max_shown` waves: those a finding names, then, in turn, the ones with the most woken
/// goroutines still alive at the end, the slowest to end, the most woken. Sites: all of them.
WaveDigest digest_waves(const diagnose::Report& r, size_t max_shown);

}  // namespace ctxtrail::render
