/// Text goroutine dumps: runtime.Stack(buf, true), /debug/pprof/goroutine?debug=2, the
/// goroutineleak profile's debug=2 text, and the tracebacks of panics, fatal errors and
/// `go test -timeout`, alone or inside a larger text. A goroutine's block is its header line
/// (goroutine_header.h) and the lines of its stack (dump_frame.h), up to a blank line or the
/// first line that is no part of a stack; every other line is skipped, and those before the
/// first block are read for the panic that printed it (dump_context.h). One pass, each line
/// looked at a bounded number of times. Function and file names go into the snapshot's
/// StringStore once each (a 100,000-goroutine dump names a few hundred), so a frame costs no
/// allocation of its own.
#include <iterator>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "ctxtrail/snapshot/snapshot.h"
#include "ctxtrail/snapshot/string_store.h"
#include "snapshot/dump_context.h"
#include "snapshot/dump_frame.h"
#include "snapshot/dump_text.h"
#include "snapshot/goroutine_chunks.h"
#include "snapshot/goroutine_header.h"
#include "snapshot/line_cursor.h"

namespace ctxtrail::snapshot {
namespace {

constexpr std::string_view kOriginating = "[originating from goroutine ";
constexpr std::string_view kNonGoFunction = "non-Go function at pc=";

bool is_header_candidate(std::string_view line) { return line.starts_with("goroutine "); }

// "...additional frames elided..." (ancestors) or "...12 frames elided..." (deep stacks).
bool is_elision(std::string_view line) { return line.starts_with("...") && line.ends_with("elided..."); }

Frame make_frame(StringStore& strings, std::string_view function, std::string_view source_line) {
  const SourceLine where = parse_source_line(source_line);
  return Frame{strings.intern(function), strings.intern(where.file), where.line};
}

// Reads the stack lines after a header into `g`, stopping at (not consuming) a blank line, the
// next header, or the first line that is no part of a stack. `scratch` is reused from block to
// block so each goroutine's frames are allocated once, at their final size.
void read_block(LineCursor& lines, StringStore& strings, Goroutine& g, std::vector<Frame>& scratch) {
  scratch.clear();
  // GODEBUG=tracebackancestors adds the stacks of the goroutine's creators under
  // "[originating from goroutine N]:"; they are not its own frames.
  bool in_ancestors = false;
  for (; !lines.done(); lines.next()) {
    const std::string_view line = lines.line();
    if (line.empty() || is_header_candidate(line)) break;
    // A tab-indented line here belongs to no frame: "\tgoroutine running on other thread;
    // stack unavailable".
    if (line[0] == '\t' || is_elision(line) || line.starts_with(kNonGoFunction)) continue;
    if (line.starts_with(kOriginating)) {
      in_ancestors = true;
      continue;
    }
    const bool has_source = lines.has_ahead() && lines.ahead().starts_with('\t');
    const std::string_view source = has_source ? lines.ahead().substr(1) : std::string_view();
    if (std::optional<CreatedBy> created = parse_created_by(line)) {
      if (!in_ancestors) {
        g.created_by = make_frame(strings, created->function, source);
        g.creator_id = created->creator_id;
      }
    } else {
      std::string_view function = frame_function(line);
      // A frame is a function line with its source line under it; the input's last line may be
      // a frame cut off mid-way.
      if (!has_source) function = lines.has_ahead() ? std::string_view() : cut_frame_function(line);
      if (function.empty()) break;
      if (!in_ancestors) scratch.push_back(make_frame(strings, function, source));
    }
    if (has_source) lines.next();
  }
  g.frames.assign(scratch.begin(), scratch.end());
}

}  // namespace

Result<Snapshot> parse_dump(std::string_view text, std::string source) {
  return parse_dump(text, std::move(source), ReleaseText());
}

Result<Snapshot> parse_dump(std::string_view text, std::string source, const ReleaseText& release) {
  Snapshot snapshot;
  snapshot.kind = Kind::Dump;
  StringStore& strings = *snapshot.strings;
  DumpContextScanner context;
  GoroutineChunks goroutines;
  std::vector<Frame> scratch;
  LineCursor lines(text);
  size_t released = 0;
  while (!lines.done()) {
    const std::string_view line = lines.line();
    if (release) {
      // Nothing read so far is looked at again: tell the owner of the text, a few MiB at a time.
      const size_t at = static_cast<size_t>(line.data() - text.data());
      if (at - released >= kReleaseStep) {
        release(at);
        released = at;
      }
    }
    if (is_header_candidate(line)) {
      Goroutine header;
      if (parse_goroutine_header(line, header)) {
        Goroutine& g = goroutines.add(std::move(header));
        g.line = lines.number();
        lines.next();
        read_block(lines, strings, g, scratch);
        snapshot.has_leak_marks = snapshot.has_leak_marks || g.leaked;
        continue;
      }
    }
    if (goroutines.empty()) context.line(line);
    lines.next();
  }
  if (goroutines.empty()) {
    return Error{std::move(source), std::nullopt, std::nullopt,
                 "no goroutine dump found: expected a line like \"goroutine 1 [running]:\""};
  }
  snapshot.goroutines = goroutines.take();
  snapshot.context = std::move(context.context());
  snapshot.source = std::move(source);
  return snapshot;
}

}  // namespace ctxtrail::snapshot
