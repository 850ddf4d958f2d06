#pragma once
// What `supervisorctl reread` reports and `update` does, computed from two
// plans. The group verdict is Supervisor's own (supervisord.diff_to_active
// with its Config.__eq__ rules); below it proctor lists the fields that made
// the difference and the ordered actions update performs. The runtime's hot
// reload uses the same function, so the preview and the action agree.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "compiler/plan/lazy_plan.h"

namespace proctor::plan {

/// One field that differs, at a path such as "processes/web_0/command",
/// "priority" or "processes" (a process added or removed). When the new
/// config has several groups of one name, the fields of the second and
/// later ones (each compared with the running group) start "duplicate[N]/".
struct FieldChange {
  std::string path;
  nlohmann::json before;  ///< null when absent
  nlohmann::json after;
};

struct GroupDelta {
  std::string name;
  std::vector<FieldChange> fields;  ///< empty for added/removed groups
};

struct UpdateAction {
  enum class Kind { kStop, kRemove, kAdd, kStart };
  Kind kind;
  std::string group;
  std::vector<std::string> processes;  ///< in the order Supervisor acts on them
};

struct PlanDelta {
  std::vector<std::string> added, changed, removed;  ///< reread's verdict, in its order
  std::vector<GroupDelta> details;                   ///< one per changed group name
  /// What `update` does, in order: removed groups (stop, remove), changed
  /// ones (stop, remove, add, start), added ones (add, start). A stop lists
  /// the group's processes in stopProcessGroup's order (ascending priority,
  /// ties in group order; only running ones are signalled), a start the
  /// autostart processes in group order.
  std::vector<UpdateAction> actions;
  /// Changes outside process groups that need `supervisorctl reload` (or a
  /// restart) to apply, e.g. "[supervisord] logfile".
  std::vector<FieldChange> needs_reload;
  /// Changes proctor tracks that Supervisor ignores (depends_on).
  std::vector<FieldChange> unmanaged;

  bool empty() const {
    return added.empty() && changed.empty() && removed.empty() && needs_reload.empty() &&
           unmanaged.empty();
  }
};

/// `old_plan` is the running configuration, `new_plan` the one on disk.
PlanDelta diff_plans(const nlohmann::json& old_plan, const nlohmann::json& new_plan);

/// Whether Supervisor sees two plan process objects as equal (the fields
/// ProcessConfig.__eq__ compares, with its AUTO log file rule).
bool same_process_settings(const nlohmann::json& a, const nlohmann::json& b);
/// Whether two plan group objects agree on everything but their processes.
bool same_group_settings(const nlohmann::json& a, const nlohmann::json& b);

/// diff_plans with both sides given as a daemon holds them: the running
/// side as its settings (the plan without its groups) and its groups in
/// start order, the new side as a LazyPlan; the same result. A reread of a
/// large config changes few groups, so a group's `config` is called only
/// when its hash differs from the other side's (equal hashes mean
/// Supervisor sees no change, see plan_json.h), when update stops it (a
/// running group) or when update adds it (a new one).
PlanDelta diff_running(const nlohmann::json& running_settings, const std::vector<LazyGroup>& running,
                       const LazyPlan& incoming);

/// supervisorctl's reread output: "web: changed", "worker: available", ...
std::string reread_text(const PlanDelta& delta);
/// The full human report: reread verdict, field-level reasons, actions.
std::string delta_text(const PlanDelta& delta);
/// Described by schemas/diff.schema.json.
nlohmann::json delta_json(const PlanDelta& delta);

}  // namespace proctor::plan
