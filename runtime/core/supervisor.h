#pragma once
// All process groups of a running daemon, as supervisord.py keeps them:
// groups in start order, each with its processes' state machines. Pure:
// time comes in, effects (tagged with the process) go out. The daemon's
// libuv layer carries the effects out and reports what happened.

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "compiler/plan/diff.h"
#include "runtime/core/process_fsm.h"

namespace proctor::runtime {

enum class Mood { kRunning = 1, kRestarting = 0, kShutdown = -1 };

struct ProcessGroup {
  std::string name;
  /// The plan's group object, kept as text: it is read back only on reread,
  /// and a JSON tree per process would dominate the daemon's memory.
  std::string config_text;
  nlohmann::json config() const { return nlohmann::json::parse(config_text); }
  std::string type;  ///< the plan's group type: "process", "eventlistener", ...
  std::vector<std::string> programs;  ///< program name of each process, by position
  std::int64_t priority = 999;
  std::vector<std::string> depends_on;  ///< program names
  std::vector<std::unique_ptr<ProcessFsm>> processes;  ///< (priority, name) order

  ProcessFsm* find(std::string_view process_name);
  /// Processes not in a stopped state (get_unstopped_processes).
  std::vector<ProcessFsm*> unstopped();
};

struct TaggedEffect {
  ProcessFsm* process;
  Effect effect;
};
using TaggedEffects = std::vector<TaggedEffect>;

class Supervisor {
 public:
  /// Adds every group of the plan, first of each name (add_process_group).
  explicit Supervisor(nlohmann::json plan);

  /// The plan's settings outside its groups ([supervisord], servers, ...).
  const nlohmann::json& plan() const { return plan_; }
  const std::vector<std::unique_ptr<ProcessGroup>>& groups() const { return groups_; }
  ProcessGroup* group(std::string_view name);
  /// "group:process" or a bare name meaning "name:name" (split_namespec).
  ProcessFsm* process(std::string_view namespec);

  Mood mood() const { return mood_; }
  void set_mood(Mood m) { mood_ = m; }

  /// One turn of supervisord's main loop: each process's transition(),
  /// depends_on gating, and the ordered shutdown when the mood says so.
  TaggedEffects tick(double now);
  std::optional<double> next_deadline() const;
  /// True once shutting down and every process has stopped.
  bool finished_stopping() const;

  TaggedEffects start(ProcessFsm& p, double now);
  TaggedEffects stop(ProcessFsm& p, double now);

  /// reloadConfig: the reread verdict against the running groups.
  plan::PlanDelta reread(const nlohmann::json& new_plan) const;
  /// Makes `new_plan` the configuration later add_group() calls read.
  void adopt_plan(const nlohmann::json& new_plan) { pending_plan_ = new_plan.dump(); }
  /// The plan add_group() reads: the last reread one, else the initial one.
  nlohmann::json pending_plan() const { return nlohmann::json::parse(pending_plan_); }
  /// addProcessGroup: false if no such group in the adopted plan or already added.
  enum class AddResult { kAdded, kAlreadyAdded, kBadName };
  AddResult add_group(const std::string& name);
  /// removeProcessGroup: fails while any process of it is running.
  enum class RemoveResult { kRemoved, kStillRunning, kBadName };
  RemoveResult remove_group(const std::string& name);

  /// The plan view of what is running (for reread).
  nlohmann::json active_plan() const;

  /// Called for each process of a group added later / about to be removed,
  /// so the daemon can set up and tear down its logs and pipes.
  std::function<void(ProcessFsm&)> on_process_added;
  std::function<void(ProcessFsm&)> on_process_removed;
  /// Called once a group has been added later / just before it is removed
  /// (PROCESS_GROUP_ADDED/REMOVED, event listener pools).
  std::function<void(ProcessGroup&)> on_group_added;
  std::function<void(ProcessGroup&)> on_group_removed;

 private:
  bool dependencies_running(const ProcessGroup& g) const;
  void sort_groups();
  TaggedEffects stop_groups_in_order(double now);

  nlohmann::json plan_;          ///< non-group settings of the plan the daemon started with
  std::string pending_plan_;  ///< the last reread plan (as text, see ProcessGroup); add_group reads it
  std::vector<std::unique_ptr<ProcessGroup>> groups_;
  Mood mood_ = Mood::kRunning;
  bool stopping_ = false;
  std::vector<ProcessGroup*> stop_queue_;
};

}  // namespace proctor::runtime
