/// The order of a capture and what each answer means: the trace first (it takes --seconds),
/// then at its end the goroutine dump and the leak profile, so that the dumps show the
/// goroutines as the trace left them; each saved file is checked by content before the
/// analysis is given it.
#include "ctxtrail/capture/capture.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <ctime>
#include <fstream>

#include "ctxtrail/capture/manifest.h"
#include "ctxtrail/snapshot/snapshot.h"

namespace ctxtrail::capture {

Result<std::string> pprof_root(const std::string& given) {
  std::string url = given;
  while (!url.empty() && std::isspace(static_cast<unsigned char>(url.back()))) url.pop_back();
  url.erase(0, std::min(url.size(), url.find_first_not_of(" \t")));
  const auto bad = [&](const std::string& why) {
    return Error{given, std::nullopt, std::nullopt, "not a URL to capture from: " + why};
  };
  size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos) {
    url = "http://" + url;
    scheme_end = 4;
  }
  std::string scheme = url.substr(0, scheme_end);
  std::transform(scheme.begin(), scheme.end(), scheme.begin(), [](unsigned char ch) { return std::tolower(ch); });
  if (scheme != "http" && scheme != "https") return bad("only http and https are served by net/http/pprof");
  if (url.find_first_of("?#") != std::string::npos)
    return bad("give the service's base URL (like http://127.0.0.1:6060), without a query");
  const size_t host_begin = scheme_end + 3;
  const size_t path_begin = std::min(url.size(), url.find('/', host_begin));
  if (path_begin == host_begin) return bad("no host");
  std::string path = url.substr(path_begin);
  while (path.ends_with('/')) path.pop_back();
  if (!path.ends_with("/debug/pprof")) path += "/debug/pprof";
  return scheme + "://" + url.substr(host_begin, path_begin - host_begin) + path + "/";
}

std::string host_for_folder(const std::string& url) {
  size_t begin = url.find("://");
  begin = begin == std::string::npos ? 0 : begin + 3;
  size_t end = std::min(url.size(), url.find_first_of("/?#", begin));
  std::string authority = url.substr(begin, end - begin);
  if (size_t at = authority.rfind('@'); at != std::string::npos) authority.erase(0, at + 1);  // no credentials
  std::string safe;
  for (char c : authority) {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-') safe += c;
    else if (c == ':') safe += '-';
  }
  return safe.empty() ? "service" : safe;
}

std::string trace_go_version(std::string_view head) {
  if (!snapshot::looks_like_trace(head)) return {};
  const size_t end = head.find(" trace");
  return std::string(head.substr(3, end - 3));
}

std::vector<std::string> Capture::usable_paths() const {
  std::vector<std::string> paths;
  for (const File& f : files)
    if (f.usable) paths.push_back(f.path.string());
  return paths;
}

void Capture::mark_cut_short(Role role, const std::string& why) {
  File& f = file(role);
  if (f.partial) return;  // already said when the download was cut
  f.partial = true;
  f.problem = why;
  problems.push_back(why);
}

namespace {

std::string head_of(const std::filesystem::path& path, size_t n) {
  std::ifstream in(path, std::ios::binary);
  std::string head(n, '\0');
  in.read(head.data(), static_cast<std::streamsize>(n));
  head.resize(static_cast<size_t>(std::max<std::streamsize>(0, in.gcount())));
  return head;
}

// The start of a body that should have been a trace, quoted for a message.
std::string quote_start(std::string_view head) {
  if (head.empty()) return "the body is empty";
  std::string shown;
  for (char c : head.substr(0, 24)) {
    const unsigned char u = static_cast<unsigned char>(c);
    shown += (u >= 0x20 && u < 0x7f) ? std::string(1, c) : fmt::format("\\x{:02x}", u);
  }
  return fmt::format("it begins \"{}\"", shown);
}

std::string utc_stamp() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%dT%H%M%SZ", &tm);
  return buf;
}

Result<std::filesystem::path> make_folder(const Options& options, const std::string& root) {
  std::error_code ec;
  if (!options.dir.empty()) {
    std::filesystem::create_directories(options.dir, ec);
    if (ec || !std::filesystem::is_directory(options.dir))
      return Error{options.dir.string(), std::nullopt, std::nullopt,
                   "cannot make the capture folder" + (ec ? ": " + ec.message() : std::string())};
    return options.dir;
  }
  const std::string base = "ctxtrail-capture-" + host_for_folder(root) + "-" + utc_stamp();
  for (int n = 1; n < 100; n++) {
    std::filesystem::path dir = n == 1 ? base : fmt::format("{}-{}", base, n);
    if (std::filesystem::create_directory(dir, ec)) return dir;
    if (ec) return Error{dir.string(), std::nullopt, std::nullopt, "cannot make the capture folder: " + ec.message()};
  }
  return Error{base, std::nullopt, std::nullopt, "cannot make the capture folder: too many of that name"};
}

FetchOptions fetch_options(const Options& options, std::string_view name, std::chrono::milliseconds timeout,
                           uint64_t max_bytes) {
  FetchOptions fo;
  fo.headers = options.headers;
  fo.timeout = timeout;
  fo.max_bytes = max_bytes;
  if (options.progress) fo.progress = [&options, name](uint64_t bytes) { options.progress(name, bytes); };
  return fo;
}

