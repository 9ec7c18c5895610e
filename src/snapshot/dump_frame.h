/// The lines of a goroutine's stack in a dump. A frame is two lines:
///   net/http.(*conn).serve(0xc000110000, {0x8a1f40, 0xc0000a6000})
///   \t/usr/local/go/src/net/http/server.go:2089 +0x8a5
/// The argument list is "(...)" for an inlined call and "{...}" groups stand for structs; the
/// " +0xNN" offset is missing for inlined calls, and GOTRACEBACK=system adds " fp=0x.. sp=0x..
/// pc=0x..". Frames of cgo code may name a C function without parentheses, and their second
/// line may hold only "pc=0x..". The goroutine's creator follows its frames:
///   created by main.main in goroutine 1      (" in goroutine N" since Go 1.21)
///   \t/app/main.go:12 +0x5e
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace ctxtrail::snapshot {

/// The function a frame's first line names, without its argument list: "main.F[...](0x1)" ->
/// "main.F[...]", "net/http.(*conn).serve(...)" -> "net/http.(*conn).serve". A line that does
/// not end in ")" is a name as it stands (cgo symbolizer output).
std::string_view frame_function(std::string_view line);

/// The function of a frame line cut off mid-way (the input's last line): what comes before its
/// last "(". Empty when the line has none: then nothing says it is a frame.
std::string_view cut_frame_function(std::string_view line);

/// A frame's second line without its leading tab: the file and line of "file:line +0x..".
/// File empty and line 0 when it names none.
struct SourceLine {
  std::string_view file;
  int64_t line = 0;
};
SourceLine parse_source_line(std::string_view line);

/// "created by F in goroutine N" (the " in goroutine N" is optional).
struct CreatedBy {
  std::string_view function;
  int64_t creator_id = -1;
};
std::optional<CreatedBy> parse_created_by(std::string_view line);

}  // namespace ctxtrail::snapshot
