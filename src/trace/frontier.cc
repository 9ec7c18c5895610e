/// Frontier sorting and dumping.
#include "trace/frontier.h"

#include <fmt/format.h>

#include "trace/go_sort.h"
#include "trace/spec.h"

namespace ctxtrail::trace {

void Frontier::sort() {
  go_sort(heap_, [](const Node& a, const Node& b) { return a.time < b.time ? -1 : (a.time > b.time ? 1 : 0); });
}

std::string Frontier::dump() const {
  std::string out;
  size_t n = 0;
  for (const Node& node : heap_) {
    const BatchCursor* bc = node.bc;
    if (n++ == 32) {
      out += fmt::format("... and {} more Ms\n", heap_.size() - 32);
      break;
    }
    const wire::Spec& s = wire::spec(bc->ev.type);
    out += fmt::format("M {} [{} time={}", bc->m, s.name, bc->ev.time);
    for (int i = 0; i < s.nargs; i++) out += fmt::format(" arg{}={}", i + 1, bc->ev.args[i]);
    out += "]\n";
  }
  return out;
}

}  // namespace ctxtrail::trace
