#include "runtime/core/supervisor.h"

#include <algorithm>
#include <set>
#include <unordered_map>

namespace proctor::runtime {

using nlohmann::json;

namespace {

std::string hash_of(const json& group) { return group.value("hash", std::string()); }


std::unique_ptr<ProcessGroup> make_group(const json& config, GroupText text) {
  auto g = std::make_unique<ProcessGroup>();
  g->name = config.at("name");
  g->hash = hash_of(config);
  g->config_text = std::move(text);
  g->type = config.value("type", "process");
  g->priority = config.at("priority");
  g->depends_on = config.value("depends_on", std::vector<std::string>{});
  for (const auto& p : config.at("processes")) g->add_process(p);
  g->sort_processes();
  return g;
}

std::string program_of(const ProcessFsm& p, const ProcessGroup& g) {
  auto it = g.programs.find(&p);
  return it == g.programs.end() ? p.spec().name : it->second;
}

void tag(TaggedEffects& out, ProcessFsm* p, Effects effects) {
  for (auto& e : effects) out.push_back({p, std::move(e)});
}

}  // namespace

std::string program_name(const json& process) {
  std::string section = process.at("section");
  return section.substr(section.find(':') + 1);
}

ProcessFsm& ProcessGroup::add_process(const json& process) {
  processes.push_back(std::make_unique<ProcessFsm>(process_spec_from_plan(process, name)));
  programs[processes.back().get()] = program_name(process);
  return *processes.back();
}

void ProcessGroup::sort_processes() {
  std::stable_sort(processes.begin(), processes.end(), [](const auto& a, const auto& b) {
    if (a->spec().priority != b->spec().priority) return a->spec().priority < b->spec().priority;
    return a->spec().name < b->spec().name;
  });
}

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

// Each group's text lives once, shared by pending_ (what addProcessGroup
// reads) and the running group; plan_ keeps only the settings around them.
Supervisor::Supervisor(json plan) {
  for (const auto& g : plan.at("groups")) {
    auto text = std::make_shared<const std::string>(g.dump());
    pending_.push_back({g.at("name"), hash_of(g), text});
    if (!group(pending_.back().name)) groups_.push_back(make_group(g, text));
  }
  sort_groups();
  plan.erase("groups");
  plan_ = std::move(plan);
}

// supervisord sorts its groups by priority alone (ProcessGroupBase.__lt__),
// stably over the order they were added: the plan's (priority, name) order
// at start, and a group added later goes after its equals.
void Supervisor::sort_groups() {
  std::stable_sort(groups_.begin(), groups_.end(),
                   [](const auto& a, const auto& b) { return a->priority < b->priority; });
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
    for (auto& p : g->processes) {
      tag(out, p.get(), p->tick(now, hold));
      restart_step(*g, *p, hold, now, out);
    }
  }
  settle_groups();
  return out;
}

// depends_on during update: a group added again (update's remove + add) runs
// new processes, so whatever depends on its programs, directly or through
// other dependents, is restarted after it. Only running dependents are, and
// only when the added group starts something for them to wait for.
void Supervisor::restart_dependents(const ProcessGroup& added) {
  bool starts = std::any_of(added.processes.begin(), added.processes.end(),
                            [](const auto& p) { return p->spec().autostart; });
  if (!starts) return;
  std::set<std::string> programs;
  for (const auto& [_, program] : added.programs) programs.insert(program);
  restart_dependents_of(std::move(programs), added);
}

void Supervisor::restart_dependents_of(std::set<std::string> restarted, const ProcessGroup& source) {
  std::set<const ProcessGroup*> seen{&source};
  for (bool grew = true; grew;) {
    grew = false;
    for (auto& g : groups_) {
      if (seen.count(g.get())) continue;
      if (std::none_of(g->depends_on.begin(), g->depends_on.end(),
                       [&](const auto& dep) { return restarted.count(dep); }))
        continue;
      seen.insert(g.get());
      for (const auto& [_, program] : g->programs) restarted.insert(program);
      for (auto& p : g->processes)
        if (is_running_state(p->state())) restarts_.emplace(p.get(), PendingRestart{});
      grew = true;
    }
  }
}

