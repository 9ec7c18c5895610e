/// Fills web/report.html: {{TITLE}} (escaped text), {{CSS}}, {{JS}} and {{DATA}} (the report
/// data, script-safe JSON).
#include <string_view>

#include "ctxtrail/render/html_escape.h"
#include "ctxtrail/render/report_html.h"
#include "ctxtrail_web_assets.h"
#include "render/page_parts.h"

namespace ctxtrail::render {

std::string fill_report_page(std::string_view trace_name, const std::function<void(std::string&)>& data,
                             size_t data_size) {
  const std::string title = html_escape(trace_name);
  std::string out;
  out.reserve(web::kReportHtml.size() + web::kReportJs.size() + web::kReportCss.size() + data_size);
  std::string_view tpl = web::kReportHtml;
  while (!tpl.empty()) {
    size_t open = tpl.find("{{");
    if (open == std::string_view::npos) {
      out.append(tpl);
      break;
    }
    size_t close = tpl.find("}}", open);
    if (close == std::string_view::npos) {
      out.append(tpl);
      break;
    }
    out.append(tpl.substr(0, open));
    std::string_view name = tpl.substr(open + 2, close - open - 2);
    if (name == "TITLE") {
      out += title;
    } else if (name == "CSS") {
      out.append(web::kReportCss);
    } else if (name == "JS") {
      out.append(web::kReportJs);
    } else if (name == "DATA") {
      data(out);
    } else {
      out.append(tpl.substr(open, close + 2 - open));
    }
    tpl.remove_prefix(close + 2);
  }
  return out;
}

std::string render_html_report(const RenderInput& in) {
  // About 17 bytes per interval and 100 per goroutine (measured): reserved so that the page
  // rarely grows by copying itself (a big report is tens of MB).
  const size_t data_size = 18 * in.model.intervals.size() + 120 * in.model.goroutines.size() + (1 << 20);
  return fill_report_page(in.trace_name, [&](std::string& page) { append_report_data_json(in, page); }, data_size);
}

}  // namespace ctxtrail::render
