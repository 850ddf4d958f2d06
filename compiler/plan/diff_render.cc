// Text and JSON renderings of a PlanDelta.

#include <fmt/format.h>

#include <map>

#include "compiler/plan/diff.h"

namespace proctor::plan {

using nlohmann::json;

namespace {

const char* action_name(UpdateAction::Kind k) {
  switch (k) {
    case UpdateAction::Kind::kStop: return "stop";
    case UpdateAction::Kind::kRemove: return "remove";
    case UpdateAction::Kind::kAdd: return "add";
    case UpdateAction::Kind::kStart: return "start";
  }
  return "";
}

std::string show(const json& v) { return v.is_null() ? "(unset)" : v.dump(); }

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ", ") + s;
  return out;
}

json field_json(const FieldChange& f) { return {{"path", f.path}, {"before", f.before}, {"after", f.after}}; }

}  // namespace

std::string reread_text(const PlanDelta& d) {
  if (d.added.empty() && d.changed.empty() && d.removed.empty()) return "No config updates to processes\n";
  // supervisorctl's _formatChanges: one line per name, sorted; a name in
  // several lists shows the last kind.
  std::map<std::string, const char*> kinds;
  for (const auto& n : d.added) kinds[n] = "available";
  for (const auto& n : d.changed) kinds[n] = "changed";
  for (const auto& n : d.removed) kinds[n] = "disappeared";
  std::string out;
  for (const auto& [name, kind] : kinds) out += fmt::format("{}: {}\n", name, kind);
  return out;
}

std::string delta_text(const PlanDelta& d) {
  std::string out = reread_text(d);
  for (const auto& g : d.details) {
    out += fmt::format("\n{}: changed because\n", g.name);
    for (const auto& f : g.fields)
      out += fmt::format("  {}: {} -> {}\n", f.path, show(f.before), show(f.after));
  }
  if (!d.actions.empty()) {
    out += "\nupdate would:\n";
    int n = 1;
    for (const auto& a : d.actions) {
      out += fmt::format("  {}. {} {}", n++, action_name(a.kind), a.group);
      if (!a.processes.empty()) out += " (" + join(a.processes) + ")";
      out += "\n";
    }
  }
  if (!d.needs_reload.empty()) {
    out += "\nnot applied by update (needs `supervisorctl reload` or a restart):\n";
    for (const auto& f : d.needs_reload)
      out += fmt::format("  {}: {} -> {}\n", f.path, show(f.before), show(f.after));
  }
  if (!d.unmanaged.empty()) {
    out += "\nignored by Supervisor's update (proctor extensions):\n";
    for (const auto& f : d.unmanaged)
      out += fmt::format("  {}: {} -> {}\n", f.path, show(f.before), show(f.after));
  }
  return out;
}

json delta_json(const PlanDelta& d) {
  json details = json::object();
  for (const auto& g : d.details) {
    json fields = json::array();
    for (const auto& f : g.fields) fields.push_back(field_json(f));
    details[g.name] = fields;
  }
  json actions = json::array();
  for (const auto& a : d.actions)
    actions.push_back({{"action", action_name(a.kind)}, {"group", a.group}, {"processes", a.processes}});
  json reload = json::array(), unmanaged = json::array();
  for (const auto& f : d.needs_reload) reload.push_back(field_json(f));
  for (const auto& f : d.unmanaged) unmanaged.push_back(field_json(f));
  return {{"version", 1},   {"added", d.added},     {"changed", d.changed},
          {"removed", d.removed}, {"details", details}, {"actions", actions},
          {"needs_reload", reload}, {"unmanaged", unmanaged}};
}

}  // namespace proctor::plan
