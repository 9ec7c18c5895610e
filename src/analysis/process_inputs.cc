/// Which inputs belong to which process: each trace starts one, each dump or profile goes with
/// the trace before it.
#include "ctxtrail/analysis/processes.h"

namespace ctxtrail::analysis {

Result<std::vector<ProcessInputs>> split_by_process(const std::vector<std::string>& inputs) {
  std::vector<ProcessInputs> out;
  std::vector<std::string> leading;  // snapshots before the first trace
  for (const std::string& path : inputs) {
    auto is_trace = is_trace_file(path);
    // One input that cannot be sniffed goes to the trace reader, which says why it cannot be
    // read (and tests' synthetic readers open names that are no files).
    if (!is_trace.ok() && inputs.size() == 1) return std::vector<ProcessInputs>{{path, {}}};
    if (!is_trace.ok()) return is_trace.error();
    if (*is_trace) {
      for (const ProcessInputs& p : out)
        if (p.trace == path)
          return Error{path, std::nullopt, std::nullopt,
                       "given twice: several traces are one per process (docs/cross-process.md)"};
      out.push_back(ProcessInputs{path, {}});
    } else if (out.empty()) {
      leading.push_back(path);
    } else {
      out.back().snapshots.push_back(path);
    }
  }
  if (out.empty()) return std::vector<ProcessInputs>{{std::string(), std::move(leading)}};
  // `analyze DUMP TRACE` of one process: the order never mattered, and still does not.
  out.front().snapshots.insert(out.front().snapshots.begin(), leading.begin(), leading.end());
  return out;
}

}  // namespace ctxtrail::analysis
