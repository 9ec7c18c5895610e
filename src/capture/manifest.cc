/// manifest.json: the capture's account of itself, one entry per file in download order.
#include "ctxtrail/capture/manifest.h"

#include <nlohmann/json.hpp>

#include <cerrno>
#include <cstring>
#include <fstream>

namespace ctxtrail::capture {
namespace {

using json = nlohmann::ordered_json;  // fields in the order a reader wants them

json file_json(const File& f) {
  json j;
  j["name"] = f.name;
  j["url"] = f.fetch.url;
  j["requested"] = f.requested;
  if (!f.requested) return j;
  if (f.fetch.final_url != f.fetch.url) j["final_url"] = f.fetch.final_url;
  j["status"] = f.fetch.status;  // 0: no HTTP answer
  j["bytes"] = f.fetch.bytes;
  j["started"] = f.fetch.started;
  j["ended"] = f.fetch.ended;
  j["download"] = std::string(to_string(f.fetch.end));
  j["saved"] = f.fetch.saved;
  j["partial"] = f.partial;
  j["usable"] = f.usable;
  if (!f.problem.empty()) j["problem"] = f.problem;
  return j;
}

}  // namespace

std::string manifest_json(const Capture& c) {
  json j;
  j["tool"] = "ctxtrail";
  j["version"] = c.tool_version;
  j["url"] = c.url;
  j["pprof_root"] = c.root;
  j["seconds"] = c.seconds;
  j["started"] = c.started;
  j["ended"] = c.ended;
  j["go_trace_version"] = c.go_trace_version.empty() ? json(nullptr) : json(c.go_trace_version);
  j["complete"] = !c.failed();
  j["files"] = json::array();
  for (const File& f : c.files) j["files"].push_back(file_json(f));
  j["notes"] = c.notes;
  j["problems"] = c.problems;
  // Bytes from the network (an error page's first line) may be invalid UTF-8: replace, never throw.
  return j.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

Status write_manifest(const Capture& capture) {
  const std::filesystem::path path = capture.dir / "manifest.json";
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (out) out << manifest_json(capture);
  out.close();
  if (!out) return Error{path.string(), std::nullopt, std::nullopt, std::string("cannot write: ") + std::strerror(errno)};
  return Status::Ok();
}

}  // namespace ctxtrail::capture
