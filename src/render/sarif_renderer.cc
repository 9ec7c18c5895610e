/// SARIF 2.1.0 (OASIS Static Analysis Results Interchange Format) for GitHub code scanning.
/// Sections of the SARIF 2.1.0 specification implemented here:
///   §3.13 sarifLog (version, $schema, runs)          §3.14 run (tool, results, originalUriBaseIds)
///   §3.18 tool, §3.19 toolComponent (driver, rules)   §3.49 reportingDescriptor (one per rule ID,
///   with shortDescription, fullDescription, help, defaultConfiguration §3.50, properties §3.8)
///   §3.27 result (ruleId, ruleIndex, level, message §3.11, locations, relatedLocations,
///   partialFingerprints)   §3.28 location   §3.29 physicalLocation   §3.4 artifactLocation
///   (uri, uriBaseId §3.4.4)   §3.30 region (startLine, startColumn).
/// Anything SARIF has no property for goes into property bags (§3.8): the schema forbids other
/// additional properties.
#include <nlohmann/json.hpp>

#include <fmt/format.h>

#include "render/renderers.h"

namespace ctxtrail::render {

using nlohmann::ordered_json;

namespace {

std::string level(diagnose::Severity s) {
  switch (s) {
    case diagnose::Severity::Error: return "error";
    case diagnose::Severity::Warning: return "warning";
    case diagnose::Severity::Info: return "note";
  }
  return "none";
}

// FNV-1a, printed as hex: stable across runs for the same rule, file, line and function.
std::string fingerprint(const diagnose::Finding& f, const diagnose::Location* primary) {
  uint64_t h = 1469598103934665603ULL;
  auto add = [&](std::string_view s) {
    for (unsigned char c : s) {
      h ^= c;
      h *= 1099511628211ULL;
    }
    h ^= 0xff;
    h *= 1099511628211ULL;
  };
  add(f.rule);
  if (primary) {
    add(primary->role);
    add(primary->where.function);
    add(std::to_string(primary->where.line));
  }
  return fmt::format("{:016x}:1", h);
}

class SarifRenderer : public Renderer {
 public:
  explicit SarifRenderer(RenderOptions o) : o_(std::move(o)) {}

  ordered_json physical(const model::SourceLoc& l) {
    bool rel = false;
    std::string uri = file_uri(l.file, o_.source_root, &rel);
    ordered_json art{{"uri", uri}};
    if (rel) art["uriBaseId"] = "%SRCROOT%";
    ordered_json region{{"startLine", std::max<uint64_t>(1, l.line)}, {"startColumn", 1}};
    return ordered_json{{"artifactLocation", art}, {"region", region}};
  }

  void render(const diagnose::Report& r, std::ostream& out) override {
    ordered_json rules = ordered_json::array();
    for (const diagnose::RuleInfo& ri : diagnose::rules()) {
      rules.push_back(ordered_json{
          {"id", ri.id},
          {"name", rule_name(ri.id)},
          {"shortDescription", {{"text", ri.summary}}},
          {"fullDescription", {{"text", ri.help}}},
          {"help", {{"text", ri.help}, {"markdown", fmt::format("**{}**\n\n{}", ri.summary, ri.help)}}},
          {"defaultConfiguration", {{"level", level(ri.severity)}}},
          {"properties",
           {{"tags", {"concurrency", "goroutine", "context"}},
            {"precision", "high"},
            {"problem.severity", ri.severity == diagnose::Severity::Error ? "error" : "warning"}}}});
    }
    ordered_json results = ordered_json::array();
    int unlocated = 0;
    for (const diagnose::Finding& f : r.findings) {
      int rule_index = 0;
      for (const diagnose::RuleInfo& ri : diagnose::rules()) {
        if (ri.id == f.rule) break;
        ++rule_index;
      }
      const diagnose::Location* primary = nullptr;
      for (const diagnose::Location& l : f.locations)
        if (!l.where.file.empty()) {
          primary = &l;
          break;
        }
      if (primary == nullptr) {
        ++unlocated;  // GitHub rejects results without a location
        continue;
      }
      ordered_json res;
      res["ruleId"] = f.rule;
      res["ruleIndex"] = rule_index;
      res["level"] = level(f.severity);
      res["message"] = {{"text", f.message}};
      res["locations"] = ordered_json::array({ordered_json{
          {"physicalLocation", physical(primary->where)}, {"message", {{"text", primary->role}}}}});
      ordered_json related = ordered_json::array();
      int id = 1;
      for (const diagnose::Location& l : f.locations) {
        if (&l == primary || l.where.file.empty()) continue;
        related.push_back(ordered_json{{"id", id++},
                                       {"physicalLocation", physical(l.where)},
                                       {"message", {{"text", fmt::format("{}: {}", l.role, l.where.function)}}}});
      }
      if (!related.empty()) res["relatedLocations"] = related;
      res["partialFingerprints"] = {{"primaryLocationLineHash", fingerprint(f, primary)}};
      res["properties"] = {{"goroutines", f.goroutines}, {"count", f.count}, {"time_ns", f.time_ns},
                           {"waves", f.waves}};
      if (f.proven) res["properties"]["proven_leak"] = true;
      results.push_back(std::move(res));
    }
    ordered_json run;
    run["tool"] = {{"driver",
                    {{"name", "ctxtrail"},
                     {"version", o_.tool_version},
                     {"semanticVersion", o_.tool_version},
                     {"rules", rules}}}};
    if (!o_.source_root.empty()) {
      std::string root = o_.source_root;
      if (root.back() != '/') root += '/';
      bool rel = false;
      run["originalUriBaseIds"] = {{"%SRCROOT%", {{"uri", file_uri(root, "", &rel)}}}};
    }
    run["results"] = results;
    run["columnKind"] = "unicodeCodePoints";
    if (unlocated > 0) run["properties"] = {{"findings_without_location", unlocated}};
    ordered_json log;
    log["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json";
    log["version"] = "2.1.0";
    log["runs"] = ordered_json::array({run});
    // Trace strings need not be UTF-8: invalid bytes become U+FFFD rather than an exception.
    out << log.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  }

 private:
  static std::string rule_name(std::string_view id) {
    // PascalCase of the ID, as SARIF viewers show rule names: cancel-ignored -> CancelIgnored.
    std::string out;
    bool up = true;
    for (char c : id) {
      if (c == '-') {
        up = true;
        continue;
      }
      out += up ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c;
      up = false;
    }
    return out;
  }

  RenderOptions o_;
};

}  // namespace

std::unique_ptr<Renderer> make_sarif_renderer(RenderOptions options) {
  return std::make_unique<SarifRenderer>(std::move(options));
}

}  // namespace ctxtrail::render
