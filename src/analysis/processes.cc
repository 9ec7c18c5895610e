/// The stage every command that reads traces calls: one Analysis per process, then what the
/// processes show together (processes_stages.h).
#include "ctxtrail/analysis/processes.h"

#include <algorithm>
#include <filesystem>

#include "analysis/processes_stages.h"

namespace ctxtrail::analysis {

std::string_view to_string(ClockAlignment::Source s) {
  switch (s) {
    case ClockAlignment::Source::ClockSnapshot: return "clock-snapshot";
    case ClockAlignment::Source::Proc: return "proc";
    case ClockAlignment::Source::Requests: return "requests";
    case ClockAlignment::Source::Reference: return "reference";
    case ClockAlignment::Source::None: return "none";
  }
  return "?";
}

int64_t MultiAnalysis::start() const {
  std::optional<int64_t> t0;
  for (const Process& p : processes)
    if (p.clock.source != ClockAlignment::Source::None) {
      const int64_t t = p.to_shared(p.analysis.model.trace_begin);
      t0 = t0 ? std::min(*t0, t) : t;
    }
  return t0.value_or(0);
}

std::vector<ProcessFinding> MultiAnalysis::findings() const {
  std::vector<ProcessFinding> out;
  for (const auto& [p, f] : cross_findings) out.push_back({p, &f});
  for (size_t p = 0; p < processes.size(); ++p)
    for (const diagnose::Finding& f : processes[p].analysis.report.findings) out.push_back({p, &f});
  return out;
}

namespace {

// Two processes of one program (two replicas) share a name: the second is "name#2".
void name_processes(MultiAnalysis& m) {
  for (size_t i = 0; i < m.processes.size(); ++i) {
    Process& p = m.processes[i];
    const model::RemoteLinks& links = p.analysis.contexts.remote;
    p.proc_id = links.proc_id();
    if (!links.stamps.empty() && !links.stamps.front().name.empty()) {
      p.name = links.stamps.front().name;
    } else {
      std::string base = std::filesystem::path(p.trace_file).filename().string();
      for (std::string_view ext : {".gz", ".trace", ".out"})
        if (base.size() > ext.size() && base.ends_with(ext)) base.resize(base.size() - ext.size());
      p.name = base.empty() ? "process" : base;
    }
    int same = 1;
    for (size_t j = 0; j < i; ++j) same += m.processes[j].name == p.name || m.processes[j].name.starts_with(p.name + "#");
    if (same > 1) p.name += "#" + std::to_string(same);
  }
}

}  // namespace

MultiAnalysis join_processes(std::vector<Analysis> analyses, const std::vector<std::string>& files,
                             const diagnose::Options& options) {
  MultiAnalysis m;
  for (size_t i = 0; i < analyses.size(); ++i) {
    Process p(std::move(analyses[i]));
    p.trace_file = i < files.size() ? files[i] : p.analysis.source.name;
    m.processes.push_back(std::move(p));
  }
  name_processes(m);
  if (m.single()) return m;
  join_requests(m);
  align_clocks(m);
  follow_cancels(m);
  name_remote_causes(m);
  check_cross_rules(m, options);
  return m;
}

Result<MultiAnalysis> analyze_processes(const std::vector<ProcessInputs>& inputs, const Options& options,
                                        const PerProcess& per_process) {
  std::vector<Analysis> analyses;
  std::vector<std::string> files;
  for (const ProcessInputs& in : inputs) {
    Options o = options;
    if (per_process) per_process(analyses.size(), o);
    std::vector<std::string> paths = in.snapshots;
    if (!in.trace.empty()) paths.insert(paths.begin(), in.trace);
    auto a = analyze_inputs(paths, std::move(o));
    if (!a.ok()) return a.error();
    // A malformed tail (--partial) ends the multi-process read at that process: the commands
    // report it as they do for one trace.
    analyses.push_back(std::move(a.value()));
    files.push_back(in.trace);
  }
  return join_processes(std::move(analyses), files, options.diagnosis);
}

}  // namespace ctxtrail::analysis
