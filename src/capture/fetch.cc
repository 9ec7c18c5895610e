/// One GET with a libcurl easy handle. The body streams to the file as it comes (a trace can be
/// gigabytes); an error body is kept in memory, a few KiB at most, for its first line.
#include "ctxtrail/capture/fetch.h"

#ifndef CTXTRAIL_NO_CURL
#include <curl/curl.h>
#endif
#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <memory>

namespace ctxtrail::capture {

std::string_view to_string(FetchEnd end) {
  switch (end) {
    case FetchEnd::Complete: return "complete";
    case FetchEnd::HttpError: return "http-error";
    case FetchEnd::Cut: return "cut";
    case FetchEnd::TimedOut: return "timed-out";
    case FetchEnd::TooLarge: return "too-large";
    case FetchEnd::Failed: return "failed";
  }
  return "?";
}

std::string utc_now() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t secs = std::chrono::system_clock::to_time_t(now);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  return fmt::format("{}.{:03}Z", buf, ms);
}

#ifdef CTXTRAIL_NO_CURL

// The static binary links no libcurl (Debian's libcurl.a needs static builds of libraries
// Debian does not ship static: GSSAPI, LDAP, libssh2, ...): every fetch fails, saying why.
Fetch fetch_to_file(const std::string& url, const std::filesystem::path&, const FetchOptions&) {
  Fetch f;
  f.url = url;
  f.final_url = url;
  f.started = f.ended = utc_now();
  f.end = FetchEnd::Failed;
  f.what = "this ctxtrail is the static binary, built without an HTTP client (libcurl): capture needs the "
           "packaged or a source build; or fetch /debug/pprof/trace and the goroutine dumps with curl and "
           "pass the files to ctxtrail analyze";
  return f;
}

#else

namespace {

constexpr size_t kErrorBodyBytes = 4096;  // enough for the first line of any error page

// curl_global_init is not thread-safe and must precede the first handle; a function-local
// static runs it once. Its memory stays reachable for the process's life (no cleanup at exit:
// another static's destructor may still be using a handle).
void init_curl_once() {
  static const CURLcode init = curl_global_init(CURL_GLOBAL_DEFAULT);
  (void)init;
}

struct Transfer {
  CURL* curl = nullptr;
  const std::filesystem::path* path = nullptr;
  std::FILE* file = nullptr;
  uint64_t max_bytes = 0;
  uint64_t bytes = 0;
  long status = 0;
  bool too_large = false;
  int write_errno = 0;
  std::string error_body;
  const std::function<void(uint64_t)>* progress = nullptr;
};

bool is_2xx(long status) { return status >= 200 && status < 300; }

// Body bytes of the final answer (curl passes no body of a redirect it follows).
size_t on_body(char* data, size_t /*size is always 1*/, size_t n, void* user) {
  Transfer& t = *static_cast<Transfer*>(user);
  if (t.status == 0) curl_easy_getinfo(t.curl, CURLINFO_RESPONSE_CODE, &t.status);
  if (!is_2xx(t.status)) {
    const size_t room = kErrorBodyBytes - std::min(kErrorBodyBytes, t.error_body.size());
    t.error_body.append(data, std::min(room, n));
    return room > 0 ? n : 0;  // stop reading a long error page once its start is kept
  }
  if (t.file == nullptr) {
    t.file = std::fopen(t.path->c_str(), "wb");
    if (t.file == nullptr) {
      t.write_errno = errno;
      return 0;
    }
  }
  size_t take = n;
  if (t.bytes + n > t.max_bytes) {
    take = static_cast<size_t>(t.max_bytes - t.bytes);
    t.too_large = true;
  }
  if (take > 0 && std::fwrite(data, 1, take, t.file) != take) {
    t.write_errno = errno;
    return 0;
  }
  t.bytes += take;
  return t.too_large ? 0 : n;
}

int on_progress(void* user, curl_off_t /*dltotal*/, curl_off_t /*dlnow*/, curl_off_t, curl_off_t) {
  const Transfer& t = *static_cast<const Transfer*>(user);
  if (t.progress != nullptr && *t.progress) (*t.progress)(t.bytes);
  return 0;
}

std::string size_text(uint64_t bytes) {
  if (bytes >= (uint64_t{1} << 30) && bytes % (uint64_t{1} << 30) == 0) return fmt::format("{} GiB", bytes >> 30);
  if (bytes >= (uint64_t{1} << 20) && bytes % (uint64_t{1} << 20) == 0) return fmt::format("{} MiB", bytes >> 20);
  return fmt::format("{} bytes", bytes);
}

std::string duration_text(std::chrono::milliseconds d) {
  if (d.count() % 1000 == 0) return fmt::format("{}s", d.count() / 1000);
  return fmt::format("{}ms", d.count());
}

// The first non-empty line of an error body, printable and short: it goes into a message.
std::string first_line(std::string_view body) {
  size_t at = 0;
  while (at < body.size()) {
    size_t end = body.find('\n', at);
    if (end == std::string_view::npos) end = body.size();
    std::string line;
    for (char c : body.substr(at, end - at)) {
      const unsigned char u = static_cast<unsigned char>(c);
      if (u >= 0x20 && u != 0x7f) line += c;
      else if (c == '\t') line += ' ';
    }
    const size_t b = line.find_first_not_of(' '), e = line.find_last_not_of(' ');
    if (b != std::string::npos) {
      line = line.substr(b, e - b + 1);
      if (line.size() > 200) line = line.substr(0, 200) + "...";
      return line;
    }
    at = end + 1;
  }
  return {};
}

}  // namespace

