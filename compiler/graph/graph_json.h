#pragma once
// `proctor graph --format json`: the graph's nodes and edges and the start
// and stop order, for other tools. Described by schemas/graph.schema.json.

#include <nlohmann/json.hpp>

#include "compiler/graph/process_graph.h"

namespace proctor::graph {

inline constexpr int kGraphVersion = 1;

nlohmann::json to_json(const ProcessGraph& g);

}  // namespace proctor::graph
