#include "compiler/graph/process_graph.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>
#include <utility>

#include "compiler/model/value_types.h"

namespace proctor::graph {

namespace {

using nlohmann::json;

// depends_on names programs: the section name after "program:" etc.
std::string program_name(const std::string& section) {
  return std::string(model::py_strip(std::string_view(section).substr(section.find(':') + 1)));
}

// Relative to the main config's directory, so labels (and goldens) do not
// depend on where the tree lives; the main file is in that directory.
std::string file_label(const json& file, const std::string& here) {
  std::filesystem::path p(file["path"].get<std::string>());
  if (file["role"] == "main") return p.filename().string();
  if (p.is_relative()) return p.lexically_normal().string();
  std::string rel = p.lexically_relative(here).string();
  return rel.empty() ? p.string() : rel;
}

class Builder {
 public:
  explicit Builder(const json& plan) : plan_(plan) {}

  ProcessGraph build() {
    add_files();
    for (const auto& g : plan_["groups"]) add_group(g);
    add_event_types();
    add_dependencies();
    add_order();
    return std::move(out_);
  }

 private:
  void node(std::string id, NodeKind kind, std::string label, std::string group = "",
            std::optional<std::int64_t> priority = std::nullopt) {
    out_.nodes.push_back({std::move(id), kind, std::move(label), std::move(group), priority});
  }
  void edge(std::string from, std::string to, EdgeKind kind, std::string label = "",
            Problem problem = Problem::kNone) {
    out_.edges.push_back({std::move(from), std::move(to), kind, std::move(label), problem});
  }

  void add_files() {
    const auto& files = plan_["files"];
    std::string here = plan_["here"];
    for (std::size_t i = 0; i < files.size(); ++i) {
      node("file:" + std::to_string(i), NodeKind::kFile, file_label(files[i], here));
      if (i > 0) edge("file:0", "file:" + std::to_string(i), EdgeKind::kIncludes,
                      files[i]["pattern"].is_string() ? files[i]["pattern"].get<std::string>() : "");
    }
  }

  void add_group(const json& g) {
    std::string name = g["name"], type = g["type"], gid = "group:" + name;
    node(gid, NodeKind::kGroup, name, "", g["priority"].get<std::int64_t>());
    std::vector<std::string> programs;
    for (const auto& p : g["processes"]) {
      std::string section = p["section"];
      if (std::find(programs.begin(), programs.end(), section) == programs.end()) {
        add_program(section, type, gid, name);
        programs.push_back(section);
      }
      std::string pname = p["name"];
      std::string pid = "proc:" + name + ":" + pname;
      node(pid, NodeKind::kProcess, pname, gid, p["priority"].get<std::int64_t>());
      edge(section, pid, EdgeKind::kContains);
    }
    if (type == "fcgi") add_socket(g, gid, programs);
    if (type == "eventlistener")
      for (const auto& program : programs)
        for (const auto& e : g["events"]) subscriptions_.emplace_back(program, e.get<std::string>());
  }

  void add_program(const std::string& section, const std::string& type, const std::string& gid,
                   const std::string& group) {
    NodeKind kind = type == "eventlistener" ? NodeKind::kEventListener : NodeKind::kProgram;
    node(section, kind, "[" + section + "]", gid);
    edge(gid, section, EdgeKind::kContains);
    program_ids_.emplace(program_name(section), section);
    group_of_program_.emplace(program_name(section), group);
  }

  void add_socket(const json& g, const std::string& gid, const std::vector<std::string>& programs) {
    std::string sid = "socket:" + g["name"].get<std::string>();
    node(sid, NodeKind::kSocket, g["socket"], gid);
    for (const auto& program : programs) edge(program, sid, EdgeKind::kListensOn);
  }

  // One node per event type however many listeners subscribe, sorted.
  void add_event_types() {
    std::set<std::string> events;
    for (const auto& [_, e] : subscriptions_) events.insert(e);
    for (const auto& e : events) node("event:" + e, NodeKind::kEventType, e);
    for (const auto& [program, e] : subscriptions_) edge(program, "event:" + e, EdgeKind::kSubscribes);
  }

