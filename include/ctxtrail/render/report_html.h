/// The self-contained HTML report: page template, script and style from web/ (embedded at build
/// time) around the report data as JSON.
#pragma once

#include <string>

#include "ctxtrail/render/report_data.h"

namespace ctxtrail::render {

/// The report data: strings and stacks interned, intervals packed as flat number arrays (per
/// goroutine, begin as delta from the previous end). Safe to embed in a <script> element.
/// Layout: docs/report.md.
std::string report_data_json(const RenderInput& in);
/// The same, appended to `page` (the HTML report writes it in place: no second copy).
void append_report_data_json(const RenderInput& in, std::string& page);

/// The whole page.
std::string render_html_report(const RenderInput& in);

}  // namespace ctxtrail::render
