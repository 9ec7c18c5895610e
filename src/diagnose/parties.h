/// The goroutines alive when a process stopped (a go test timeout, a deadlock), from whichever
/// source holds them: the dump printed then (exact stacks) or, without one, the trace's last
/// states. What hung-test and deadlock follow from a blocked goroutine to the ones it waits on.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ctxtrail/snapshot/snapshot.h"
#include "diagnose/rule_context.h"

namespace ctxtrail::diagnose {

struct Party {
  int64_t id = -1;
  int64_t creator = -1;
  std::string op;               // wait reason ("chan receive"), or the status ("running")
  bool parked = false;          // waits on another goroutine (not running, sleeping, in I/O)
  model::SourceLoc block;       // first frame of the program's code where it waits
  std::string function;         // the function it was started with
  model::SourceLoc created;     // the `go` statement
  std::string test;             // the test it runs ("TestPlain"; testing.tRunner goroutines)
  model::SourceLoc test_loc;
  bool in_testing = false;      // parked inside package testing (t.Run waiting for a subtest)
  bool user = false;            // neither the runtime's nor the testing package's own
  int64_t since_ns = -1;        // parked since (trace time), when the trace says
  const model::Goroutine* traced = nullptr;
};

/// From a dump: every goroutine it lists, with the trace's times where the trace holds it.
std::vector<Party> parties_from_dump(RuleContext& ctx, const snapshot::Snapshot& dump);
/// From the trace alone: the goroutines alive at its end.
std::vector<Party> parties_from_trace(RuleContext& ctx);

/// "blocked on chan receive at a.go:16 (main.worker)", or its status when it is not parked.
std::string where(const Party& p);
/// " since 1.2s" when the trace says since when it waits, else "".
std::string since(const Party& p);
/// "G12 (main.worker, started at a.go:23), blocked on chan receive at a.go:16 (main.worker)
/// since 5ms and G13 (...)": many goroutines at one line are counted, not listed.
std::string describe_parties(const std::vector<const Party*>& parties);

/// The first dump joined that a `go test` timeout printed, or null.
const snapshot::Snapshot* timeout_dump(const model::Model& m);

}  // namespace ctxtrail::diagnose