// The stop goes out at once; the start waits, like an autostart, until the
// process's own dependencies run, which is what orders a chain of them.
void Supervisor::restart_step(ProcessGroup& g, ProcessFsm& p, bool hold, double now, TaggedEffects& out) {
  auto it = restarts_.find(&p);
  if (it == restarts_.end()) return;
  PendingRestart& r = it->second;
  if (!r.stop_sent) {
    r.stop_sent = true;
    if (!is_stopped_state(p.state())) tag(out, &p, p.stop(now));
  }
  if (!is_stopped_state(p.state())) return;
  if (r.then == PendingRestart::Then::kRemove) {
    doomed_.push_back({&g, &p});
    restarts_.erase(it);
    return;
  }
  if (r.then == PendingRestart::Then::kRespec) {
    respec(g, p, r);
    if (!p.spec().autostart) {
      restarts_.erase(it);
      return;
    }
  }
  if (!hold) {
    restarts_.erase(it);
    tag(out, &p, p.start(now));
  }
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

// A user's start or stop overrides a pending dependent restart, not a
// pending change of settings or removal.
TaggedEffects Supervisor::start(ProcessFsm& p, double now) {
  if (auto it = restarts_.find(&p); it != restarts_.end() && it->second.then == PendingRestart::Then::kStart)
    restarts_.erase(it);
  TaggedEffects out;
  tag(out, &p, p.start(now));
  return out;
}

TaggedEffects Supervisor::stop(ProcessFsm& p, double now) {
  if (auto it = restarts_.find(&p); it != restarts_.end() && it->second.then == PendingRestart::Then::kStart)
    restarts_.erase(it);
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

plan::PlanDelta Supervisor::reread(const plan::LazyPlan& new_plan) const {
  std::vector<plan::LazyGroup> running;
  running.reserve(groups_.size());
  for (const auto& g : groups_) running.push_back({g->name, g->hash, [&g] { return g->config(); }});
  return plan::diff_running(plan_, running, new_plan);
}

// A group whose hash is unchanged keeps the text already held (its `source`
// may then be an earlier line: Supervisor, too, keeps the config it has for
// a group it sees as unchanged); only changed groups are serialised again.
// A reread mostly lists the groups of the last one in the same order, so
// each is first compared with the pending group at its own position.
void Supervisor::adopt_plan(const plan::LazyPlan& new_plan) {
  std::unordered_map<std::string, GroupText> held;  // "name\nhash" -> text
  bool held_filled = false;
  auto held_text = [&](const plan::LazyGroup& g) -> GroupText {
    if (!held_filled) {
      for (const auto& r : groups_)
        if (!r->hash.empty()) held.emplace(r->name + "\n" + r->hash, r->config_text);
      for (const auto& p : pending_)
        if (!p.hash.empty()) held.emplace(p.name + "\n" + p.hash, p.text);
      held_filled = true;
    }
    auto it = held.find(g.name + "\n" + g.hash);
    return it == held.end() ? nullptr : it->second;
  };
  std::vector<PendingGroup> next;
  next.reserve(new_plan.groups.size());
  for (std::size_t i = 0; i < new_plan.groups.size(); ++i) {
    const plan::LazyGroup& g = new_plan.groups[i];
    PendingGroup p{g.name, g.hash, nullptr};
    if (!g.hash.empty()) {
      bool in_place = i < pending_.size() && pending_[i].name == g.name && pending_[i].hash == g.hash;
      p.text = in_place ? pending_[i].text : held_text(g);
    }
    if (!p.text) p.text = std::make_shared<const std::string>(g.config().dump());
    next.push_back(std::move(p));
  }
  pending_ = std::move(next);
}

Supervisor::AddResult Supervisor::add_group(const std::string& name) {
  if (group(name)) return AddResult::kAlreadyAdded;
  auto it = std::find_if(pending_.begin(), pending_.end(), [&](const auto& p) { return p.name == name; });
  if (it == pending_.end()) return AddResult::kBadName;
  groups_.push_back(make_group(json::parse(*it->text), it->text));
  if (on_process_added)
    for (auto& p : groups_.back()->processes) on_process_added(*p);
  ProcessGroup& added = *groups_.back();
  restart_dependents(added);
  sort_groups();
  if (on_group_added) on_group_added(added);
  return AddResult::kAdded;
}

Supervisor::RemoveResult Supervisor::remove_group(const std::string& name) {
  auto it = std::find_if(groups_.begin(), groups_.end(), [&](const auto& g) { return g->name == name; });
  if (it == groups_.end()) return RemoveResult::kBadName;
  for (const auto& p : (*it)->processes)
    if (!is_stopped_state(p->state())) return RemoveResult::kStillRunning;
  for (auto& p : (*it)->processes) {
    restarts_.erase(p.get());
    std::erase_if(doomed_, [&](const auto& d) { return d.second == p.get(); });
    if (on_process_removed) on_process_removed(*p);
  }
  unsorted_.erase(it->get());
  if (on_group_removed) on_group_removed(**it);
  groups_.erase(it);
  return RemoveResult::kRemoved;
}

}  // namespace proctor::runtime
