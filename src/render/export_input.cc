/// Builds what the renderers draw: the model with all intervals, the trail context tree, metric
/// samples and logs.
#include "ctxtrail/render/report_data.h"
#include "ctxtrail/trace/reader.h"
#include "render/interval_budget.h"
#include "render/state_plot.h"

namespace ctxtrail::render {

void TraceExtras::on_event(const trace::Event& ev, const trace::StringTable& strings) {
  if (ev.kind == trace::EventKind::Metric) {
    if (heap_name_ == 0) heap_name_ = strings.find(kHeapMetric);
    if (heap_name_ != 0 && ev.name == heap_name_) heap.push_back({ev.time, ev.value});
  } else if (ev.kind == trace::EventKind::Log) {
    if (logs.size() < kMaxLogs) {
      logs.push_back({ev.time, ev.g, ev.name, ev.text});
    } else {
      ++logs_dropped;
    }
  }
}

Result<RenderModel> build_render_model(trace::Reader& reader, model::FrameClassifier& frames,
                                       bool partial, RenderModelOptions ro) {
  IntervalReducer reducer(std::move(ro.budget));
  std::shared_ptr<StatePlot> plot;
  if (ro.span) plot = std::make_shared<StatePlot>(ro.span->first, ro.span->second);
  model::ModelOptions options;
  options.all_intervals = true;
  // Intervals stream into the reducer: only the kept ones are ever held.
  options.interval_sink = [&](const model::Interval& iv) {
    if (plot) plot->add(iv);
    reducer.add(iv);
  };
  model::ModelBuilder builder(frames, options);
  model::ContextTreeBuilder contexts(reader.strings());
  RenderModel out;
  const std::optional<Error> failure = trace::for_each_event(reader, [&](const trace::Event& ev) {
    builder.on_event(ev);
    contexts.on_event(ev);
    out.extras.on_event(ev, reader.strings());
  });
  if (failure) {
    if (!partial) return *failure;
    out.tail_error = failure;
  }
  out.model = builder.finish();
  out.detail = reducer.detail();
  out.model.intervals = reducer.finish();
  if (plot) {
    plot->finish();
    out.plot = std::move(plot);
  }
  out.contexts = contexts.finish(out.model);
  return out;
}

std::string start_function(const model::Goroutine& g, model::FrameClassifier& frames) {
  auto fs = frames.stacks().frames(g.start_stack);
  if (!fs.empty()) return std::string(frames.str(fs.front().func));
  if (g.kind == model::GoKind::Main) return "main.main";
  // Goroutines that existed at trace start have no start stack: use the outermost frame of
  // the last stack seen, which is the start function when the stack was not truncated.
  auto last = frames.stacks().frames(g.last_stack);
  if (!last.empty()) return std::string(frames.str(last.back().func));
  return "?";
}

int32_t critical_wave(const model::Model& m) {
  int32_t best = -1;
  int64_t best_end = -1;
  const auto& dag = m.dag;
  for (size_t w = 0; w < dag.critical_path.size(); ++w) {
    const auto& path = dag.critical_path[w];
    if (path.empty()) continue;
    int32_t to = dag.edges[path.back()].to;
    int64_t end = dag.nodes[to].time;
    if (end > best_end) {
      best_end = end;
      best = static_cast<int32_t>(w);
    }
  }
  return best;
}

}  // namespace ctxtrail::render
