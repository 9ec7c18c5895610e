/// Running the analysis stage for a command, and reporting its input errors.
#include "cli/analysis.h"

#include "cli/trace_input.h"

namespace ctxtrail::cli {

void report_analysis_error(const Error& error, const analysis::Options& options, Io& io, const char* command) {
  report_input_error(error, io, command);
  // Only a trace read past its 16-byte header has a part that --partial could use.
  if (!options.partial && error.offset && *error.offset >= 16) io.err << "(use --partial to use what could be read)\n";
}

namespace {

std::optional<analysis::Analysis> finish(Result<analysis::Analysis> a, const analysis::Options& options,
                                         Io& io, const char* command) {
  end_progress();
  if (!a.ok()) {
    report_analysis_error(a.error(), options, io, command);
    return std::nullopt;
  }
  if (a->tail_error) report_partial_tail(*a->tail_error, io, command);
  return std::move(a.value());
}

}  // namespace

std::optional<analysis::Analysis> run_analysis(const std::string& path, analysis::Options options, Io& io,
                                               const char* command) {
  options.progress = progress_bar(io);
  auto a = analysis::analyze(path, options);
  return finish(std::move(a), options, io, command);
}

std::optional<analysis::Analysis> run_analysis(const std::vector<std::string>& inputs, analysis::Options options,
                                               Io& io, const char* command) {
  options.progress = progress_bar(io);
  auto a = analysis::analyze_inputs(inputs, options);
  return finish(std::move(a), options, io, command);
}

std::optional<analysis::Analysis> run_analysis_twice(const std::string& path, analysis::Options options,
                                                     const analysis::SecondLook& more, Io& io,
                                                     const char* command) {
  options.progress = progress_bar(io);
  auto a = analysis::analyze_twice(path, options, more);
  return finish(std::move(a), options, io, command);
}

std::optional<TimelineAnalysis> run_timeline_analysis(const std::string& path, analysis::Options options,
                                                      size_t max_intervals, Io& io, const char* command) {
  std::unique_ptr<render::TimelineCollector> timeline;
  options.extras = true;
  auto more = [&](const analysis::Analysis* first) {
    render::IntervalBudget budget;
    budget.max_intervals = max_intervals;
    std::optional<std::pair<int64_t, int64_t>> span;
    if (first != nullptr) {
      budget.exact = render::exact_goroutines(first->model, first->report.findings);
      span = {first->model.trace_begin, first->model.trace_end};
    }
    timeline = std::make_unique<render::TimelineCollector>(std::move(budget), span);
    return timeline->model_options();
  };
  auto a = run_analysis_twice(path, std::move(options), more, io, command);
  if (!a) return std::nullopt;
  timeline->finish(a->model);
  return TimelineAnalysis{std::move(*a), std::move(timeline)};
}

}  // namespace ctxtrail::cli
