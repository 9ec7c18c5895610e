/// The renderer factory and the file-URI helper shared by renderers.
#include <fmt/format.h>

#include "render/renderers.h"

namespace ctxtrail::render {

std::unique_ptr<Renderer> make_renderer(Format format, RenderOptions options) {
  switch (format) {
    case Format::Text: return make_text_renderer();
    case Format::Json: return make_json_renderer(std::move(options));
    case Format::Sarif: return make_sarif_renderer(std::move(options));
  }
  return make_text_renderer();
}

namespace {

std::string percent_encode_path(std::string_view p) {
  std::string out;
  for (unsigned char c : p) {
    if (std::isalnum(c) || c == '/' || c == '-' || c == '_' || c == '.' || c == '~' || c == '@' ||
        c == '+' || c == ',' || c == '=' || c == ':')
      out += static_cast<char>(c);
    else
      out += fmt::format("%{:02X}", c);
  }
  return out;
}

}  // namespace

std::string file_uri(std::string_view file, std::string_view root, bool* relative) {
  std::string r(root);
  while (r.size() > 1 && r.back() == '/') r.pop_back();
  if (!r.empty() && file.size() > r.size() + 1 && file.substr(0, r.size()) == r && file[r.size()] == '/') {
    if (relative) *relative = true;
    std::string rel = percent_encode_path(file.substr(r.size() + 1));
    // A relative reference whose first segment has a colon would read as a scheme.
    if (rel.find(':') < rel.find('/')) rel = "./" + rel;
    return rel;
  }
  if (relative) *relative = false;
  if (!file.empty() && file.front() == '/') return "file://" + percent_encode_path(file);
  return percent_encode_path(file);
}

}  // namespace ctxtrail::render
