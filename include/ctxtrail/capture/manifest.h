/// manifest.json of a capture folder: where each file came from, its HTTP status, size, times and
/// whether it is whole, so that a folder copied elsewhere still says what it holds. Request
/// headers are never written (they may hold credentials).
#pragma once

#include <string>

#include "ctxtrail/capture/capture.h"
#include "ctxtrail/status.h"

namespace ctxtrail::capture {

/// The manifest as JSON text (pretty, ending in a newline).
std::string manifest_json(const Capture& capture);

/// Writes manifest_json to capture.dir/manifest.json.
Status write_manifest(const Capture& capture);

}  // namespace ctxtrail::capture
