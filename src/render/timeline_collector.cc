/// The timeline's intervals, kept within the budget while the analysis pass streams them, and
/// the renderers' input drawn from an analysis.
#include "ctxtrail/render/report_data.h"
#include "render/interval_budget.h"
#include "render/state_plot.h"

namespace ctxtrail::render {

TimelineCollector::TimelineCollector(IntervalBudget budget, std::optional<std::pair<int64_t, int64_t>> span)
    : reducer_(std::make_unique<IntervalReducer>(std::move(budget))) {
  if (span) plot_ = std::make_unique<StatePlot>(span->first, span->second);
}

TimelineCollector::~TimelineCollector() = default;

model::ModelOptions TimelineCollector::model_options() {
  model::ModelOptions options;
  options.all_intervals = true;
  // Intervals stream into the reducer: only the kept ones are ever held.
  options.interval_sink = [this](const model::Interval& iv) {
    if (plot_) plot_->add(iv);
    reducer_->add(iv);
  };
  return options;
}

void TimelineCollector::finish(model::Model& m) {
  detail_ = reducer_->detail();
  m.intervals = reducer_->finish();
  if (plot_) plot_->finish();
}

RenderInput render_input(const analysis::Analysis& a, const std::vector<diagnose::Finding>& findings,
                         std::string trace_name, const StatePlot* plot, const IntervalDetail* detail) {
  RenderInput in{a.model, a.frames(), a.extras, findings, std::move(trace_name)};
  in.contexts = a.context_tree();
  in.plot = plot;
  in.detail = detail;
  return in;
}

}  // namespace ctxtrail::render
