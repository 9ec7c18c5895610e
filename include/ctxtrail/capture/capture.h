/// Capture from a live service: a Go execution trace, then at its end a goroutine dump and the
/// goroutine leak profile, taken over HTTP from a Go program serving net/http/pprof and saved
/// in one folder with a manifest (manifest.h), ready for the analysis stage. An input source
/// before the readers: it recognises what it saved by content (snapshot/), and reads no trace.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "ctxtrail/capture/fetch.h"
#include "ctxtrail/status.h"

namespace ctxtrail::capture {

/// The pprof root ("http://h:6060/debug/pprof/") for a URL as a user gives it: the service's
/// base URL (with or without a path prefix, a trailing slash or the "http://"), or a URL that
/// already ends in /debug/pprof or /debug/pprof/. An Error for what is no http(s) URL.
Result<std::string> pprof_root(const std::string& url);

/// The host and port of an http(s) URL in characters safe for a folder name ("127.0.0.1-6060").
std::string host_for_folder(const std::string& url);

/// "1.26" from the first bytes of a trace ("go 1.26 trace\0\0\0"); empty when they are none.
std::string trace_go_version(std::string_view head);

struct Options {
  std::string url;  // as the user gave it
  int seconds = 5;  // the trace's length
  /// Where to save; empty: a new folder ctxtrail-capture-<host>-<UTC time> in the current directory.
  std::filesystem::path dir;
  std::vector<std::string> headers;  // "Name: value", sent with every request (never saved)
  /// What each download may take beyond what it asks for: the trace gets seconds plus this.
  std::chrono::milliseconds timeout{30000};
  uint64_t max_trace_bytes = uint64_t{4} << 30;
  uint64_t max_dump_bytes = uint64_t{1} << 30;
  std::string tool_version;  // for the manifest
  /// Called now and then during each download with its file name and the bytes so far.
  std::function<void(std::string_view file, uint64_t bytes)> progress;
};

enum class Role : uint8_t { Trace, Goroutines, GoroutineLeak };

/// One of the three downloads and what became of it.
struct File {
  Role role = Role::Trace;
  std::string name;  // trace.out, goroutines.txt, goroutineleak.txt
  std::filesystem::path path;
  bool requested = false;  // the dumps are not asked for when there is no trace to join them to
  Fetch fetch;
  bool usable = false;   // saved and of the expected kind: the analysis reads it
  bool partial = false;  // saved but cut short: usable up to the cut
  std::string problem;   // what is wrong with it (also in the manifest); empty: nothing
};

struct Capture {
  std::string url;   // as given
  std::string root;  // the pprof root every file was asked under
  std::filesystem::path dir;
  int seconds = 0;
  std::string started, ended;
  std::string go_trace_version;  // from trace.out's header; empty when none was saved
  std::string tool_version;
  std::vector<File> files;         // the trace, the goroutine dump, the leak profile, in that order
  std::vector<std::string> notes;  // worth saying, no error: the leak profile is not served
  /// One message per problem, naming the URL and what went wrong: each makes the capture fail.
  std::vector<std::string> problems;

  bool failed() const { return !problems.empty(); }
  File& file(Role role) { return files[static_cast<size_t>(role)]; }
  const File& file(Role role) const { return files[static_cast<size_t>(role)]; }
  /// The saved files the analysis can read, the trace first.
  std::vector<std::string> usable_paths() const;
  /// Records that a saved file turned out cut short when read (a trace without its end): it is
  /// partial, and a problem; the manifest says so once written again.
  void mark_cut_short(Role role, const std::string& why);
};

/// Makes the folder, downloads into it and writes manifest.json. An Error only when nothing
/// could be tried (a URL that is no http(s) URL, a folder that cannot be made); network, HTTP and
/// content trouble is in Capture::problems, and what was saved stays for the analysis.
Result<Capture> capture(const Options& options);

}  // namespace ctxtrail::capture
