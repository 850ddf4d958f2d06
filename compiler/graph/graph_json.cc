#include "compiler/graph/graph_json.h"

namespace proctor::graph {

namespace {

using nlohmann::json;

json null_if_empty(std::string_view s) { return s.empty() ? json(nullptr) : json(s); }

json node_json(const Node& n) {
  return {{"id", n.id},
          {"kind", kind_name(n.kind)},
          {"label", n.label},
          {"group", null_if_empty(n.group)},
          {"priority", n.priority ? json(*n.priority) : json(nullptr)}};
}

json edge_json(const Edge& e) {
  return {{"from", e.from},
          {"to", e.to},
          {"kind", kind_name(e.kind)},
          {"label", e.label},
          {"problem", null_if_empty(problem_name(e.problem))}};
}

json steps_json(const std::vector<OrderStep>& steps) {
  json out = json::array();
  for (const auto& s : steps)
    out.push_back({{"group", s.group},
                   {"type", s.type},
                   {"priority", s.priority},
                   {"processes", s.processes},
                   {"after", s.after},
                   {"cycle", s.cycle}});
  return out;
}

}  // namespace

nlohmann::json to_json(const ProcessGraph& g) {
  json out{{"graph_version", kGraphVersion}};
  out["nodes"] = json::array();
  for (const auto& n : g.nodes) out["nodes"].push_back(node_json(n));
  out["edges"] = json::array();
  for (const auto& e : g.edges) out["edges"].push_back(edge_json(e));
  out["bands"] = json::array();
  for (const auto& b : g.bands) out["bands"].push_back({{"priority", b.priority}, {"groups", b.groups}});
  out["start_order"] = steps_json(g.order.start);
  out["stop_order"] = steps_json(g.order.stop);
  out["cycles"] = g.order.cycles;
  return out;
}

}  // namespace proctor::graph