// Downloads one file afresh: a file of that name from an earlier capture into the same folder
// must not pass for this one's.
void download(File& f, const FetchOptions& fo) {
  std::error_code ec;
  std::filesystem::remove(f.path, ec);
  f.requested = true;
  f.fetch = fetch_to_file(f.fetch.url, f.path, fo);
}

// What a download that did not end whole means for the file, as a problem naming its URL.
std::string download_problem(const File& f) {
  std::string msg = fmt::format("{}: {}", f.fetch.url, f.fetch.what);
  if (f.fetch.end == FetchEnd::HttpError && !f.fetch.error_line.empty()) msg += ": " + f.fetch.error_line;
  if (f.fetch.saved && f.fetch.end != FetchEnd::Complete && f.fetch.end != FetchEnd::TooLarge)
    msg += fmt::format("; {} keeps the {} bytes that came (partial)", f.path.string(), f.fetch.bytes);
  return msg;
}

void take_trace(Capture& c, const Options& options) {
  File& f = c.file(Role::Trace);
  const auto timeout = std::chrono::seconds(options.seconds) + options.timeout;
  download(f, fetch_options(options, f.name, std::chrono::duration_cast<std::chrono::milliseconds>(timeout),
                            options.max_trace_bytes));
  const Fetch& got = f.fetch;
  const std::string head = got.saved ? head_of(f.path, 32) : std::string();
  c.go_trace_version = trace_go_version(head);
  const bool is_trace = snapshot::looks_like_trace(head);
  if (got.end == FetchEnd::Complete) {
    f.usable = is_trace;
    if (!is_trace)
      f.problem = fmt::format("{}: HTTP {}, but the body is not a Go execution trace ({}): is {} a Go program serving "
                              "net/http/pprof?",
                              got.url, got.status, quote_start(head), c.root);
  } else {
    f.problem = download_problem(f);
    if (got.end == FetchEnd::HttpError && got.status == 404)
      f.problem += fmt::format(" (is {} a Go program serving net/http/pprof?)", c.root);
    // What came before a cut is a trace up to the cut; the analysis reads it that far.
    f.partial = got.saved;
    f.usable = got.saved && is_trace;
  }
  if (!f.problem.empty()) c.problems.push_back(f.problem);
}

void take_dump(Capture& c, Role role, const Options& options) {
  File& f = c.file(role);
  download(f, fetch_options(options, f.name, options.timeout, options.max_dump_bytes));
  const Fetch& got = f.fetch;
  if (role == Role::GoroutineLeak && got.end == FetchEnd::HttpError && got.status == 404) {
    c.notes.push_back(fmt::format("{}: not served (HTTP 404): Go 1.26 serves the goroutine leak profile only in "
                                  "programs built with GOEXPERIMENT=goroutineleakprofile, Go 1.27 and later always; "
                                  "analysing without it",
                                  got.url));
    return;
  }
  if (got.end != FetchEnd::Complete) {
    f.problem = download_problem(f);
    f.partial = got.saved;
  }
  if (got.saved) {
    // A dump cut mid-way still holds the goroutines before the cut: usable when they parse.
    Result<snapshot::Snapshot> s = snapshot::read_snapshot(f.path.string());
    f.usable = s.ok();
    if (!s.ok() && f.problem.empty())
      f.problem = fmt::format("{}: HTTP {}, but the body is not a goroutine dump: {}", got.url, got.status,
                              s.error().message);
  }
  if (!f.problem.empty()) c.problems.push_back(f.problem);
}

// The dumps are asked for unless the trace's answer says no pprof is there to ask (no answer,
// nothing before the time ran out, 404, a body that is no trace): a service that could not
// trace (500: tracing already on) still dumps its goroutines, and the leak profile alone proves
// leaks.
bool worth_asking_for_dumps(const File& trace) {
  const Fetch& got = trace.fetch;
  switch (got.end) {
    case FetchEnd::Complete: return trace.usable;
    case FetchEnd::HttpError: return got.status != 404;
    case FetchEnd::Failed: return false;
    case FetchEnd::Cut:
    case FetchEnd::TimedOut:
    case FetchEnd::TooLarge: return trace.usable;
  }
  return false;
}

}  // namespace

Result<Capture> capture(const Options& options) {
  Result<std::string> root = pprof_root(options.url);
  if (!root) return root.error();
  Capture c;
  c.url = options.url;
  c.root = *root;
  c.seconds = options.seconds;
  c.tool_version = options.tool_version;
  Result<std::filesystem::path> dir = make_folder(options, c.root);
  if (!dir) return dir.error();
  c.dir = *dir;
  const auto add = [&](Role role, const char* name, const std::string& url) {
    File f;
    f.role = role;
    f.name = name;
    f.path = c.dir / name;
    f.fetch.url = url;
    f.fetch.final_url = url;
    c.files.push_back(std::move(f));
  };
  add(Role::Trace, "trace.out", fmt::format("{}trace?seconds={}", c.root, options.seconds));
  add(Role::Goroutines, "goroutines.txt", c.root + "goroutine?debug=2");
  add(Role::GoroutineLeak, "goroutineleak.txt", c.root + "goroutineleak?debug=2");

  c.started = utc_now();
  take_trace(c, options);
  if (worth_asking_for_dumps(c.file(Role::Trace))) {
    take_dump(c, Role::Goroutines, options);
    take_dump(c, Role::GoroutineLeak, options);
  }
  c.ended = utc_now();
  if (Status s = write_manifest(c); !s.ok()) c.problems.push_back(s.error().to_string());
  return c;
}

}  // namespace ctxtrail::capture
