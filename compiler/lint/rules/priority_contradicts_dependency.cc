// P3021: Supervisor ignores depends_on and starts groups by priority (lower
// first), then the processes of a group by their own priority. When that
// order starts a program before one it depends on, Supervisor-compatible
// startup contradicts the declared dependency.

#include <fmt/format.h>

#include <map>

#include "compiler/lint/rules/runtime_rules.h"

namespace proctor::lint {

namespace {

struct Place {
  const model::GroupConfig* group;
  const model::ProcessConfig* process;  ///< its first process
};

std::string program_name(const std::string& section) {
  std::string_view s(section);
  s.remove_prefix(s.find(':') + 1);
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

std::map<std::string, std::vector<Place>> places(const model::Config& c) {
  std::map<std::string, std::vector<Place>> out;
  for (const auto& g : c.groups) {
    std::string last;
    for (const auto& p : g.processes)
      if (p.section != last) {
        out[program_name(p.section)].push_back({&g, &p});
        last = p.section;
      }
  }
  return out;
}

// Where the edge was declared: the program's depends_on when it names the
// target, else its [group:x] depends_on.
SourceRange edge_range(const LintInput& in, const Place& from, const std::string& to) {
  const auto* o = option(in, from.process->section, "depends_on");
  if (o && o->value.find(to) != std::string::npos) return option_range(in, from.process->section, "depends_on");
  if (in.store.get(from.group->section, "depends_on")) return option_range(in, from.group->section, "depends_on");
  return o ? option_range(in, from.process->section, "depends_on") : from.process->source;
}

// Why `from` starts first, or nullopt when `to` starts first (or ties).
std::optional<std::string> starts_first(const Place& from, const Place& to) {
  if (from.group != to.group) {
    if (from.group->priority >= to.group->priority) return std::nullopt;
    return fmt::format("its group '{}' has priority {} and starts before group '{}' (priority {})",
                       from.group->name, from.group->priority, to.group->name, to.group->priority);
  }
  if (from.process->priority >= to.process->priority) return std::nullopt;
  return fmt::format("in group '{}' it has priority {} and starts before '{}' (priority {})",
                     from.group->name, from.process->priority, to.process->name, to.process->priority);
}

}  // namespace

void check_priority_contradicts_dependency(const LintInput& in, DiagSink& sink) {
  if (!in.config || in.config->dependencies.empty()) return;
  auto where = places(*in.config);
  for (const auto& edge : in.config->dependencies) {
    auto f = where.find(edge.from), t = where.find(edge.to);
    if (f == where.end() || t == where.end()) continue;
    for (const auto& from : f->second)
      for (const auto& to : t->second)
        if (auto why = starts_first(from, to)) {
          auto& d = sink.report(DiagCode::P3021, edge_range(in, from, edge.to),
                                fmt::format("'{}' depends on '{}', but {}", edge.from, edge.to, *why));
          d.notes.push_back({"Supervisor ignores depends_on and starts by priority, lowest first", {}});
          d.help = fmt::format("give '{}' a lower priority number than '{}'", edge.to, edge.from);
        }
  }
}

}  // namespace proctor::lint
