#include "compiler/plan/diff.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <string_view>
#include <unordered_map>

namespace proctor::plan {

using nlohmann::json;

namespace {

// ProcessConfig.req_param_names + optional_param_names: exactly what
// Supervisor compares. `section` and `user` are annotations (uid counts).
constexpr const char* kCompared[] = {
    "name", "uid", "command", "directory", "umask", "priority", "autostart", "autorestart",
    "startsecs", "startretries", "stdout_logfile", "stdout_capture_maxbytes",
    "stdout_events_enabled", "stdout_syslog", "stdout_logfile_backups", "stdout_logfile_maxbytes",
    "stderr_logfile", "stderr_capture_maxbytes", "stderr_logfile_backups",
    "stderr_logfile_maxbytes", "stderr_events_enabled", "stderr_syslog", "stopsignal_number",
    "stopwaitsecs", "stopasgroup", "killasgroup", "exitcodes", "redirect_stderr", "environment",
    "serverurl"};

bool is_logfile(std::string_view key) { return key == "stdout_logfile" || key == "stderr_logfile"; }

// Config.__eq__ skips a field when either side is Automatic. On a running
// supervisord the old side's AUTO has become a generated file name, so only
// a new AUTO is skipped; an old AUTO against a new path is a change.
bool field_equal(std::string_view key, const json& before, const json& after) {
  if (is_logfile(key) && after == "AUTO") return true;
  if (is_logfile(key) && before == "AUTO") return false;
  return before == after;
}

void diff_process(const json& a, const json& b, const std::string& prefix, std::vector<FieldChange>& out) {
  for (const char* key : kCompared) {
    const json& before = a.contains(key) ? a[key] : json();
    const json& after = b.contains(key) ? b[key] : json();
    if (!field_equal(key, before, after)) {
      std::string k = key;
      if (k == "stopsignal_number") k = "stopsignal";
      out.push_back({prefix + k, a.value(k, json()), b.value(k, json())});
    }
  }
}

std::vector<std::string> process_names(const json& group) {
  std::vector<std::string> names;
  for (const auto& p : group["processes"]) names.push_back(p["name"]);
  return names;
}

void diff_group_settings(const json& a, const json& b, std::vector<FieldChange>& out) {
  for (const char* key : {"type", "priority", "buffer_size", "events", "result_handler", "socket"}) {
    json before = a.value(key, json()), after = b.value(key, json());
    if (std::string_view(key) == "events") {
      // pool_events is built from a set; compare as sets.
      std::sort(before.begin(), before.end());
      std::sort(after.begin(), after.end());
    }
    if (before != after) out.push_back({key, a.value(key, json()), b.value(key, json())});
  }
}

// ProcessGroupConfig.__eq__ compares process_configs as lists: same length,
// pairwise equal. Fields are reported by process name where names match.
std::vector<FieldChange> diff_group(const json& a, const json& b) {
  std::vector<FieldChange> out;
  diff_group_settings(a, b, out);
  const json& pa = a["processes"];
  const json& pb = b["processes"];
  if (pa.size() != pb.size() || process_names(a) != process_names(b))
    out.push_back({"processes", process_names(a), process_names(b)});
  for (std::size_t i = 0; i < std::min(pa.size(), pb.size()); ++i)
    diff_process(pa[i], pb[i], "processes/" + pb[i]["name"].get<std::string>() + "/", out);
  return out;
}

// One side of the diff. Lookups by name find the first group of that name:
// diff_to_active's running side holds one group per name (the first in
// start order), and addProcessGroup takes the first of the new config's.
// Each group's object is built or parsed at most once, and only when asked
// for.
class LazySide {
 public:
  explicit LazySide(const std::vector<LazyGroup>& groups) : groups_(groups), configs_(groups.size()) {
    first_.reserve(groups.size());
    for (std::size_t i = 0; i < groups.size(); ++i) first_.emplace(groups[i].name, i);
  }
  const LazyGroup* find(std::string_view name) const {
    auto it = first_.find(name);
    return it == first_.end() ? nullptr : &groups_[it->second];
  }
  const json& config(std::size_t i) {
    if (!configs_[i]) configs_[i] = groups_[i].config();
    return *configs_[i];
  }
  const json& config(std::string_view name) { return config(first_.at(name)); }

