// proctorctl update --minimal: a changed group applied process by process
// instead of Supervisor's stop, remove and add of the whole group, so only
// the processes whose own settings changed restart (and, as in update,
// whatever depends on them).

#include <algorithm>
#include <set>

#include "runtime/core/supervisor.h"

namespace proctor::runtime {

using nlohmann::json;

Supervisor::InPlaceResult Supervisor::update_in_place(const std::string& name) {
  ProcessGroup* g = group(name);
  auto pending = std::find_if(pending_.begin(), pending_.end(), [&](const auto& p) { return p.name == name; });
  if (!g || pending == pending_.end()) return InPlaceResult::kBadName;
  const json before = g->config(), after = json::parse(*pending->text);
  if (!plan::same_group_settings(before, after)) return InPlaceResult::kGroupChanged;

  std::set<std::string> wanted, restarted_programs;
  for (const auto& np : after.at("processes")) {
    std::string pname = np.at("name");
    wanted.insert(pname);
    ProcessFsm* running = g->find(pname);
    if (!running) {
      // Never started and autostart: tick() starts it, after its dependencies.
      ProcessFsm& added = g->add_process(np);
      if (on_process_added) on_process_added(added);
      continue;
    }
    auto old = std::find_if(before.at("processes").begin(), before.at("processes").end(),
                            [&](const json& op) { return op.at("name") == pname; });
    if (old != before.at("processes").end() && plan::same_process_settings(*old, np)) continue;
    restarts_[running] = {PendingRestart::Then::kRespec, false, process_spec_from_plan(np, name), program_name(np)};
    if (np.at("autostart").get<bool>()) restarted_programs.insert(program_name(np));
  }
  for (auto& p : g->processes)
    if (!wanted.count(p->spec().name)) restarts_[p.get()] = {PendingRestart::Then::kRemove, false, {}, {}};
  g->config_text = pending->text;
  g->hash = pending->hash;
  g->depends_on = after.value("depends_on", std::vector<std::string>{});
  g->sort_processes();
  // depends_on: a program restarted in place restarts its dependents after it.
  if (!restarted_programs.empty()) restart_dependents_of(std::move(restarted_programs), *g);
  return InPlaceResult::kUpdated;
}

bool Supervisor::stopping_for_update(const std::string& name) {
  ProcessGroup* g = group(name);
  if (!g) return false;
  return std::any_of(g->processes.begin(), g->processes.end(), [&](const auto& p) {
    auto it = restarts_.find(p.get());
    if (it == restarts_.end()) return false;
    const PendingRestart& r = it->second;
    return r.then != PendingRestart::Then::kStart || !r.stop_sent || !is_stopped_state(p->state());
  });
}

// Once stopped, the process takes its new settings; its logs and pipes are
// set up again for them (the log file may have moved).
void Supervisor::respec(ProcessGroup& g, ProcessFsm& p, PendingRestart& r) {
  if (on_process_removed) on_process_removed(p);
  p.replace_spec(std::move(*r.spec));
  g.programs[&p] = r.program;
  if (on_process_added) on_process_added(p);
  unsorted_.insert(&g);  // not while tick() walks g.processes
  r.then = PendingRestart::Then::kStart;
}

// After tick() has walked the groups: removals and re-sorts it put off.
void Supervisor::settle_groups() {
  for (auto [g, p] : doomed_) {
    if (on_process_removed) on_process_removed(*p);
    g->programs.erase(p);
    std::erase_if(g->processes, [p = p](const auto& owned) { return owned.get() == p; });
  }
  doomed_.clear();
  for (ProcessGroup* g : unsorted_) g->sort_processes();
  unsorted_.clear();
}

}  // namespace proctor::runtime
