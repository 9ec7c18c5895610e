/// Constructors of the concrete renderers (one file each).
#pragma once

#include "ctxtrail/render/render.h"

namespace ctxtrail::render {

std::unique_ptr<Renderer> make_text_renderer();
std::unique_ptr<Renderer> make_json_renderer(RenderOptions options);
std::unique_ptr<Renderer> make_sarif_renderer(RenderOptions options);

}  // namespace ctxtrail::render
