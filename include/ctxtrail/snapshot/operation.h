/// What a goroutine of a snapshot is parked on, in the words of a dump's header ("chan send",
/// "select", "sync.Mutex.Lock"): read from the header where the dump printed one, else inferred
/// from the runtime frames at the top of its stack (profiles print no wait reasons).
#pragma once

#include <string_view>

#include "ctxtrail/snapshot/snapshot.h"

namespace ctxtrail::snapshot {

/// The wait reason, or "" when neither the header nor the stack says.
std::string_view blocking_operation(const Goroutine& g);

/// Operations that only another goroutine can end: channel operations, select, and the sync
/// package's locks, WaitGroups and condition variables (not sleeps, I/O, syscalls or running).
bool waits_on_another_goroutine(std::string_view operation);

/// Operations that can never end: on a nil channel, or a select with no cases.
bool blocks_for_ever(std::string_view operation);

}  // namespace ctxtrail::snapshot
