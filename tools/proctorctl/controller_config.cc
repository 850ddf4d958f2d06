// Daemon and configuration commands: shutdown, reload, avail, reread,
// add, remove, update (with --dry-run; --minimal is in update_minimal.cc).

#include "tools/proctorctl/controller.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <iostream>
#include <map>
#include <set>

#include "compiler/base/diagnostic_render.h"
#include "compiler/model/host.h"
#include "compiler/plan/diff.h"
#include "compiler/plan/plan_source.h"
#include "runtime/rpc/fault.h"
#include "tools/proctorctl/controller_support.h"

namespace proctor::ctl {

using rpc::Value;
namespace es = exit_status;

void Controller::do_shutdown(const std::string& arg) {
  if (!arg.empty()) {
    say("Error: shutdown accepts no arguments");
    exitstatus = es::kGeneric;
    if (!options_.json) help_for("shutdown");
    return;
  }
  if (options_.interactive && !confirm("Really shut the remote supervisord process down y/N? ")) return;
  try {
    call("supervisor.shutdown");
  } catch (const RpcFault& f) {
    if (f.code != rpc::SHUTDOWN_STATE) {
      exitstatus = es::kGeneric;
      throw;
    }
    say("ERROR: already shutting down");
    if (options_.json) emit(json{{"result", "error"}, {"error", f.text}});
    return;
  } catch (const TransportError& e) {
    if (e.http_status == 0 && (e.err == ECONNREFUSED || e.err == ENOENT)) {
      exitstatus = es::kGeneric;
      say("ERROR: " + options_.server.serverurl +
          (e.err == ECONNREFUSED ? " refused connection" : " no such file") + " (already shut down?)");
      if (options_.json) emit(json{{"result", "error"}, {"error", std::strerror(e.err)}});
      return;
    }
    exitstatus = es::kGeneric;
    throw;
  }
  if (options_.json) emit(json{{"result", "shut down"}});
  else output("Shut down");
}

void Controller::do_reload(const std::string& arg) {
  if (!arg.empty()) {
    say("Error: reload accepts no arguments");
    exitstatus = es::kGeneric;
    if (!options_.json) help_for("reload");
    return;
  }
  if (options_.interactive && !confirm("Really restart the remote supervisord process y/N? ")) return;
  try {
    call("supervisor.restart");
  } catch (const RpcFault& f) {
    exitstatus = es::kGeneric;
    if (f.code != rpc::SHUTDOWN_STATE) throw;
    say("ERROR: already shutting down");
    if (options_.json) emit(json{{"result", "error"}, {"error", f.text}});
    return;
  }
  if (options_.json) emit(json{{"result", "restarted"}});
  else output("Restarted supervisord");
}

void Controller::do_avail(const std::string& arg) {
  if (!arg.empty()) {
    say("Error: avail accepts no arguments");
    exitstatus = es::kGeneric;
    if (!options_.json) help_for("avail");
    return;
  }
  Value info;
  try {
    info = call("supervisor.getAllConfigInfo");
  } catch (const RpcFault& f) {
    exitstatus = es::kGeneric;
    if (f.code != rpc::SHUTDOWN_STATE) throw;
    say("ERROR: supervisor shutting down");
    return;
  }
  if (options_.json) return emit(to_json(info));
  for (const auto& c : array_of(info)) {
    auto pad = [](std::string s, size_t w) {
      if (s.size() < w) s.resize(w, ' ');
      return s;
    };
    std::string name = make_namespec(str_of(c.member("group")), str_of(c.member("name")));
    std::string inuse = int_of(c.member("inuse")) ? "in use" : "avail";
    std::string autostart = int_of(c.member("autostart")) ? "auto" : "manual";
    output(pad(name, 32) + " " + pad(inuse, 9) + " " + pad(autostart, 9) + " " +
           std::to_string(int_of(c.member("group_prio"))) + ":" +
           std::to_string(int_of(c.member("process_prio"))));
  }
}

void Controller::do_reread(const std::string& arg) {
  if (!arg.empty()) {
    say("Error: reread accepts no arguments");
    exitstatus = es::kGeneric;
    if (!options_.json) help_for("reread");
    return;
  }
  Value result;
  try {
    result = call("supervisor.reloadConfig");
  } catch (const RpcFault& f) {
    exitstatus = es::kGeneric;
    if (f.code == rpc::SHUTDOWN_STATE) say("ERROR: supervisor shutting down");
    else if (f.code == rpc::CANT_REREAD) say("ERROR: " + f.text);
    else throw;
    if (options_.json) emit(json{{"error", f.text}});
    return;
  }
  rpc::Array triple = array_of(result).empty() ? rpc::Array{} : array_of(array_of(result)[0]);
  std::vector<std::string> lists[3];
  for (size_t k = 0; k < 3 && k < triple.size(); ++k)
    for (const auto& n : array_of(triple[k])) lists[k].push_back(str_of(&n));
  if (options_.json) return emit(json{{"added", lists[0]}, {"changed", lists[1]}, {"removed", lists[2]}});
  std::map<std::string, std::string> changes;  // later kinds win, as dict.update does
  const char* kinds[] = {"available", "changed", "disappeared"};
  for (int k = 0; k < 3; ++k)
    for (const auto& n : lists[k]) changes[n] = kinds[k];
  if (changes.empty()) output("No config updates to processes");
  for (const auto& [n, what] : changes) output(n + ": " + what);
}

void Controller::do_add(const std::string& arg) {
  json out = json::array();
  for (const auto& name : split(arg)) {
    try {
      call("supervisor.addProcessGroup", {name});
      if (options_.json) out.push_back({{"name", name}, {"status", rpc::SUCCESS}, {"description", "added process group"}});
      else output(name + ": added process group");
    } catch (const RpcFault& f) {
      if (f.code == rpc::SHUTDOWN_STATE) {
        say("ERROR: shutting down");
        exitstatus = es::kGeneric;
      } else if (f.code == rpc::ALREADY_ADDED) {
        say("ERROR: process group already active");
      } else if (f.code == rpc::BAD_NAME) {
        say("ERROR: no such process/group: " + name);
        exitstatus = es::kGeneric;
      } else {
        exitstatus = es::kGeneric;
        throw;
      }
      if (options_.json) out.push_back({{"name", name}, {"status", f.code}, {"description", f.text}});
    }
  }
  if (options_.json) emit(out);
}

void Controller::do_remove(const std::string& arg) {
  json out = json::array();
  for (const auto& name : split(arg)) {
    try {
      call("supervisor.removeProcessGroup", {name});
      if (options_.json) out.push_back({{"name", name}, {"status", rpc::SUCCESS}, {"description", "removed process group"}});
      else output(name + ": removed process group");
    } catch (const RpcFault& f) {
      exitstatus = es::kGeneric;
      if (f.code == rpc::STILL_RUNNING) say("ERROR: process/group still running: " + name);
      else if (f.code == rpc::BAD_NAME) say("ERROR: no such process/group: " + name);
      else throw;
      if (options_.json) out.push_back({{"name", name}, {"status", f.code}, {"description", f.text}});
    }
  }
  if (options_.json) emit(out);
}

void Controller::do_update(const std::string& arg) {
  std::vector<std::string> words = split(arg);
  bool dry_run = false, minimal = false;
  std::vector<std::string> gnames;
  for (const auto& w : words) {
    if (w == "--dry-run" || w == "-n") dry_run = true;
    else if (w == "--minimal") minimal = true;
    else gnames.push_back(w);
  }
  if (dry_run) return do_update_dry_run(gnames, minimal);
  if (minimal && !offers_in_place_update()) return;

  json log = json::array();
  auto logline = [&](const std::string& name, const std::string& message) {
    if (options_.json) log.push_back({{"group", name}, {"message", message}});
    else output(name + ": " + message);
  };
  Value result;
  try {
    result = call("supervisor.reloadConfig");
  } catch (const RpcFault& f) {
    exitstatus = es::kGeneric;
    if (f.code != rpc::SHUTDOWN_STATE) throw;
    say("ERROR: already shutting down");
    return;
  }
  rpc::Array triple = array_of(result).empty() ? rpc::Array{} : array_of(array_of(result)[0]);
  std::vector<std::string> added, changed, removed;
  std::vector<std::string>* lists[3] = {&added, &changed, &removed};
  for (size_t k = 0; k < 3 && k < triple.size(); ++k)
    for (const auto& n : array_of(triple[k])) lists[k]->push_back(str_of(&n));

  std::set<std::string> valid(gnames.begin(), gnames.end());
  if (valid.count("all")) valid.clear();
  if (!valid.empty()) {
    std::set<std::string> groups(added.begin(), added.end());
    Value listed = call("supervisor.getAllProcessInfo");
    for (const auto& info : array_of(listed)) groups.insert(str_of(info.member("group")));
    // Python iterates a set; its order is unspecified, so sorted here.
    for (const auto& g : valid)
      if (!groups.count(g)) {
        say("ERROR: no such group: " + g);
        exitstatus = es::kGeneric;
      }
  }
  auto skip = [&](const std::string& g) { return !valid.empty() && !valid.count(g); };
  for (const auto& g : removed) {
    if (skip(g)) continue;
    Value results = call("supervisor.stopProcessGroup", {g});
    logline(g, "stopped");
    bool fails = false;
    for (const auto& r : array_of(results)) fails = fails || int_of(r.member("status")) == rpc::FAILED;
    if (fails) {
      logline(g, "has problems; not removing");
      exitstatus = es::kGeneric;
      continue;
    }
    call("supervisor.removeProcessGroup", {g});
    logline(g, "removed process group");
  }
  for (const auto& g : changed) {
    if (skip(g)) continue;
    if (minimal && update_in_place(g)) {
      logline(g, "updated changed processes in place");
      continue;
    }
    call("supervisor.stopProcessGroup", {g});
    logline(g, "stopped");
    call("supervisor.removeProcessGroup", {g});
    call("supervisor.addProcessGroup", {g});
    logline(g, "updated process group");
  }
  for (const auto& g : added) {
    if (skip(g)) continue;
    call("supervisor.addProcessGroup", {g});
    logline(g, "added process group");
  }
  if (options_.json)
    emit(json{{"added", added}, {"changed", changed}, {"removed", removed}, {"log", log}});
}

void Controller::do_update_dry_run(const std::vector<std::string>& gnames, bool minimal) {
  (void)minimal;
  if (options_.server.serverurl.empty()) return;
  Value active;
  try {
    active = call("proctor.getActivePlan");
  } catch (const RpcFault& f) {
    if (f.code != rpc::UNKNOWN_METHOD) throw;
    say("ERROR: the server does not offer proctor.getActivePlan (is it supervisord rather than proctord?)");
    exitstatus = es::kUnimplemented;
    return;
  }
  nlohmann::json before = nlohmann::json::parse(str_of(&active), nullptr, false);
  if (before.is_discarded()) {
    say("ERROR: proctor.getActivePlan returned something that is not JSON");
    exitstatus = es::kGeneric;
    return;
  }
  if (options_.configfile.empty()) {
    say("ERROR: update --dry-run needs the config file (-c CONFIG) to compare with the running daemon");
    exitstatus = es::kInvalidArgs;
    return;
  }
  model::PosixHost host(options_.hostname);
  SourceManager sm;
  DiagSink sink;
  plan::LoadedPlan loaded = plan::load_plan(options_.configfile, host, sm, sink);
  if (!loaded.plan) {
    RenderOptions render{static_cast<bool>(::isatty(STDERR_FILENO))};
    for (const auto& d : sink.all())
      if (d.severity == Severity::kError) std::cerr << render_text(d, sm, render);
    // What reread would say: the daemon refuses the file too.
    say("ERROR: " + options_.configfile + " does not compile; update would fail with CANT_REREAD");
    exitstatus = es::kGeneric;
    return;
  }
  nlohmann::json after = *loaded.plan;
  // proctord -n / -s override these from its command line, which this side
  // cannot see; they do not affect update either way.
  for (const char* key : {"nodaemon", "silent"})
    if (before.contains("supervisord") && before["supervisord"].contains(key) && after.contains("supervisord"))
      after["supervisord"][key] = before["supervisord"][key];
  plan::PlanDelta delta = plan::diff_plans(before, after);
  std::vector<std::string> only(gnames.begin(), gnames.end());
  if (contains(only, "all")) only.clear();
  if (!only.empty()) {
    auto keep = [&](const std::string& g) { return contains(only, g); };
    auto filter = [&](std::vector<std::string>& v) { std::erase_if(v, [&](const auto& g) { return !keep(g); }); };
    filter(delta.added);
    filter(delta.changed);
    filter(delta.removed);
    std::erase_if(delta.details, [&](const plan::GroupDelta& d) { return !keep(d.name); });
    std::erase_if(delta.actions, [&](const plan::UpdateAction& a) { return !keep(a.group); });
  }
  if (options_.json) std::cout << plan::delta_json(delta).dump(2) << '\n';
  else std::cout << plan::delta_text(delta);
  std::cout.flush();
}

}  // namespace proctor::ctl
