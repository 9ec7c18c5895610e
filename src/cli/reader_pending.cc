/// Stand-in for the trace reader until the `reader` branch lands: the CLI links and says so.
/// It compiles to nothing once src/trace has the reader (its batch_cursor.h).
#if !__has_include("trace/batch_cursor.h")
#include "ctxtrail/trace/reader.h"

namespace ctxtrail::trace {

Result<std::unique_ptr<Reader>> Reader::open(const std::string& path, ReaderOptions) {
  return Error{path, std::nullopt, std::nullopt, "the trace reader is not built into this ctxtrail yet"};
}

Result<std::unique_ptr<Reader>> Reader::from_bytes(std::string, std::string name, ReaderOptions) {
  return Error{name, std::nullopt, std::nullopt, "the trace reader is not built into this ctxtrail yet"};
}

}  // namespace ctxtrail::trace
#endif
