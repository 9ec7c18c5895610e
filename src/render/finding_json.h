/// One finding as the JSON report writes it (docs/findings.md): the single-trace renderer and
/// the several-process document share it, so a finding reads the same in both.
#pragma once

#include <nlohmann/json.hpp>

#include "ctxtrail/diagnose/rules.h"

namespace ctxtrail::render {

nlohmann::ordered_json finding_json(const diagnose::Finding& f);

}  // namespace ctxtrail::render
