/// One HTTP GET saved to a file (libcurl): bounded in time and in size, redirects followed up to
/// a bound, and an account of how it ended that a message and the manifest can both use.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace ctxtrail::capture {

/// How a download ended. Only Complete means the file holds the whole body of a 2xx answer.
enum class FetchEnd : uint8_t {
  Complete,   // a 2xx status and its whole body
  HttpError,  // a status of 400 or more: nothing saved; the body's first line is in error_line
  Cut,        // the connection closed or broke mid-body: the file keeps what came
  TimedOut,   // the time allowed passed: the file keeps what came
  TooLarge,   // the body passed FetchOptions::max_bytes: the file keeps the first max_bytes
  Failed,     // no usable answer: cannot resolve or connect, too many redirects, a local error
};
std::string_view to_string(FetchEnd end);

struct FetchOptions {
  std::vector<std::string> headers;  // "Name: value", sent as given
  std::chrono::milliseconds timeout{30000};  // the whole request, connection to last byte
  uint64_t max_bytes = uint64_t{1} << 30;
  long max_redirects = 10;
  /// Called now and then with the body bytes received so far.
  std::function<void(uint64_t bytes)> progress;
};

struct Fetch {
  std::string url;        // as asked
  std::string final_url;  // after redirects
  long status = 0;        // the final HTTP status; 0 when none came
  uint64_t bytes = 0;     // body bytes written to the file
  std::string started, ended;  // UTC, ISO 8601 with milliseconds
  FetchEnd end = FetchEnd::Failed;
  /// What went wrong, as a phrase for a message ("the connection closed after 4096 bytes of
  /// the body"); empty when Complete.
  std::string what;
  /// HttpError: the first non-empty line of the error body, cleaned for a terminal.
  std::string error_line;
  /// The file was written: the whole body when Complete, what came before the end otherwise.
  bool saved = false;
};

/// GETs `url` into `file` (created or truncated when a 2xx answer's body begins; left alone on
/// an HTTP error or no answer). Never throws for network or HTTP trouble: it is in the answer.
Fetch fetch_to_file(const std::string& url, const std::filesystem::path& file, const FetchOptions& options);

/// Now, UTC, ISO 8601 with milliseconds ("2026-12-07T02:03:04.123Z").
std::string utc_now();

}  // namespace ctxtrail::capture
