#pragma once
// The Graphviz adapter: draws a ProcessGraph with cgraph (one cluster per
// process group, one rank per priority band down a "start order" spine,
// red cycle edges, dashed edges to unknown depends_on targets, a legend)
// and lays it out and renders it with gvc. Everything Graphviz-specific is
// in dot_builder.cc.

#include <string>
#include <string_view>

#include "compiler/base/expected.h"
#include "compiler/graph/process_graph.h"

namespace proctor::graph {

/// The graph in DOT, written by cgraph's agwrite before any layout: no
/// coordinates, nodes and edges in the model's order, so it is
/// byte-identical for the same plan.
Expected<std::string> to_dot(const ProcessGraph& g);

/// Laid out by the dot engine and rendered; `format` is "svg" or "png".
Expected<std::string> render(const ProcessGraph& g, std::string_view format);

}  // namespace proctor::graph
