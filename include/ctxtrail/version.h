/// The version of this build of ctxtrail, for --version and for the outputs that name their
/// producer (JSON, SARIF, capture manifests).
#pragma once

#include <string_view>

namespace ctxtrail {

/// "0.1.0" for a release build from a source tarball; "0.1.0+git.<commit>[.dirty]" from a git
/// checkout with no release tag on HEAD, or the tag's version ("v0.2.0" -> "0.2.0") when it has
/// one (cmake/write_version.cmake).
std::string_view version();

}  // namespace ctxtrail
