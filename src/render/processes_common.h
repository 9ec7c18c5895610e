/// Wording and JSON shared by the multi-process outputs. Internal to render.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

#include "ctxtrail/analysis/processes.h"

namespace ctxtrail::render {

/// "proc (offset 1796676604.02s, ±1µs)".
std::string clock_text(const analysis::ClockAlignment& c);
/// "client -> gateway GET /work (http): client side 225µs, network 79µs, server side 41µs, woke 1".
std::string hop_text(const analysis::MultiAnalysis& m, const analysis::CancelHop& h);
/// "client #3 -> gateway #1  GET 127.0.0.1:43069/work (http) 1.2ms, deadline 999ms".
std::string edge_text(const analysis::MultiAnalysis& m, const analysis::CrossEdge& e);

nlohmann::ordered_json processes_json(const analysis::MultiAnalysis& m);
nlohmann::ordered_json cross_process_json(const analysis::MultiAnalysis& m);

}  // namespace ctxtrail::render
