/// The text and JSON views of an analysis that the commands print besides the findings
/// (render.h) and the report (report_html.h): the context tree, one goroutine's life, the
/// termination DAG and the trace's counts. Siblings of the other renderers, from one Analysis.
#pragma once

#include <cstdint>
#include <map>
#include <ostream>
#include <span>
#include <string>

#include "ctxtrail/analysis/analysis.h"
#include "ctxtrail/trace/id_index.h"

namespace ctxtrail::render {

/// `contexts`: the trail context tree (docs/trail-events.md).
void render_contexts_text(const analysis::Analysis& a, std::ostream& out);
void render_contexts_json(const analysis::Analysis& a, std::ostream& out);

/// `lifecycle`: goroutine `g`'s life; false when the trace does not have it.
bool render_lifecycle_text(const analysis::Analysis& a, trace::GoID g, std::ostream& out);

/// `dag`: the termination DAG, each wave's critical path, and the findings.
void render_dag_text(const analysis::Analysis& a, std::ostream& out);

/// `stats`: counts events as the analysis pass hands them out (an analysis::EventTap).
class StatsCounter {
 public:
  void add(std::span<const trace::Event> events);
  /// docs/event-stream.md's stats object; `source` says what the reader saw.
  std::string json(const analysis::SourceInfo& source) const;
  std::string text(const analysis::SourceInfo& source) const;

 private:
  std::map<std::string, uint64_t> kinds() const;
  std::map<std::string, uint64_t> transition_counts() const;

  uint64_t events_ = 0;
  int64_t first_ = 0, last_ = 0;
  uint64_t by_kind_[trace::kNumEventKinds] = {};
  uint64_t transitions_[6][6] = {};
  // Distinct goroutine IDs, small ones in a plain table (a hash-set insert on each of a busy
  // trace's 38 M goroutine transitions cost 4% of `stats`).
  trace::IdIndex goroutines_;
};

}  // namespace ctxtrail::render
