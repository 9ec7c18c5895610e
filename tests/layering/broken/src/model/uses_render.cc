// Three broken layers: a later stage's public header, another stage's private header, and
// reading a trace outside the analysis stage.
#include "ctxtrail/render/render.h"
#include "render/interval_budget.h"
#include "model/own_header.h"
