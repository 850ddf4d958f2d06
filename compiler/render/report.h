#pragma once
// Machine-readable renderings of diagnostics: proctor's JSON (described by
// schemas/diagnostics.schema.json), SARIF 2.1.0 for code scanning, and
// GitHub Actions workflow commands.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "compiler/base/diagnostic.h"

namespace proctor::render {

struct ReportFile {
  std::string config;  ///< the config path as the user gave it
  const std::vector<Diagnostic>* diagnostics;
  const SourceManager* sm;
};

nlohmann::json json_report(const std::vector<ReportFile>& files);
nlohmann::json sarif_report(const std::vector<ReportFile>& files, std::string_view tool_version);
std::string github_report(const std::vector<ReportFile>& files);

}  // namespace proctor::render
