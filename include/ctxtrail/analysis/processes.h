/// Several traces, one per process, read as one (docs/cross-process.md). Each process keeps its
/// own Analysis (model, context tree, findings), exactly as `analyze` of that trace alone makes
/// it; this stage adds what only several of them together tell:
///
///   inputs -> one Analysis per process -> clocks (a shared time axis)
///          -> links (requests joined by id: the context tree across processes)
///          -> cross waves (a cancel followed from process to process) -> cross rules
///
/// Every command that reads traces calls analyze_processes (one trace is one process: the
/// single-trace path, unchanged).
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "ctxtrail/analysis/analysis.h"

namespace ctxtrail::analysis {

/// One process's inputs: its trace and the dumps and profiles given after it.
struct ProcessInputs {
  std::string trace;                   // empty: no trace (snapshots alone, one process only)
  std::vector<std::string> snapshots;  // dumps and profiles, in the order given
};

/// Splits a command line's inputs by content: each trace starts a process, and each dump or
/// profile attaches to the trace before it (those before the first trace, to the first). One
/// trace gives one process, whatever the order.
Result<std::vector<ProcessInputs>> split_by_process(const std::vector<std::string>& inputs);

/// How a process's trace time maps onto the shared axis (Unix wall ns): shared = time + offset.
struct ClockAlignment {
  enum class Source : uint8_t {
    ClockSnapshot,  // the trace's own wall/monotonic snapshots (Go 1.25+ sync batches)
    Proc,           // trail's `proc` event: wall clock and trace time read together
    Requests,       // bounded by the send/receive pairs with an aligned process
    Reference,      // no process has wall time: the others are aligned to this one's clock
    None,           // nothing links it: its own clock
  };
  Source source = Source::None;
  int64_t offset_ns = 0;
  /// How far the true offset may be from offset_ns either way; nothing when only one side is
  /// bounded (requests in one direction: the offset is then a lower bound, the true one later
  /// by the unknown minimum one-way delay).
  std::optional<int64_t> uncertainty_ns;
  /// For Requests: the bounds the pairs gave (lower <= true offset <= upper).
  std::optional<int64_t> lower_ns, upper_ns;
  size_t pairs = 0;  // request pairs used
  /// ClockSnapshot with trail's `proc` too: proc's offset minus the snapshots' (how far the
  /// two agree).
  std::optional<int64_t> cross_check_ns;
};
std::string_view to_string(ClockAlignment::Source s);

/// One process: its trace's analysis and where its clock sits.
struct Process {
  explicit Process(Analysis a) : analysis(std::move(a)) {}
  std::string name;        // trail's process name, else the trace's file name
  std::string trace_file;  // as given
  uint64_t proc_id = 0;    // trail's procid, 0 when the trace has no `proc`
  Analysis analysis;
  ClockAlignment clock;
  int64_t to_shared(int64_t trace_time) const { return trace_time + clock.offset_ns; }
};

/// A request from one process to another, joined by its id: the client context's edge to the
/// server context it became (the context tree across processes).
struct CrossEdge {
  size_t client = 0, server = 0;  // indexes into MultiAnalysis::processes
  size_t send = 0, receive = 0;   // indexes into each side's ContextTree::remote sends / receives
  uint64_t req_id = 0;
  uint64_t client_ctx = 0, server_ctx = 0;
  std::string transport, target;
  int64_t latency_ns = 0;  // the server's `remote` minus the client's `send`, on the shared axis
};

/// One hop of a cancel across processes: the caller's context done, its transport's abort,
/// the server's remotecancel, the server's context done, the server goroutines it woke.
struct CancelHop {
  size_t edge = 0;  // index into MultiAnalysis::edges
  int64_t caller_done = 0;   // shared axis: the caller's context (or the ancestor that ended it) done
  int64_t aborted = 0;       // the caller's `abort`
  int64_t learnt = 0;        // the server's `remotecancel`
  std::optional<int64_t> server_done;  // the server's context done (its `cancel`)
  std::string how;           // close, reset, annotation
  std::string cause;         // the caller's cause (its abort's)
  int32_t server_wave = -1;  // the server's cancel wave (Report wave id), -1 when it woke nobody
  uint32_t woken = 0;        // goroutines that wave woke
  std::optional<int64_t> woken_ended;  // shared axis: when the last of them ended
  /// The caller's `abort` is logged by the goroutine whose request call returned, which can be
  /// after the transport closed the connection and the server learnt of it: then the split
  /// puts the transport's act at the server's learning (network 0, client side all of it).
  bool abort_logged_late() const { return aborted > learnt; }
  int64_t client_side() const { return std::min(aborted, learnt) - caller_done; }
  int64_t network() const { return learnt - std::min(aborted, learnt); }
  std::optional<int64_t> server_side() const {
    if (!server_done) return std::nullopt;
    return *server_done - learnt;
  }
};

/// A cancel that crossed processes: where it started and each hop, in causal order.
struct CrossWave {
  size_t origin_process = 0;
  uint64_t origin_ctx = 0;  // the context whose cancel (or deadline) started it
  bool origin_done = true;  // false: that context was never done, its request was aborted
                            // (a WithoutCancel context's request, cancelled by hand)
  int64_t time = 0;  // shared axis: the origin's cancel
  model::SourceLoc origin_site;
  std::string cause;
  std::vector<CancelHop> hops;
};

/// A finding of the cross-process stage (slow-remote-propagation) or of one process's rules,
/// with the process it belongs to.
struct ProcessFinding {
  size_t process = 0;
  const diagnose::Finding* finding = nullptr;
};

struct MultiAnalysis {
  std::vector<Process> processes;
  std::vector<CrossEdge> edges;
  std::vector<CrossWave> waves;
  /// Findings only several processes together show, each naming its process.
  std::vector<std::pair<size_t, diagnose::Finding>> cross_findings;

  bool single() const { return processes.size() == 1; }
  /// The earliest trace start among the aligned processes, on the shared axis (outputs show
  /// times from it); 0 when none is aligned.
  int64_t start() const;
  /// Every finding, each with its process: the cross-process ones first, then each process's.
  std::vector<ProcessFinding> findings() const;
};

/// Changes one process's options before its trace is read (its index in the inputs): the
/// timeline commands stream each process's intervals into a collector of its own.
using PerProcess = std::function<void(size_t process, Options& options)>;

/// Analyses each process of `inputs` with `options` (its snapshots attached), aligns the
/// clocks, joins the requests and runs the cross-process rules. One process: the single-trace
/// analysis, unchanged (no links, no alignment needed). Each trace is read once; processes
/// keep the order of `inputs`.
Result<MultiAnalysis> analyze_processes(const std::vector<ProcessInputs>& inputs, const Options& options,
                                        const PerProcess& per_process = {});

/// The same over analyses already made (tests; `names` are their trace files).
MultiAnalysis join_processes(std::vector<Analysis> analyses, const std::vector<std::string>& files,
                             const diagnose::Options& options);

}  // namespace ctxtrail::analysis
