/// Escaping of trace strings for the HTML report: text in HTML, and JSON embedded in a
/// <script type="application/json"> block. Trace strings are untrusted: function names, file
/// paths, log messages and task names may hold markup, quotes or invalid UTF-8.
#pragma once

#include <string>
#include <string_view>

namespace ctxtrail::render {

/// Text for an HTML element or a quoted attribute: & < > " ' become entities; invalid UTF-8
/// becomes U+FFFD.
std::string html_escape(std::string_view s);

/// Appends `s` as a JSON string literal (with quotes) that is also safe inside a <script>
/// element: < > & U+2028 U+2029 and control characters become \uXXXX escapes, so neither
/// "</script>" nor "<!--" can appear; invalid UTF-8 becomes U+FFFD.
void append_json_string(std::string& out, std::string_view s);

}  // namespace ctxtrail::render
