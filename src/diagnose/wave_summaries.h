/// The report's summary of every cancel wave: a few numbers each, their locations, woken
/// goroutines and contexts in shared tables (a trace can hold a million waves).
#pragma once

#include "ctxtrail/diagnose/rules.h"
#include "diagnose/rule_context.h"

namespace ctxtrail::diagnose {

/// Fills r.wave_sites, r.woken and r.wave_contexts from the model's waves, and r.waves with
/// summaries worked out from them as read (the model must outlive r).
void summarise_waves(const model::Model& m, RuleContext& ctx, Report& r);

}  // namespace ctxtrail::diagnose
