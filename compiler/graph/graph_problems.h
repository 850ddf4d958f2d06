#pragma once
// The plan `proctor graph` draws. A config the compiler refuses only because
// of depends_on (unknown targets P4001, cycles P4002) is exactly what the
// graph should show, but the compiler gives no plan for it. Then the config
// is compiled again with its depends_on keys hidden, and the edges are put
// back into that plan as written, unknown targets and cycles included.

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "compiler/base/diagnostic.h"
#include "compiler/model/host.h"

namespace proctor::graph {

struct GraphInput {
  std::optional<nlohmann::json> plan;  ///< empty when there is nothing to draw
  bool io_error = false;
  /// The plan was rebuilt around depends_on errors (they are in the sink).
  bool dependency_problems = false;
};

/// Like plan::load_plan (a config or a plan file; diagnostics into `sink`),
/// plus the rebuild above.
GraphInput load_graph_input(const std::string& path, const model::Host& host, SourceManager& sm,
                            DiagSink& sink);

}  // namespace proctor::graph
