#pragma once
// All process groups of a running daemon, as supervisord.py keeps them:
// groups in start order, each with its processes' state machines. Pure:
// time comes in, effects (tagged with the process) go out. The daemon's
// libuv layer carries the effects out and reports what happened.

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "compiler/plan/diff.h"
#include "runtime/core/process_fsm.h"

namespace proctor::runtime {

enum class Mood { kRunning = 1, kRestarting = 0, kShutdown = -1 };

/// The plan's group object kept as text, shared between the running group
/// and the adopted plan while they agree: it is read back only on reread and
/// add, and a JSON tree per process would dominate the daemon's memory.
using GroupText = std::shared_ptr<const std::string>;

struct ProcessGroup {
  std::string name;
  std::string hash;  ///< the plan's content hash of the group ("" if none)
  GroupText config_text;
  nlohmann::json config() const { return nlohmann::json::parse(*config_text); }
  std::map<const ProcessFsm*, std::string> programs;  ///< each process's program name
  std::string type;  ///< the plan's group type: "process", "eventlistener", ...
  std::int64_t priority = 999;
  std::vector<std::string> depends_on;  ///< program names
  std::vector<std::unique_ptr<ProcessFsm>> processes;  ///< (priority, name) order

  ProcessFsm* find(std::string_view process_name);
  /// Appends a process from its plan object; sort_processes() restores order.
  ProcessFsm& add_process(const nlohmann::json& process);
  void sort_processes();
  /// Processes not in a stopped state (get_unstopped_processes).
  std::vector<ProcessFsm*> unstopped();
};

/// One group of the adopted plan, in plan order (duplicate names kept).
struct PendingGroup {
  std::string name;
  std::string hash;
  GroupText text;
};

/// "web" for a process of [program:web] (the plan's `section`).
std::string program_name(const nlohmann::json& process);

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

  /// reloadConfig: the reread verdict against the running groups. Only
  /// groups whose plan hash differs from the running one's are compared.
  /// A group's plan object is asked of `new_plan` only when its hash differs.
  plan::PlanDelta reread(const plan::LazyPlan& new_plan) const;
  /// Makes `new_plan`'s groups the ones later add_group() calls read. Only
  /// groups held neither running nor pending (by name and hash) are built.
  void adopt_plan(const plan::LazyPlan& new_plan);
  /// The groups add_group() reads: the last reread plan's, else the initial one's.
  const std::vector<PendingGroup>& pending_groups() const { return pending_; }
  /// addProcessGroup: false if no such group in the adopted plan or already added.
  /// Groups depending on the added one's programs (depends_on, also through
  /// each other) are restarted after it: see restart_dependents().
  enum class AddResult { kAdded, kAlreadyAdded, kBadName };
  AddResult add_group(const std::string& name);
  /// proctor.updateGroupInPlace (proctorctl update --minimal): applies the
  /// adopted plan's group `name` to the running one process by process.
  /// Processes whose own settings changed are stopped and started again with
  /// the new ones, new ones (numprocs up) are added and autostarted, gone
  /// ones stopped and removed; the others keep running. kGroupChanged: a
  /// group-level setting differs, which only stop/remove/add can apply.
  enum class InPlaceResult { kUpdated, kGroupChanged, kBadName };
  InPlaceResult update_in_place(const std::string& name);
  /// True while a process of group `name` that an update restarts or
  /// removes has not stopped yet (update waits for that, as supervisorctl's
  /// waits for stopProcessGroup).
  bool stopping_for_update(const std::string& name);
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
  void restart_dependents(const ProcessGroup& added);
  /// Marks the running processes of groups that depend on `programs` (of
  /// `source`), directly or through each other, for a restart.
  void restart_dependents_of(std::set<std::string> programs, const ProcessGroup& source);
  /// What a process stopped on the core's own initiative does once stopped.
  struct PendingRestart {
    enum class Then { kStart, kRespec, kRemove };
    Then then = Then::kStart;
    bool stop_sent = false;
    std::optional<ProcessSpec> spec;  ///< kRespec: the settings to start with
    std::string program;              ///< kRespec: its program name
  };
  void restart_step(ProcessGroup& g, ProcessFsm& p, bool hold, double now, TaggedEffects& out);
  void respec(ProcessGroup& g, ProcessFsm& p, PendingRestart& r);
  void settle_groups();
  void sort_groups();
  TaggedEffects stop_groups_in_order(double now);

  nlohmann::json plan_;  ///< non-group settings of the plan the daemon started with
  std::vector<PendingGroup> pending_;  ///< the last adopted plan's groups; add_group reads them
  std::vector<std::unique_ptr<ProcessGroup>> groups_;
  Mood mood_ = Mood::kRunning;
  bool stopping_ = false;
  std::vector<ProcessGroup*> stop_queue_;
  std::map<ProcessFsm*, PendingRestart> restarts_;
  std::vector<std::pair<ProcessGroup*, ProcessFsm*>> doomed_;  ///< stopped, to remove after a tick
  std::set<ProcessGroup*> unsorted_;  ///< settings changed in a tick, to re-sort after it
};

}  // namespace proctor::runtime
