/// Panic, fatal error and running tests before a dump (dump_context.h).
#include "snapshot/dump_context.h"

#include <string>

namespace ctxtrail::snapshot {
namespace {

constexpr std::string_view kPanic = "panic: ";
constexpr std::string_view kFatal = "fatal error: ";
constexpr std::string_view kNestedPanic = "\tpanic: ";
constexpr std::string_view kRunningTests = "\trunning tests:";
constexpr std::string_view kTestIndent = "\t\t";

// "TestX/sub (2s)" -> "TestX/sub": test names hold no spaces (go test turns them into '_').
std::string_view test_name(std::string_view entry) {
  const size_t space = entry.find(' ');
  return entry.substr(0, space);
}

}  // namespace

void DumpContextScanner::line(std::string_view line) {
  if (state_ == State::InRunningTests) {
    if (line.starts_with(kTestIndent)) {
      const std::string_view name = test_name(line.substr(kTestIndent.size()));
      if (!name.empty()) context_.running_tests.emplace_back(name);
      return;
    }
    state_ = State::InPanic;
  }
  if (state_ == State::InPanic) {
    // The panic that stopped the process is the last of a chain: "panic: A [recovered]" then
    // "\tpanic: B".
    if (line.starts_with(kNestedPanic)) {
      context_.panic.assign(line.substr(kNestedPanic.size()));
      return;
    }
    if (line == kRunningTests) {
      state_ = State::InRunningTests;
      return;
    }
    if (line.starts_with('\t')) return;  // more lines of the panic value
    state_ = State::Idle;
  }
  const bool panic = line.starts_with(kPanic);
  if (panic || line.starts_with(kFatal)) {
    context_ = DumpContext{};
    context_.panic.assign(line.substr(panic ? kPanic.size() : kFatal.size()));
    context_.fatal = !panic;
    state_ = State::InPanic;
  }
}

}  // namespace ctxtrail::snapshot
