/// The debug=1 text form of pprof's goroutine and goroutineleak profiles (runtime/pprof
/// printCountProfile). Its grammar, one record per distinct stack and label set:
///
///   goroutine profile: total 9              (or "goroutineleak profile: total N")
///   3 @ 0x48056e 0x4159ee 0x4ed81f          COUNT @ the stack's PCs
///   # labels: {"role":"consumer", "shard":"1"}   (only with labels; %q-quoted, keys sorted)
///   #	0x4ed81e	main.receive+0x3e	main.go:31   one per frame, leaf first, inlined ones too
///   #	0x4d9f70                                    a frame without a symbol
///   (blank line)
///
/// Frame columns are aligned by text/tabwriter with runs of tabs; runtime frames at the leaf
/// are left out (printStackRecord), unlike the protobuf form.
#include <charconv>
#include <optional>
#include <utility>

#include <fmt/format.h>

#include "snapshot/go_quoted.h"
#include "snapshot/profile.h"

namespace ctxtrail::snapshot {

namespace {

constexpr std::string_view kProfileHeader = "goroutine profile: total ";
constexpr std::string_view kLeakHeader = "goroutineleak profile: total ";
constexpr std::string_view kLabelsPrefix = "# labels: ";

bool is_blank(std::string_view line) { return line.find_first_not_of(" \t\r") == std::string_view::npos; }

std::string_view trim(std::string_view s) {
  const size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string_view::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

/// Cuts the first run of non-blank characters off the front of `s` (after blanks).
std::string_view take_field(std::string_view& s) {
  s = trim(s);
  const size_t end = std::min(s.find_first_of(" \t"), s.size());
  std::string_view field = s.substr(0, end);
  s.remove_prefix(end);
  return field;
}

template <typename T>
std::optional<T> decimal(std::string_view s) {
  T v{};
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty()) return std::nullopt;
  return v;
}

bool is_pc(std::string_view s) {
  return s.size() > 2 && s.size() <= 18 && s.starts_with("0x") &&
         s.find_first_not_of("0123456789abcdefABCDEF", 2) == std::string_view::npos;
}

/// "main.receive+0x3e" -> "main.receive": the offset from the function's entry is no part of
/// its name.
std::string_view strip_entry_offset(std::string_view f) {
  const size_t plus = f.rfind("+0x");
  if (plus == std::string_view::npos || plus == 0) return f;
  return is_pc(f.substr(plus + 1)) ? f.substr(0, plus) : f;
}

class TextParser {
 public:
  TextParser(std::string_view text, std::string source) : rest_(text) { snapshot_.source = std::move(source); }

  Result<Snapshot> parse() {
    std::string_view line;
    do {
      if (!next_line(line)) return expected("the header \"goroutine profile: total N\"");
    } while (is_blank(line));
    line = trim(line);
    if (line.starts_with(kProfileHeader)) {
      snapshot_.kind = Kind::Profile;
      line.remove_prefix(kProfileHeader.size());
    } else if (line.starts_with(kLeakHeader)) {
      snapshot_.kind = Kind::LeakProfile;
      line.remove_prefix(kLeakHeader.size());
    } else {
      return expected("the header \"goroutine profile: total N\" or \"goroutineleak profile: total N\"");
    }
    if (!decimal<uint64_t>(trim(line))) return expected("the number of goroutines after \"total \"");

    Goroutine* record = nullptr;  // the record the next frame or labels line belongs to
    while (next_line(line)) {
      if (is_blank(line)) {
        record = nullptr;
      } else if (line.starts_with(kLabelsPrefix)) {
        if (record == nullptr) return expected("a record \"COUNT @ PC...\" before its labels");
        if (!parse_labels(line.substr(kLabelsPrefix.size()), *record))
          return expected("labels like {\"key\":\"value\", ...} after \"# labels: \"");
      } else if (line.starts_with("#")) {
        if (record == nullptr) return expected("a record \"COUNT @ PC...\" before its frames");
        std::optional<Frame> frame = parse_frame(line.substr(1));
        if (!frame) return expected("a frame \"#\\tPC\\tFUNCTION+OFFSET\\tFILE:LINE\" or \"#\\tPC\"");
        record->frames.push_back(std::move(*frame));
      } else {
        record = parse_record_header(line);
        if (record == nullptr)
          return expected("a record \"COUNT @ PC...\", a frame \"#\\tPC\\tFUNCTION+OFFSET\\tFILE:LINE\" or a blank line");
      }
    }
    return std::move(snapshot_);
  }

