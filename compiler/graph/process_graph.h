#pragma once
// What `proctor graph` draws, as plain data built from a plan: the include
// tree, groups -> programs -> processes, event listeners and the event types
// they subscribe to, fcgi sockets, depends_on edges (cycles and unknown
// targets marked) and the start order. Node ids are derived from names
// only, and nodes and edges come out in the plan's order, so the same plan
// always gives the same graph. No Graphviz types here (dot_builder.h draws
// it).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "compiler/graph/start_order.h"

namespace proctor::graph {

enum class NodeKind { kFile, kGroup, kProgram, kProcess, kEventListener, kEventType, kSocket, kMissing };
enum class EdgeKind { kIncludes, kContains, kDependsOn, kSubscribes, kListensOn };
enum class Problem { kNone, kCycle, kDangling };
enum class View { kIncludes, kProcesses, kAll };

/// Ids: "file:0" (main) "file:1".., "group:web", "program:web" (the section
/// name: also "eventlistener:x", "fcgi-program:x"), "proc:web:web_0",
/// "event:PROCESS_STATE", "socket:php" (by group), "missing:name".
struct Node {
  std::string id;
  NodeKind kind = NodeKind::kProgram;
  std::string label;
  std::string group;  ///< id of the enclosing group node, "" outside groups
  std::optional<std::int64_t> priority;  ///< groups and processes
};

struct Edge {
  std::string from;
  std::string to;
  EdgeKind kind = EdgeKind::kContains;
  std::string label;  ///< the [include] pattern for includes edges
  Problem problem = Problem::kNone;
};

/// Consecutive groups of the start order that share a priority.
struct Band {
  std::int64_t priority = 999;
  std::vector<std::string> groups;  ///< group node ids, in start order
};

struct ProcessGraph {
  std::vector<Node> nodes;
  std::vector<Edge> edges;
  std::vector<Band> bands;
  StartOrder order;
};

/// Builds the whole graph. depends_on comes from plan["dependencies"]
/// (program names); a target that is no program becomes a "missing" node.
/// File labels are relative to plan["here"], the main config's directory.
ProcessGraph build_graph(const nlohmann::json& plan);

/// The nodes of one view (files only, everything but files, or all) and
/// the edges between them; bands and order are kept.
ProcessGraph select_view(const ProcessGraph& g, View view);

std::string_view kind_name(NodeKind k);
std::string_view kind_name(EdgeKind k);
std::string_view problem_name(Problem p);  ///< "" for kNone

}  // namespace proctor::graph
