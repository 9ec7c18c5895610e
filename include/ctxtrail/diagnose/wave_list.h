/// The report's cancel waves: a summary of each, made from the model's wave as it is read. A
/// trace can hold a million waves: stored, their summaries were 64 MB at the analysis's peak.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <utility>
#include <vector>

#include "ctxtrail/model/index_iterator.h"
#include "ctxtrail/model/model.h"

namespace ctxtrail::diagnose {

/// One cancel wave, summarised for reports. A summary is a few numbers: its cancel location, the
/// goroutines it woke and its context live in the Report's tables (Report::cancel_location,
/// woken_by, context_of).
struct WaveSummary {
  int32_t id = 0;
  int32_t parent = 0;   // wave ID, 0 for none
  int64_t time_ns = 0;  // since trace start
  trace::GoID canceller = trace::kNoGoroutine;
  std::optional<int64_t> ended_within_ns;  // when every woken goroutine ended
  uint32_t site = 0;          // index into Report::wave_sites
  uint32_t woken_first = 0;   // its woken goroutines: Report::woken[woken_first, +woken_count)
  uint32_t woken_count = 0;
  uint32_t not_ended = 0;     // woken goroutines still alive at trace end
  int32_t context = -1;       // index into Report::wave_contexts, -1: none known
  bool timer = false;
};

/// What a wave's summary needs beyond the model's wave and watchers, worked out once for all
/// waves by diagnose (wave_summaries): a few bytes a wave, not a 64-byte summary.
struct WaveTables {
  std::vector<uint32_t> site;         // per wave: index into Report::wave_sites
  std::vector<uint32_t> woken_first;  // per wave: its first goroutine in Report::woken
  std::vector<int32_t> context;       // per wave: index into Report::wave_contexts; empty: none
  /// Per wave: from its cancel call to the end of the last goroutine it woke, when each ended;
  /// -1: not all did, or it woke none.
  std::vector<int64_t> ended_within;
  /// (wave index, woken goroutines alive at trace end), in wave order, for the waves with any.
  std::vector<std::pair<uint32_t, uint32_t>> not_ended;
};

/// The summaries, read like a vector of values. Made from a model (from_model), each is worked
/// out from its wave when read, so the model's waves must outlive the list: they are read through
/// the vector's storage, which stays in place when the model is moved (as the Analysis holding
/// both is). Otherwise (tests, a report made by hand) they are stored.
class WaveSummaries {
 public:
  WaveSummaries() = default;
  static WaveSummaries from_model(const model::Model& m, WaveTables tables);

  void push_back(const WaveSummary& s) { stored_.push_back(s); }
  /// Works out and stores every summary: for a report that outlives the model it was made from.
  void store_all();
  size_t size() const { return source_ ? source_->waves.size() : stored_.size(); }
  bool empty() const { return size() == 0; }
  WaveSummary operator[](size_t i) const { return source_ ? source_->summary(i) : stored_[i]; }

  using Iterator = model::IndexIterator<WaveSummaries, WaveSummary>;
  Iterator begin() const { return {this, 0}; }
  Iterator end() const { return {this, size()}; }

 private:
  struct Source {
    std::span<const model::CancelWave> waves;
    int64_t trace_begin = 0;
    WaveTables tables;
    WaveSummary summary(size_t i) const;
  };
  std::vector<WaveSummary> stored_;
  std::shared_ptr<const Source> source_;  // shared: a copied Report reads the same model
};

}  // namespace ctxtrail::diagnose