 private:
  const std::vector<LazyGroup>& groups_;
  std::vector<std::optional<json>> configs_;
  std::unordered_map<std::string_view, std::size_t> first_;
};

// rpcinterface.stopProcessGroup: `processes.sort()` on Subprocess, whose
// __lt__ compares config.priority only, so ascending priority with ties in
// the group's own process order (list.sort is stable); it signals each
// running one in that order. (Reverse order is supervisord's shutdown, not
// update's.)
std::vector<std::string> stop_order(const json& group) {
  std::vector<std::pair<std::int64_t, std::string>> procs;
  for (const auto& p : group["processes"]) procs.push_back({p["priority"], p["name"]});
  std::stable_sort(procs.begin(), procs.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> names;
  for (auto& [_, n] : procs) names.push_back(n);
  return names;
}

// A newly added group's processes start from ProcessGroup.transition, which
// walks group.processes (a dict filled in process_configs order) and spawns
// every autostart one: the plan's process order, not (priority, name).
std::vector<std::string> autostart_order(const json& group) {
  std::vector<std::string> names;
  for (const auto& p : group["processes"])
    if (p["autostart"].get<bool>()) names.push_back(p["name"]);
  return names;
}

// `active` maps each group update acts on while it runs to its group object,
// or to null for a running group not parsed yet. Added names are never
// running, so only a second add of one name finds itself there.
void plan_actions(PlanDelta& d, LazySide& running, LazySide& incoming) {
  std::map<std::string, const json*> active;
  for (const auto& name : d.removed) active.emplace(name, nullptr);
  for (const auto& name : d.changed) active.emplace(name, nullptr);
  auto group_of = [&](const std::string& name) -> const json& {
    const json* g = active.at(name);
    return g ? *g : running.config(name);
  };
  using K = UpdateAction::Kind;
  for (const auto& name : d.removed) {
    d.actions.push_back({K::kStop, name, stop_order(group_of(name))});
    d.actions.push_back({K::kRemove, name, {}});
    active.erase(name);
  }
  // A second addProcessGroup of one name (duplicate group names in the new
  // config, listed twice in `added`) is refused with ALREADY_ADDED; do_update
  // does not catch the Fault, so update stops there and adds nothing more.
  bool aborted = false;
  auto add_and_start = [&](const std::string& name) {
    if (aborted) return;
    if (active.count(name)) {
      aborted = true;
      return;
    }
    d.actions.push_back({K::kAdd, name, {}});
    const json& added = incoming.config(name);
    active.emplace(name, &added);
    auto starts = autostart_order(added);
    if (!starts.empty()) d.actions.push_back({K::kStart, name, starts});
  };
  // do_update walks `changed` as reread returned it: a name listed twice
  // (duplicate groups that both differ) is stopped, removed and added twice.
  for (const auto& name : d.changed) {
    d.actions.push_back({K::kStop, name, stop_order(group_of(name))});
    d.actions.push_back({K::kRemove, name, {}});
    active.erase(name);
    add_and_start(name);
  }
  for (const auto& name : d.added) add_and_start(name);
}

void diff_outside_groups(PlanDelta& d, const json& a, const json& b) {
  for (const char* key : {"supervisord", "http_servers", "rpcinterfaces", "serverurl"}) {
    const json& before = a[key];
    const json& after = b[key];
    if (before == after) continue;
    if (before.is_object() && after.is_object()) {
      for (const auto& [k, v] : after.items()) {
        // [supervisord] environment is merged into every process's
        // environment (ServerOptions.read_config in options.py) and
        // used nowhere else, so update applies it through the changed
        // groups; it needs no reload.
        if (std::string_view(key) == "supervisord" && k == "environment") continue;
        if (!before.contains(k) || before[k] != v)
          d.needs_reload.push_back({std::string(key) + "/" + k, before.value(k, json()), v});
      }
    } else {
      d.needs_reload.push_back({key, before, after});
    }
  }
  if (a.value("dependencies", json::array()) != b.value("dependencies", json::array()))
    d.unmanaged.push_back({"dependencies", a.value("dependencies", json::array()),
                           b.value("dependencies", json::array())});
}

}  // namespace

bool same_process_settings(const json& a, const json& b) {
  std::vector<FieldChange> changes;
  diff_process(a, b, "", changes);
  return changes.empty();
}

bool same_group_settings(const json& a, const json& b) {
  std::vector<FieldChange> changes;
  diff_group_settings(a, b, changes);
  return changes.empty();
}

PlanDelta diff_plans(const json& old_plan, const json& new_plan) {
  return diff_running(old_plan, lazy_view(old_plan).groups, lazy_view(new_plan));
}

PlanDelta diff_running(const json& running_settings, const std::vector<LazyGroup>& running_groups,
                       const LazyPlan& incoming) {
  PlanDelta d;
  LazySide running(running_groups), next(incoming.groups);
  std::unordered_map<std::string_view, int> occurrences;
  for (std::size_t i = 0; i < incoming.groups.size(); ++i) {
    const std::string& name = incoming.groups[i].name;
    int nth = ++occurrences[name];
    const LazyGroup* current = running.find(name);
    if (!current) {
      d.added.push_back(name);
      continue;
    }
    if (!current->hash.empty() && current->hash == incoming.groups[i].hash) continue;
    auto fields = diff_group(running.config(name), next.config(i));
    if (fields.empty()) continue;
    d.changed.push_back(name);
    // Every group of a duplicated name is compared with the one running
    // group of that name; say which one differs, under one entry per name.
    if (nth > 1)
      for (auto& f : fields) f.path = "duplicate[" + std::to_string(nth) + "]/" + f.path;
    auto detail = std::find_if(d.details.begin(), d.details.end(),
                               [&](const GroupDelta& x) { return x.name == name; });
    if (detail == d.details.end())
      d.details.push_back({name, std::move(fields)});
    else
      detail->fields.insert(detail->fields.end(), fields.begin(), fields.end());
  }
  // Supervisor iterates its process_groups dict in insertion (start) order.
  std::set<std::string> seen;
  for (const auto& g : running_groups)
    if (!next.find(g.name) && seen.insert(g.name).second) d.removed.push_back(g.name);
  plan_actions(d, running, next);
  diff_outside_groups(d, running_settings, incoming.settings);
  return d;
}

}  // namespace proctor::plan
