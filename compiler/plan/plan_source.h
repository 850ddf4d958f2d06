#pragma once
// graph and diff accept either a supervisord config or a plan file. A plan
// is recognised by its content (a JSON object), not its name.

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "compiler/base/diagnostic.h"
#include "compiler/model/host.h"

namespace proctor::plan {

struct LoadedPlan {
  std::optional<nlohmann::json> plan;  ///< empty on failure
  bool io_error = false;
  bool from_config = false;  ///< compiled here rather than read from a plan file
};

/// Compiles `path` if it is a config, or reads and schema-checks it if it is
/// a plan. Problems (compile diagnostics, or one P1001 for an unreadable or
/// invalid plan) go to `sink`.
LoadedPlan load_plan(const std::string& path, const model::Host& host, SourceManager& sm,
                     DiagSink& sink);

}  // namespace proctor::plan
