/// Renderers of a diagnose Report: text for people, JSON for scripts (docs/findings.md), SARIF
/// 2.1.0 for GitHub code scanning and editors. Siblings behind one interface.
#pragma once

#include <memory>
#include <ostream>
#include <string>
#include <string_view>

#include "ctxtrail/diagnose/rules.h"
#include "ctxtrail/version.h"

namespace ctxtrail::render {

enum class Format { Text, Json, Sarif };

struct RenderOptions {
  /// Files under this directory get repo-relative SARIF URIs (uriBaseId %SRCROOT%).
  std::string source_root;
  std::string tool_version = std::string(ctxtrail::version());
};

class Renderer {
 public:
  virtual ~Renderer() = default;
  virtual void render(const diagnose::Report& report, std::ostream& out) = 0;
};

std::unique_ptr<Renderer> make_renderer(Format format, RenderOptions options = {});

/// A percent-encoded URI reference for a file: relative to `root` when under it, else file://.
/// `relative` tells which.
std::string file_uri(std::string_view file, std::string_view root, bool* relative);

}  // namespace ctxtrail::render