  // Edges inside a strongly connected component are the ones on a cycle.
  std::set<std::pair<std::string, std::string>> cyclic_edges() const {
    DependencyMap graph;
    for (const auto& d : plan_["dependencies"]) {
      std::string from = d["from"], to = d["to"];
      if (program_ids_.count(to)) graph[from].insert(to);
    }
    std::set<std::pair<std::string, std::string>> out;
    for (const auto& comp : find_cycles(graph)) {
      std::set<std::string> members(comp.begin(), comp.end());
      for (const auto& from : comp)
        for (const auto& to : graph[from])
          if (members.count(to)) out.emplace(from, to);
    }
    return out;
  }

  void add_dependencies() {
    auto cyclic = cyclic_edges();
    std::set<std::string> missing;
    for (const auto& d : plan_["dependencies"]) {
      std::string from = d["from"], to = d["to"];
      auto f = program_ids_.find(from);
      if (f == program_ids_.end()) continue;
      auto t = program_ids_.find(to);
      if (t != program_ids_.end()) {
        Problem p = cyclic.count({from, to}) ? Problem::kCycle : Problem::kNone;
        edge(f->second, t->second, EdgeKind::kDependsOn, "", p);
        continue;
      }
      if (missing.insert(to).second) node("missing:" + to, NodeKind::kMissing, to + " (unknown)");
      edge(f->second, "missing:" + to, EdgeKind::kDependsOn, "", Problem::kDangling);
    }
  }

  void add_order() {
    std::map<std::string, std::set<std::string>> needs;
    for (const auto& d : plan_["dependencies"]) {
      auto f = group_of_program_.find(d["from"].get<std::string>());
      auto t = group_of_program_.find(d["to"].get<std::string>());
      if (f != group_of_program_.end() && t != group_of_program_.end()) needs[f->second].insert(t->second);
    }
    std::vector<OrderGroup> groups;
    for (const auto& g : plan_["groups"]) {
      OrderGroup og{g["name"], g["type"], g["priority"], {}, {}};
      for (const auto& p : g["processes"]) og.processes.push_back({p["name"], p["priority"]});
      const auto& n = needs[og.name];
      og.needs.assign(n.begin(), n.end());
      groups.push_back(std::move(og));
    }
    out_.order = compute_start_order(groups);
    for (const auto& s : out_.order.start) {
      if (out_.bands.empty() || out_.bands.back().priority != s.priority) out_.bands.push_back({s.priority, {}});
      out_.bands.back().groups.push_back("group:" + s.group);
    }
  }

  const json& plan_;
  ProcessGraph out_;
  std::map<std::string, std::string> program_ids_;       ///< program name -> node id
  std::map<std::string, std::string> group_of_program_;  ///< program name -> group name
  std::vector<std::pair<std::string, std::string>> subscriptions_;  ///< listener id, event
};

bool in_view(NodeKind kind, View view) {
  if (view == View::kAll) return true;
  return (kind == NodeKind::kFile) == (view == View::kIncludes);
}

}  // namespace

ProcessGraph build_graph(const nlohmann::json& plan) { return Builder(plan).build(); }

ProcessGraph select_view(const ProcessGraph& g, View view) {
  ProcessGraph out{{}, {}, g.bands, g.order};
  std::set<std::string> kept;
  for (const auto& n : g.nodes)
    if (in_view(n.kind, view)) {
      out.nodes.push_back(n);
      kept.insert(n.id);
    }
  for (const auto& e : g.edges)
    if (kept.count(e.from) && kept.count(e.to)) out.edges.push_back(e);
  return out;
}

std::string_view kind_name(NodeKind k) {
  switch (k) {
    case NodeKind::kFile: return "file";
    case NodeKind::kGroup: return "group";
    case NodeKind::kProgram: return "program";
    case NodeKind::kProcess: return "process";
    case NodeKind::kEventListener: return "eventlistener";
    case NodeKind::kEventType: return "event_type";
    case NodeKind::kSocket: return "socket";
    case NodeKind::kMissing: return "missing";
  }
  return "";
}

std::string_view kind_name(EdgeKind k) {
  switch (k) {
    case EdgeKind::kIncludes: return "includes";
    case EdgeKind::kContains: return "contains";
    case EdgeKind::kDependsOn: return "depends_on";
    case EdgeKind::kSubscribes: return "subscribes";
    case EdgeKind::kListensOn: return "listens_on";
  }
  return "";
}

std::string_view problem_name(Problem p) {
  switch (p) {
    case Problem::kNone: return "";
    case Problem::kCycle: return "cycle";
    case Problem::kDangling: return "dangling";
  }
  return "";
}

}  // namespace proctor::graph
