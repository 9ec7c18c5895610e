/// The report page's data written from one process or several (docs/report.md, "Data layout";
/// docs/cross-process.md, "Report"). One process is the single-trace page; several share the
/// string and stack tables, each process's goroutine and wave IDs moved into a range of their
/// own and its times onto the shared axis. Internal to render.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>

#include "ctxtrail/render/report_data.h"
#include "render/report_writer.h"

namespace ctxtrail::render {

/// One process's share of the page.
struct PagePart {
  const RenderInput* in = nullptr;
  int64_t t0 = 0;         // the trace time the page shows as 0
  int64_t id_base = 0;    // added to its goroutine IDs (0: one process)
  int64_t wave_base = 0;  // added to its wave IDs
  std::string label;      // several processes: its name, which its finding messages start with
  /// A goroutine ID of this process as the page knows it (none stays none).
  int64_t id(int64_t g) const { return g < 0 ? g : g + id_base; }
};

/// What the page says about all its parts together.
struct PageTop {
  std::string name;
  int64_t dur = 0;
  uint64_t events = 0;
  const IntervalDetail* detail = nullptr;  // null: nothing merged
  const StatePlot* plot = nullptr;         // null: the one part's (its collector's or its model's)
};

/// Appends the page data to `page`; `more` writes fields of its own (keys and values) before
/// the string and stack tables, interning into them.
void append_page_data(std::span<const PagePart> parts, const PageTop& top, std::string& page,
                      const std::function<void(Writer&, Interner&)>& more = {});

/// The page: web/report.html with its title (`trace_name`, escaped), style and script, and the
/// data `data` appends where the template has it; `data_size` is reserved for it.
std::string fill_report_page(std::string_view trace_name, const std::function<void(std::string&)>& data,
                             size_t data_size = size_t{1} << 20);

}  // namespace ctxtrail::render
