#include "compiler/render/report.h"

#include <fmt/format.h>

#include <map>
#include <set>

namespace proctor::render {

using nlohmann::json;

namespace {

json location_json(const SourceRange& r, const SourceManager& sm) {
  if (!r.valid() || r.begin.file >= sm.size()) return nullptr;
  return {{"file", sm.name(r.begin.file)},
          {"line", r.begin.line},
          {"column", r.begin.column},
          {"end_column", r.begin.column + std::max<std::uint32_t>(r.length, 1)}};
}

json diagnostic_json(const Diagnostic& d, const SourceManager& sm) {
  const auto& ci = info(d.code);
  json notes = json::array();
  for (const auto& n : d.notes) notes.push_back({{"message", n.message}, {"location", location_json(n.range, sm)}});
  return {{"code", std::string(ci.id)},
          {"name", std::string(ci.name)},
          {"severity", std::string(severity_name(d.severity))},
          {"message", d.message},
          {"location", location_json(d.range, sm)},
          {"notes", notes},
          {"help", d.help.empty() ? json(nullptr) : json(d.help)}};
}

const char* sarif_level(Severity s) {
  switch (s) {
    case Severity::kError: return "error";
    case Severity::kWarning: return "warning";
    default: return "note";
  }
}

json sarif_location(const SourceRange& r, const SourceManager& sm) {
  return {{"physicalLocation",
           {{"artifactLocation", {{"uri", sm.name(r.begin.file)}}},
            {"region",
             {{"startLine", r.begin.line},
              {"startColumn", r.begin.column},
              {"endColumn", r.begin.column + std::max<std::uint32_t>(r.length, 1)}}}}}};
}

// A result must have a location for code scanning to show it; diagnostics
// without one are pinned to the config's first line.
SourceRange or_first_line(const SourceRange& r, const std::string& config, const SourceManager& sm) {
  if (r.valid() && r.begin.file < sm.size()) return r;
  for (FileId f = 0; f < sm.size(); ++f)
    if (sm.name(f) == config) return {{f, 1, 1}, 0};
  return {};
}

std::string escape_data(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '%') out += "%25";
    else if (c == '\r') out += "%0D";
    else if (c == '\n') out += "%0A";
    else out += c;
  }
  return out;
}

std::string escape_property(std::string_view s) {
  std::string out = escape_data(s);
  std::string result;
  for (char c : out) {
    if (c == ':') result += "%3A";
    else if (c == ',') result += "%2C";
    else result += c;
  }
  return result;
}

}  // namespace

json json_report(const std::vector<ReportFile>& files) {
  json configs = json::array();
  std::map<std::string, int> summary{{"error", 0}, {"warning", 0}, {"info", 0}, {"note", 0}};
  for (const auto& f : files) {
    json diags = json::array();
    for (const auto& d : *f.diagnostics) {
      diags.push_back(diagnostic_json(d, *f.sm));
      ++summary[std::string(severity_name(d.severity))];
    }
    configs.push_back({{"config", f.config}, {"diagnostics", diags}});
  }
  return {{"version", 1}, {"tool", "proctor"}, {"configs", configs}, {"summary", summary}};
}

json sarif_report(const std::vector<ReportFile>& files, std::string_view tool_version) {
  std::set<DiagCode> used;
  for (const auto& f : files)
    for (const auto& d : *f.diagnostics) used.insert(d.code);
  json rules = json::array();
  std::map<DiagCode, int> index;
  for (DiagCode c : used) {
    const auto& ci = info(c);
    index[c] = static_cast<int>(rules.size());
    rules.push_back({{"id", std::string(ci.id)},
                     {"name", std::string(ci.name)},
                     {"shortDescription", {{"text", std::string(ci.summary)}}},
                     {"help", {{"text", fmt::format("See docs/rules/{}.md or run: proctor lint --explain {}", ci.id, ci.id)}}},
                     {"defaultConfiguration", {{"level", sarif_level(ci.severity)}}}});
  }
  json results = json::array();
  for (const auto& f : files) {
    for (const auto& d : *f.diagnostics) {
      SourceRange at = or_first_line(d.range, f.config, *f.sm);
      json r = {{"ruleId", std::string(info(d.code).id)},
                {"ruleIndex", index[d.code]},
                {"level", sarif_level(d.severity)},
                {"message", {{"text", d.help.empty() ? d.message : d.message + " (help: " + d.help + ")"}}}};
      if (at.valid()) r["locations"] = json::array({sarif_location(at, *f.sm)});
      json related = json::array();
      for (const auto& n : d.notes)
        if (n.range.valid()) {
          json loc = sarif_location(n.range, *f.sm);
          loc["id"] = related.size();
          loc["message"] = {{"text", n.message}};
          related.push_back(loc);
        }
      if (!related.empty()) r["relatedLocations"] = related;
      results.push_back(r);
    }
  }
  return {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
          {"version", "2.1.0"},
          {"runs", json::array({{{"tool",
                                  {{"driver",
                                    {{"name", "proctor"},
                                     {"version", std::string(tool_version)},
                                     {"rules", rules}}}}},
                                 {"results", results}}})}};
}

std::string github_report(const std::vector<ReportFile>& files) {
  std::string out;
  for (const auto& f : files) {
    for (const auto& d : *f.diagnostics) {
      const char* kind = d.severity == Severity::kError ? "error"
                         : d.severity == Severity::kWarning ? "warning" : "notice";
      std::string props;
      if (d.range.valid() && d.range.begin.file < f.sm->size())
        props = fmt::format(" file={},line={},col={},endColumn={},", escape_property(f.sm->name(d.range.begin.file)),
                            d.range.begin.line, d.range.begin.column,
                            d.range.begin.column + std::max<std::uint32_t>(d.range.length, 1));
      else
        props = fmt::format(" file={},", escape_property(f.config));
      props += "title=" + escape_property(std::string(info(d.code).id) + " " + std::string(info(d.code).name));
      std::string msg = d.message + (d.help.empty() ? "" : "\nhelp: " + d.help);
      out += fmt::format("::{}{}::{}\n", kind, props, escape_data(msg));
    }
  }
  return out;
}

}  // namespace proctor::render
