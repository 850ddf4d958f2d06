#pragma once
// The order supervisord starts process groups in, and the order it stops
// them in. Supervisor starts groups by (priority, name) and each group's
// processes by (priority, name); proctor's depends_on extension also holds a
// group back until the groups it depends on have started. Groups stop in
// the reverse order; inside a group supervisord stops processes by
// priority, highest first (a stable sort, then reversed). Pure: no
// Graphviz, no I/O.

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace proctor::graph {

struct OrderProcess {
  std::string name;
  std::int64_t priority = 999;
};

struct OrderGroup {
  std::string name;
  std::string type;  ///< "process", "eventlistener" or "fcgi"
  std::int64_t priority = 999;
  /// In the plan's order, which is the order supervisord starts them in
  /// (its processes dict, filled from the group's process configs).
  std::vector<OrderProcess> processes;
  std::vector<std::string> needs;  ///< names of the groups it depends on
};

struct OrderStep {
  std::string group;
  std::string type;
  std::int64_t priority = 999;
  std::vector<std::string> processes;
  /// Groups this step waits for: its dependencies when starting, its
  /// dependents when stopping.
  std::vector<std::string> after;
  /// Some group in `after` had not started yet: the step was taken anyway,
  /// in priority order, because the groups wait for each other in a cycle.
  bool cycle = false;
};

struct StartOrder {
  std::vector<OrderStep> start;
  std::vector<OrderStep> stop;
  /// Groups on each dependency cycle, in priority order.
  std::vector<std::vector<std::string>> cycles;
};

using DependencyMap = std::map<std::string, std::set<std::string>>;

/// `groups` in Supervisor's order (the plan's). A stable topological sort:
/// among the groups whose dependencies have all started, the earliest in
/// priority order goes next; needs naming unknown groups or the group
/// itself are ignored.
StartOrder compute_start_order(const std::vector<OrderGroup>& groups);

/// Strongly connected components that form cycles (two or more members,
/// or one with an edge to itself), members sorted, components sorted.
std::vector<std::vector<std::string>> find_cycles(const DependencyMap& graph);

/// The text `proctor graph --order` prints.
std::string order_text(const StartOrder& order);

}  // namespace proctor::graph
