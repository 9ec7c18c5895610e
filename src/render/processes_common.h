/// Wording and JSON shared by the multi-process outputs. Internal to render.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "ctxtrail/analysis/processes.h"

namespace ctxtrail::render {

/// "proc (offset 1796676604.02s, ±1µs)".
std::string clock_text(const analysis::ClockAlignment& c);
/// "client -> gateway GET /work (http): client side 225µs, network 79µs, server side 41µs, woke 1".
std::string hop_text(const analysis::MultiAnalysis& m, const analysis::CancelHop& h);
/// "client #3 -> gateway #1  GET 127.0.0.1:43069/work (http) 1.2ms, deadline 999ms".
std::string edge_text(const analysis::MultiAnalysis& m, const analysis::CrossEdge& e);

/// One end of an arrow across processes: a goroutine of a process at one of its trace times.
struct ArrowEnd {
  size_t process = 0;
  model::GoID g = trace::kNoGoroutine;
  int64_t time = 0;  // the process's own trace time
};
/// An arrow the report draws and the Perfetto export writes as a flow between processes.
struct CrossArrow {
  enum Kind : uint8_t { Request, Cancel };
  Kind kind = Request;
  ArrowEnd from, to;
  std::string tip;  // edge_text or hop_text
};
/// Every request (the client's `send` -> the server's `remote`) and every cancel hop (the
/// caller's context done -> each server goroutine its cancel woke, or the server's
/// `remotecancel` when it woke none), in edge order.
std::vector<CrossArrow> cross_arrows(const analysis::MultiAnalysis& m);

nlohmann::ordered_json processes_json(const analysis::MultiAnalysis& m);
nlohmann::ordered_json cross_process_json(const analysis::MultiAnalysis& m);

}  // namespace ctxtrail::render
