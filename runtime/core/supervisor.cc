#include "runtime/core/supervisor.h"

#include <algorithm>
#include <set>

namespace proctor::runtime {

using nlohmann::json;

namespace {

std::unique_ptr<ProcessGroup> make_group(const json& config) {
  auto g = std::make_unique<ProcessGroup>();
  g->name = config.at("name");
  g->config_text = config.dump();
  g->type = config.value("type", "process");
  g->priority = config.at("priority");
  g->depends_on = config.value("depends_on", std::vector<std::string>{});
  for (const auto& p : config.at("processes"))
    g->processes.push_back(std::make_unique<ProcessFsm>(process_spec_from_plan(p, g->name)));
  std::stable_sort(g->processes.begin(), g->processes.end(), [](const auto& a, const auto& b) {
    if (a->spec().priority != b->spec().priority) return a->spec().priority < b->spec().priority;
    return a->spec().name < b->spec().name;
  });
  for (const auto& p : g->processes)
    for (const auto& jp : config.at("processes"))
      if (jp.at("name") == p->spec().name) {
        std::string section = jp.at("section");
        g->programs.push_back(section.substr(section.find(':') + 1));
        break;
      }
  return g;
}

std::string program_of(const ProcessFsm& p, const ProcessGroup& g) {
  for (std::size_t i = 0; i < g.processes.size() && i < g.programs.size(); ++i)
    if (g.processes[i].get() == &p) return g.programs[i];
  return p.spec().name;
}

void tag(TaggedEffects& out, ProcessFsm* p, Effects effects) {
  for (auto& e : effects) out.push_back({p, std::move(e)});
}

}  // namespace

ProcessFsm* ProcessGroup::find(std::string_view process_name) {
  for (auto& p : processes)
    if (p->spec().name == process_name) return p.get();
  return nullptr;
}

std::vector<ProcessFsm*> ProcessGroup::unstopped() {
  std::vector<ProcessFsm*> out;
  for (auto& p : processes)
    if (!is_stopped_state(p->state())) out.push_back(p.get());
  return out;
}

// The groups live once in pending_plan_ (what addProcessGroup reads) and
// once in the running groups; plan_ keeps only the settings around them,
// so a large config is not held four times.
Supervisor::Supervisor(json plan) : pending_plan_(plan.dump()) {
  for (const auto& g : plan.at("groups"))
    if (!group(g.at("name").get<std::string>())) groups_.push_back(make_group(g));
  sort_groups();
  plan.erase("groups");
  plan_ = std::move(plan);
}

void Supervisor::sort_groups() {
  std::stable_sort(groups_.begin(), groups_.end(), [](const auto& a, const auto& b) {
    if (a->priority != b->priority) return a->priority < b->priority;
    return a->name < b->name;
  });
}

ProcessGroup* Supervisor::group(std::string_view name) {
  for (auto& g : groups_)
    if (g->name == name) return g.get();
  return nullptr;
}

ProcessFsm* Supervisor::process(std::string_view namespec) {
  auto colon = namespec.find(':');
  std::string_view gname = colon == std::string_view::npos ? namespec : namespec.substr(0, colon);
  std::string_view pname = colon == std::string_view::npos ? namespec : namespec.substr(colon + 1);
  ProcessGroup* g = group(gname);
  return g ? g->find(pname) : nullptr;
}

// depends_on: a group's processes start only once every program they depend
// on has a RUNNING process; nothing else waits for them.
bool Supervisor::dependencies_running(const ProcessGroup& g) const {
  for (const auto& dep : g.depends_on) {
    bool running = false;
    for (const auto& other : groups_)
      for (const auto& p : other->processes)
        if (program_of(*p, *other) == dep && p->state() == ProcessState::kRunning) running = true;
    if (!running) return false;
  }
  return true;
}

TaggedEffects Supervisor::tick(double now) {
  TaggedEffects out;
  if (mood_ != Mood::kRunning) {
    auto stops = stop_groups_in_order(now);
    out.insert(out.end(), stops.begin(), stops.end());
  }
  for (auto& g : groups_) {
    bool hold = mood_ != Mood::kRunning || !dependencies_running(*g);
    for (auto& p : g->processes) tag(out, p.get(), p->tick(now, hold));
  }
  return out;
}

// ordered_stop_groups_phase_1/2: the last group in start order is stopped
// first, and the next only once it has no unstopped processes.
TaggedEffects Supervisor::stop_groups_in_order(double now) {
  TaggedEffects out;
  if (!stopping_) {
    stopping_ = true;
    stop_queue_.clear();
    for (auto& g : groups_) stop_queue_.push_back(g.get());
  }
  while (!stop_queue_.empty()) {
    ProcessGroup* g = stop_queue_.back();
    // stop_all: highest priority first; BACKOFF processes give up.
    for (auto it = g->processes.rbegin(); it != g->processes.rend(); ++it) {
      ProcessFsm& p = **it;
      if (p.state() == ProcessState::kRunning || p.state() == ProcessState::kStarting ||
          p.state() == ProcessState::kBackoff)
        tag(out, &p, p.stop(now));
    }
    if (!g->unstopped().empty()) break;
    stop_queue_.pop_back();
  }
  return out;
}

bool Supervisor::finished_stopping() const {
  if (mood_ == Mood::kRunning) return false;
  for (const auto& g : groups_)
    for (const auto& p : g->processes)
      if (!is_stopped_state(p->state())) return false;
  return true;
}

std::optional<double> Supervisor::next_deadline() const {
  std::optional<double> best;
  for (const auto& g : groups_)
    for (const auto& p : g->processes)
      if (auto d = p->next_deadline(); d && (!best || *d < *best)) best = d;
  return best;
}

TaggedEffects Supervisor::start(ProcessFsm& p, double now) {
  TaggedEffects out;
  tag(out, &p, p.start(now));
  return out;
}

TaggedEffects Supervisor::stop(ProcessFsm& p, double now) {
  TaggedEffects out;
  tag(out, &p, p.stop(now));
  return out;
}

json Supervisor::active_plan() const {
  json view = plan_;
  view["groups"] = json::array();
  for (const auto& g : groups_) view["groups"].push_back(g->config());
  return view;
}

plan::PlanDelta Supervisor::reread(const json& new_plan) const {
  return plan::diff_plans(active_plan(), new_plan);
}

Supervisor::AddResult Supervisor::add_group(const std::string& name) {
  if (group(name)) return AddResult::kAlreadyAdded;
  const json pending = pending_plan();
  for (const auto& g : pending.at("groups")) {
    if (g.at("name") != name) continue;
    groups_.push_back(make_group(g));
    if (on_process_added)
      for (auto& p : groups_.back()->processes) on_process_added(*p);
    ProcessGroup& added = *groups_.back();
    sort_groups();
    if (on_group_added) on_group_added(added);
    return AddResult::kAdded;
  }
  return AddResult::kBadName;
}

Supervisor::RemoveResult Supervisor::remove_group(const std::string& name) {
  auto it = std::find_if(groups_.begin(), groups_.end(), [&](const auto& g) { return g->name == name; });
  if (it == groups_.end()) return RemoveResult::kBadName;
  for (const auto& p : (*it)->processes)
    if (!is_stopped_state(p->state())) return RemoveResult::kStillRunning;
  if (on_process_removed)
    for (auto& p : (*it)->processes) on_process_removed(*p);
  if (on_group_removed) on_group_removed(**it);
  groups_.erase(it);
  return RemoveResult::kRemoved;
}

}  // namespace proctor::runtime