Fetch fetch_to_file(const std::string& url, const std::filesystem::path& file, const FetchOptions& options) {
  init_curl_once();
  Fetch f;
  f.url = url;
  f.final_url = url;
  f.started = utc_now();
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) {
    f.ended = utc_now();
    f.what = "cannot start libcurl";
    return f;
  }
  curl_slist* headers = nullptr;
  for (const std::string& h : options.headers) headers = curl_slist_append(headers, h.c_str());
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> header_list(headers, curl_slist_free_all);

  Transfer t;
  t.curl = curl.get();
  t.path = &file;
  t.max_bytes = options.max_bytes;
  t.progress = &options.progress;
  char errbuf[CURL_ERROR_SIZE] = {};
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
  curl_easy_setopt(c, CURLOPT_MAXREDIRS, options.max_redirects);
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(c, CURLOPT_USERAGENT, "ctxtrail-capture");
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);  // timeouts without SIGALRM: safe beside other threads
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(options.timeout.count()));
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(std::min<int64_t>(options.timeout.count(), 10000)));
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &t);
  curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, on_progress);
  curl_easy_setopt(c, CURLOPT_XFERINFODATA, &t);
  curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);

  const CURLcode code = curl_easy_perform(c);
  f.ended = utc_now();
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &f.status);
  if (char* final_url = nullptr; curl_easy_getinfo(c, CURLINFO_EFFECTIVE_URL, &final_url) == CURLE_OK && final_url)
    f.final_url = final_url;
  if (is_2xx(f.status) && t.file == nullptr && t.write_errno == 0) {
    t.file = std::fopen(file.c_str(), "wb");  // an empty body is still an answer to keep
    if (t.file == nullptr) t.write_errno = errno;
  }
  f.saved = t.file != nullptr;
  if (t.file != nullptr && std::fclose(t.file) != 0 && t.write_errno == 0) t.write_errno = errno;
  f.bytes = t.bytes;
  const std::string curl_says = errbuf[0] != '\0' ? errbuf : curl_easy_strerror(code);

  if (t.write_errno != 0) {
    f.end = FetchEnd::Failed;
    f.what = fmt::format("cannot write {}: {}", file.string(), std::strerror(t.write_errno));
  } else if (code == CURLE_TOO_MANY_REDIRECTS) {
    f.end = FetchEnd::Failed;
    f.what = fmt::format("more than {} redirects (last: {})", options.max_redirects, f.final_url);
  } else if (f.status != 0 && !is_2xx(f.status)) {
    f.end = FetchEnd::HttpError;
    f.error_line = first_line(t.error_body);
    f.what = fmt::format("HTTP {}", f.status);
  } else if (t.too_large) {
    f.end = FetchEnd::TooLarge;
    f.what = fmt::format("the body passed the {} cap for this file; the file keeps its first {}",
                         size_text(options.max_bytes), size_text(options.max_bytes));
  } else if (code == CURLE_OK) {
    f.end = FetchEnd::Complete;
  } else if (code == CURLE_OPERATION_TIMEDOUT) {
    f.end = FetchEnd::TimedOut;
    f.what = fmt::format("no complete answer within {} ({} bytes of the body came)", duration_text(options.timeout),
                         f.bytes);
  } else if (f.status != 0 && (code == CURLE_PARTIAL_FILE || code == CURLE_RECV_ERROR)) {
    f.end = FetchEnd::Cut;
    f.what = fmt::format("the connection closed after {} bytes of the body ({})", f.bytes, curl_says);
  } else if (code == CURLE_GOT_NOTHING) {
    f.what = "the server closed the connection without answering";
  } else {
    f.what = curl_says;
  }
  return f;
}

#endif  // CTXTRAIL_NO_CURL

}  // namespace ctxtrail::capture
