/// Frontier sorting and dumping.
#include "trace/frontier.h"

#include <fmt/format.h>

#include "trace/go_sort.h"
#include "trace/spec.h"

namespace ctxtrail::trace {

void Frontier::sort() {
  go_sort(heap_, [](const BatchCursor* a, const BatchCursor* b) {
    return a->ev.time < b->ev.time ? -1 : (a->ev.time > b->ev.time ? 1 : 0);
  });
}

std::string Frontier::dump() const {
  std::string out;
  for (const BatchCursor* bc : heap_) {
    const wire::Spec& s = wire::spec(bc->ev.type);
    out += fmt::format("M {} [{} time={}", bc->m, s.name, bc->ev.time);
    for (int i = 0; i < s.nargs; i++) out += fmt::format(" arg{}={}", i + 1, bc->ev.args[i]);
    out += "]\n";
  }
  return out;
}

}  // namespace ctxtrail::trace
