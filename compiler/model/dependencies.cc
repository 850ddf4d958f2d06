#include "compiler/model/dependencies.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "compiler/base/edit_distance.h"

namespace proctor::model {

namespace {

using Graph = std::map<std::string, std::set<std::string>>;

std::vector<std::string> split_names(std::string_view v) {
  std::vector<std::string> out;
  std::string cur;
  auto flush = [&] {
    if (!cur.empty()) out.push_back(cur);
    cur.clear();
  };
  for (char c : v) {
    if (c == ',' || c == ' ' || c == '\t' || c == '\n' || c == '\r') flush();
    else cur += c;
  }
  flush();
  return out;
}

std::string program_of(const std::string& section) {
  return std::string(py_strip(std::string_view(section).substr(section.find(':') + 1)));
}

// Programs that belong to a [group:x] inherit the group's depends_on.
std::map<std::string, std::string> group_of_member(const Config& c) {
  std::map<std::string, std::string> out;
  for (const auto& g : c.groups)
    if (g.section.starts_with("group:"))
      for (const auto& p : g.processes) out[p.section] = g.section;
  return out;
}

void add_edges(CompileContext& ctx, const std::string& section, const std::string& from,
               const std::set<std::string>& programs, Graph& graph) {
  const auto* o = ctx.store.get(section, "depends_on");
  if (!o) return;
  std::vector<std::string_view> known(programs.begin(), programs.end());
  for (const auto& to : split_names(o->value)) {
    if (!programs.count(to)) {
      auto& d = ctx.sink.report(DiagCode::P4001, o->value_range,
                                fmt::format("[{}] depends_on names '{}', which is not a program "
                                            "in this config",
                                            section, to));
      if (auto near = closest_match(to, known)) d.help = fmt::format("did you mean '{}'?", *near);
      continue;
    }
    graph[from].insert(to);
  }
}

// Depth-first search; the first back edge found closes a cycle.
bool find_cycle(const Graph& g, const std::string& node, std::map<std::string, int>& state,
                std::vector<std::string>& stack, std::vector<std::string>& cycle) {
  state[node] = 1;
  stack.push_back(node);
  if (auto it = g.find(node); it != g.end()) {
    for (const auto& next : it->second) {
      if (state[next] == 1) {
        auto start = std::find(stack.begin(), stack.end(), next);
        cycle.assign(start, stack.end());
        cycle.push_back(next);
        return true;
      }
      if (state[next] == 0 && find_cycle(g, next, state, stack, cycle)) return true;
    }
  }
  stack.pop_back();
  state[node] = 2;
  return false;
}

// Most configs have no depends_on at all; they need none of the name
// tables resolve_dependencies builds for one.
bool any_depends_on(const CompileContext& ctx, const std::vector<std::string>& sections) {
  for (const auto& s : sections)
    if (ctx.store.get(s, "depends_on")) return true;
  return false;
}

}  // namespace

void resolve_dependencies(CompileContext& ctx, Config& config) {
  if (!any_depends_on(ctx, ctx.store.section_names())) return;
  std::set<std::string> programs;
  std::map<std::string, std::string> section_of;
  for (const auto& s : ctx.store.section_names()) {
    if (s.starts_with("program:") || s.starts_with("fcgi-program:") || s.starts_with("eventlistener:")) {
      programs.insert(program_of(s));
      section_of[program_of(s)] = s;
    }
  }
  Graph graph;
  auto member_group = group_of_member(config);
  for (const auto& [name, section] : section_of) {
    add_edges(ctx, section, name, programs, graph);
    if (auto g = member_group.find(section); g != member_group.end())
      add_edges(ctx, g->second, name, programs, graph);
  }
  std::map<std::string, int> state;
  for (const auto& [node, _] : graph) {
    std::vector<std::string> stack, cycle;
    if (state[node] == 0 && find_cycle(graph, node, state, stack, cycle)) {
      std::string path;
      for (const auto& n : cycle) path += (path.empty() ? "" : " -> ") + n;
      const auto* o = ctx.store.get(section_of[cycle.front()], "depends_on");
      ctx.sink.report(DiagCode::P4002, o ? o->value_range : SourceRange{},
                      fmt::format("depends_on forms a cycle: {}", path))
          .help = "remove one of these depends_on entries";
      break;
    }
  }
  for (const auto& [from, tos] : graph)
    for (const auto& to : tos) config.dependencies.push_back({from, to});
  for (auto& g : config.groups) {
    std::set<std::string> deps;
    for (const auto& p : g.processes)
      if (auto it = graph.find(program_of(p.section)); it != graph.end())
        deps.insert(it->second.begin(), it->second.end());
    g.depends_on.assign(deps.begin(), deps.end());
  }
}

}  // namespace proctor::model