 private:
  /// The next line without its line ending; false at the end of the input.
  bool next_line(std::string_view& line) {
    if (rest_.empty()) return false;
    const size_t nl = rest_.find('\n');
    line = rest_.substr(0, nl);
    rest_.remove_prefix(nl == std::string_view::npos ? rest_.size() : nl + 1);
    if (line.ends_with('\r')) line.remove_suffix(1);
    ++line_no_;
    return true;
  }

  Error expected(std::string_view what) const {
    return Error{snapshot_.source, std::nullopt, std::nullopt, fmt::format("line {}: expected {}", line_no_, what)};
  }

  /// "3 @ 0x48056e 0x4159ee": a new record, or nullptr when the line is not one.
  Goroutine* parse_record_header(std::string_view line) {
    std::optional<uint64_t> count = decimal<uint64_t>(take_field(line));
    if (!count || take_field(line) != "@") return nullptr;
    for (std::string_view pc = take_field(line); !pc.empty(); pc = take_field(line)) {
      if (!is_pc(pc)) return nullptr;
    }
    Goroutine& g = snapshot_.goroutines.emplace_back();
    g.count = *count;
    g.leaked = snapshot_.kind == Kind::LeakProfile;
    g.line = line_no_;
    return &g;
  }

  /// After the "#": "\t0x4ed81e\tmain.receive+0x3e\tmain.go:31", or "\t0x4d9f70" alone for a
  /// PC without a symbol, which becomes a frame named by the PC. A file name may hold blanks:
  /// it is all that follows the function, up to the last colon.
  std::optional<Frame> parse_frame(std::string_view rest) {
    const std::string_view pc = take_field(rest);
    if (!is_pc(pc)) return std::nullopt;
    const std::string_view function = take_field(rest);
    if (function.empty()) return Frame{snapshot_.keep(pc), "", 0};
    const std::string_view file_line = trim(rest);
    const size_t colon = file_line.rfind(':');
    if (colon == std::string_view::npos || colon == 0) return std::nullopt;
    std::optional<int64_t> line = decimal<int64_t>(file_line.substr(colon + 1));
    if (!line) return std::nullopt;
    return Frame{snapshot_.keep(strip_entry_offset(function)), snapshot_.keep(file_line.substr(0, colon)), *line};
  }

  /// `{"key":"value", "key2":"value2"}`, as labelMap.String prints a label set.
  static bool parse_labels(std::string_view s, Goroutine& g) {
    s = trim(s);
    if (!s.starts_with('{')) return false;
    s.remove_prefix(1);
    if (s == "}") return true;
    while (true) {
      std::optional<std::string> key = read_go_quoted(s);
      if (!key || !s.starts_with(':')) return false;
      s.remove_prefix(1);
      std::optional<std::string> value = read_go_quoted(s);
      if (!value) return false;
      g.labels.emplace_back(std::move(*key), std::move(*value));
      if (s == "}") return true;
      if (!s.starts_with(',')) return false;
      s = trim(s.substr(1));
    }
  }

  std::string_view rest_;
  uint64_t line_no_ = 0;
  Snapshot snapshot_;
};

}  // namespace

bool is_text_profile(std::string_view bytes) {
  const size_t start = bytes.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos) return false;
  bytes.remove_prefix(start);
  return bytes.starts_with(kProfileHeader) || bytes.starts_with(kLeakHeader);
}

Result<Snapshot> parse_profile_text(std::string_view text, std::string source) {
  return TextParser(text, std::move(source)).parse();
}

}  // namespace ctxtrail::snapshot
