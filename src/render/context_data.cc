/// Packs the trail context tree for the report's Contexts tab: per context its kind, deadline,
/// creation site, how it became done and the goroutines that used it; per edge the latency.
#include "render/context_data.h"

#include <algorithm>

namespace ctxtrail::render {
namespace {

struct ContextWriter {
  Writer& w;
  Interner& intern;
  const model::ContextTree& tree;
  int64_t t0;

  int64_t rel(int64_t t) const { return t < 0 ? -1 : t - t0; }

  void site(const model::SourceLoc& l) {
    w.open('[');
    w.item_num(intern.str(l.function));
    w.item_num(intern.str(l.file));
    w.item_num(static_cast<int64_t>(l.line));
    w.close(']');
  }

  // [goroutine, time, ended, error string, ...] per use; the list is cut at kMaxReportUses.
  void uses(std::string_view key, const std::vector<model::ContextUse>& list) {
    w.key(key);
    w.open('[');
    for (size_t i = 0; i < list.size() && i < kMaxReportUses; ++i) {
      const model::ContextUse& u = list[i];
      w.item_num(u.g);
      w.item_num(rel(u.time));
      w.item_num(rel(u.ended_at));
      w.item_num(intern.str(u.err));
    }
    w.close(']');
  }

  void done(const model::Context& c) {
    w.key("done");
    if (!c.done) {
      w.raw("null");
      return;
    }
    const model::ContextDone& d = *c.done;
    w.open('{');
    w.field("t", rel(d.time));
    w.field("g", d.g);
    w.field("r", intern.str(d.reason));
    w.field("from", static_cast<int64_t>(d.from));
    w.field("err", intern.str(d.err));
    w.field("cause", intern.str(d.cause));
    w.flag("raced", d.raced);
    w.key("site");
    site(d.site);
    auto lat = tree.propagation(c);
    w.field("lat", lat ? *lat : -1);
    w.field("wave", d.wave == model::kNone ? 0 : d.wave + 1);
    w.close('}');
  }

  void context(const model::Context& c, size_t count) {
    w.open('{');
    w.field("id", static_cast<int64_t>(c.id));
    w.field("p", static_cast<int64_t>(c.parent));
    w.field("pi", c.parent_index >= 0 && static_cast<size_t>(c.parent_index) < count ? c.parent_index : -1);
    w.flag("known", c.known);
    w.field("k", intern.str(c.kind));
    w.field("fl", intern.str(c.flags));
    w.field("amb", static_cast<int64_t>(c.ambient));
    auto dl = tree.deadline_in_trace(c);
    w.field("dl", dl ? *dl - t0 : -1);
    // Unix milliseconds: the nanoseconds would not fit a JavaScript number exactly.
    w.field("dlu", c.deadline / 1'000'000);
    w.field("at", rel(c.created_at));
    w.field("by", c.created_by);
    w.key("site");
    site(c.site);
    done(c);
    uses("w", c.watches);
    uses("es", c.errseens);
    uses("late", c.lates);
    w.key("nu");
    w.open('[');
    w.item_num(static_cast<int64_t>(c.watches.size()));
    w.item_num(static_cast<int64_t>(c.errseens.size()));
    w.item_num(static_cast<int64_t>(c.lates.size()));
    w.close(']');
    w.key("ch");
    w.open('[');
    for (int32_t ch : c.children)
      if (static_cast<size_t>(ch) < count) w.item_num(ch);
    w.close(']');
    w.close('}');
  }
};

}  // namespace

void write_context_tree(Writer& w, Interner& intern, const model::ContextTree* tree, int64_t t0,
                        int64_t slow_ns) {
  if (tree == nullptr || tree->empty()) {
    w.raw("null");
    return;
  }
  const size_t count = std::min(tree->contexts.size(), kMaxReportContexts);
  w.open('{');
  w.field("slow", slow_ns);
  w.field("events", static_cast<int64_t>(tree->events));
  model::Distribution d = tree->propagation_latencies();
  w.key("prop");
  w.open('[');
  w.item_num(static_cast<int64_t>(d.count));
  w.item_num(d.p50);
  w.item_num(d.p99);
  w.item_num(d.max);
  w.close(']');
  w.field("dropped", static_cast<int64_t>(tree->contexts.size() - count));
  w.key("c");
  w.open('[');
  ContextWriter cw{w, intern, *tree, t0};
  for (size_t i = 0; i < count; ++i) cw.context(tree->contexts[i], count);
  w.close(']');
  w.close('}');
}

}  // namespace ctxtrail::render
