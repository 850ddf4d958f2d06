// Supervisor-wide, log, config and system.* methods.

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>

#include "runtime/daemon/rpc_interface.h"
#include "runtime/logs/output_tail.h"
#include "runtime/rpc/fault.h"

namespace proctor::daemon {

using rpc::Value;
using runtime::ProcessFsm;

namespace {

std::optional<std::string> str(const std::vector<Value>& p, std::size_t i) {
  if (i >= p.size() || !p[i].as_string()) return std::nullopt;
  return *p[i].as_string();
}

std::optional<std::int64_t> num(const std::vector<Value>& p, std::size_t i) {
  if (i >= p.size()) return std::nullopt;
  return p[i].as_int();
}

RpcReply bad_params() { return RpcReply::error(rpc_error(rpc::INCORRECT_PARAMETERS)); }

Value none_or(const nlohmann::json& v, Value fallback = Value("none")) {
  if (v.is_null()) return fallback;
  if (v.is_string()) return v.get<std::string>() == "AUTO" ? Value("auto") : Value(v.get<std::string>());
  if (v.is_boolean()) return v.get<bool>();
  if (v.is_number_integer()) return v.get<std::int64_t>();
  return Value(v.dump());
}

RpcReply read_file_reply(const std::string& path, std::int64_t offset, std::int64_t length) {
  auto r = runtime::logs::read_log(path, offset, length);
  if (!r) return RpcReply::error(rpc_error(r.error() == "BAD_ARGUMENTS" ? rpc::BAD_ARGUMENTS : rpc::FAILED));
  return RpcReply::value(Value(*r));
}

}  // namespace

void RpcInterface::add_log_methods() {
  auto& m = methods_;
  auto read_channel = [this](Channel ch) {
    return [this, ch](const Params& p) {
      auto name = str(p, 0);
      auto off = num(p, 1), len = num(p, 2);
      if (!name || !off || !len) return bad_params();
      ProcessFsm* proc = ctx_.supervisor().process(*name);
      if (!proc) return RpcReply::error(rpc_error(rpc::BAD_NAME, *name));
      std::string path = ctx_.log_path(*proc, ch);
      if (path.empty() || access(path.c_str(), F_OK) != 0)
        return RpcReply::error(rpc_error(rpc::NO_FILE, path.empty() ? "None" : path));
      return read_file_reply(path, *off, *len);
    };
  };
  m["supervisor.readProcessStdoutLog"] = read_channel(Channel::kStdout);
  m["supervisor.readProcessLog"] = read_channel(Channel::kStdout);
  m["supervisor.readProcessStderrLog"] = read_channel(Channel::kStderr);
  auto tail_channel = [this](Channel ch) {
    return [this, ch](const Params& p) {
      auto name = str(p, 0);
      auto off = num(p, 1), len = num(p, 2);
      if (!name || !off || !len) return bad_params();
      ProcessFsm* proc = ctx_.supervisor().process(*name);
      if (!proc) return RpcReply::error(rpc_error(rpc::BAD_NAME, *name));
      std::string path = ctx_.log_path(*proc, ch);
      if (path.empty()) return RpcReply::value(Value::array({"", 0, false}));
      auto t = runtime::logs::tail_log(path, *off, *len);
      return RpcReply::value(Value::array({Value(t.bytes), Value(t.offset), Value(t.overflow)}));
    };
  };
  m["supervisor.tailProcessStdoutLog"] = tail_channel(Channel::kStdout);
  m["supervisor.tailProcessLog"] = tail_channel(Channel::kStdout);
  m["supervisor.tailProcessStderrLog"] = tail_channel(Channel::kStderr);
  m["supervisor.readLog"] = [this](const Params& p) {
    auto off = num(p, 0), len = num(p, 1);
    if (!off || !len) return bad_params();
    std::string path = ctx_.main_log_path();
    if (path.empty() || access(path.c_str(), F_OK) != 0) return RpcReply::error(rpc_error(rpc::NO_FILE, path));
    return read_file_reply(path, *off, *len);
  };
  m["supervisor.readMainLog"] = m["supervisor.readLog"];
  m["supervisor.clearLog"] = [this](const Params&) {
    return ctx_.clear_main_log() ? RpcReply::value(true) : RpcReply::error(rpc_error(rpc::NO_FILE));
  };
  m["supervisor.clearProcessLogs"] = [this](const Params& p) {
    auto name = str(p, 0);
    if (!name) return bad_params();
    ProcessFsm* proc = ctx_.supervisor().process(*name);
    if (!proc) return RpcReply::error(rpc_error(rpc::BAD_NAME, *name));
    return ctx_.clear_process_log(*proc) ? RpcReply::value(true) : RpcReply::error(rpc_error(rpc::FAILED, *name));
  };
  m["supervisor.clearProcessLog"] = m["supervisor.clearProcessLogs"];
  m["supervisor.clearAllProcessLogs"] = [this](const Params&) {
    return for_all(all_processes(false), [](const ProcessFsm&) { return true; },
                   [this](const std::string& n) { return methods_.at("supervisor.clearProcessLogs")({Value(n)}); });
  };
  m["supervisor.sendRemoteCommEvent"] = [this](const Params& p) {
    auto type = str(p, 0);
    auto data = str(p, 1);
    if (!type || !data) return bad_params();
    ctx_.send_remote_comm_event(*type, *data);
    return RpcReply::value(true);
  };
  m["supervisor.sendProcessStdin"] = [this](const Params& p) {
    auto name = str(p, 0);
    auto chars = str(p, 1);
    if (!name) return bad_params();
    if (!chars) return RpcReply::error(rpc_error(rpc::INCORRECT_PARAMETERS));
    ProcessFsm* proc = ctx_.supervisor().process(*name);
    if (!proc) return RpcReply::error(rpc_error(rpc::BAD_NAME, *name));
    if (!proc->pid() || proc->state() == runtime::ProcessState::kStopping)
      return RpcReply::error(rpc_error(rpc::NOT_RUNNING, *name));
    return ctx_.write_stdin(*proc, *chars) ? RpcReply::value(true) : RpcReply::error(rpc_error(rpc::NO_FILE, *name));
  };
}

void RpcInterface::add_config_methods() {
  auto& m = methods_;
  m["supervisor.getAPIVersion"] = [](const Params&) { return RpcReply::value("3.0"); };
  m["supervisor.getVersion"] = m["supervisor.getAPIVersion"];
  m["supervisor.getSupervisorVersion"] = [](const Params&) { return RpcReply::value("4.2.5"); };
  m["supervisor.getIdentification"] = [this](const Params&) { return RpcReply::value(ctx_.identifier()); };
  m["supervisor.getPID"] = [this](const Params&) { return RpcReply::value(ctx_.pid()); };
  m["supervisor.getState"] = [this](const Params&) {
    int code = static_cast<int>(ctx_.supervisor().mood());
    const char* name = code == 1 ? "RUNNING" : code == 0 ? "RESTARTING" : "SHUTDOWN";
    return RpcReply::value(Value::structure({{"statecode", code}, {"statename", name}}));
  };
  m["supervisor.shutdown"] = [this](const Params&) {
    ctx_.supervisor().set_mood(runtime::Mood::kShutdown);
    return RpcReply::value(true);
  };
  m["supervisor.restart"] = [this](const Params&) {
    ctx_.supervisor().set_mood(runtime::Mood::kRestarting);
    return RpcReply::value(true);
  };
  m["supervisor.reloadConfig"] = [this](const Params&) {
    auto plan = ctx_.reread_plan();
    if (!plan) return RpcReply::error(rpc_error(rpc::CANT_REREAD, plan.error()));
    plan::PlanDelta d = ctx_.supervisor().reread(*plan);
    ctx_.supervisor().adopt_plan(*plan);
    auto names = [](const std::vector<std::string>& v) {
      rpc::Array a;
      for (const auto& s : v) a.push_back(s);
      return Value(a);
    };
    return RpcReply::value(Value::array({Value::array({names(d.added), names(d.changed), names(d.removed)})}));
  };
  m["supervisor.addProcessGroup"] = [this](const Params& p) {
    auto name = str(p, 0);
    if (!name) return bad_params();
    switch (ctx_.supervisor().add_group(*name)) {
      case runtime::Supervisor::AddResult::kAdded: return RpcReply::value(true);
      case runtime::Supervisor::AddResult::kAlreadyAdded: return RpcReply::error(rpc_error(rpc::ALREADY_ADDED, *name));
      case runtime::Supervisor::AddResult::kBadName: break;
    }
    return RpcReply::error(rpc_error(rpc::BAD_NAME, *name));
  };
  m["supervisor.removeProcessGroup"] = [this](const Params& p) {
    auto name = str(p, 0);
    if (!name) return bad_params();
    switch (ctx_.supervisor().remove_group(*name)) {
      case runtime::Supervisor::RemoveResult::kRemoved: return RpcReply::value(true);
      case runtime::Supervisor::RemoveResult::kStillRunning: return RpcReply::error(rpc_error(rpc::STILL_RUNNING, *name));
      case runtime::Supervisor::RemoveResult::kBadName: break;
    }
    return RpcReply::error(rpc_error(rpc::BAD_NAME, *name));
  };
  m["supervisor.getAllConfigInfo"] = [this](const Params&) {
    rpc::Array out;
    auto& sup = ctx_.supervisor();
    for (const auto& pending : sup.pending_groups()) {
      const nlohmann::json g = nlohmann::json::parse(*pending.text);
      bool inuse = sup.group(g.at("name").get<std::string>()) != nullptr;
      for (const auto& p : g.at("processes")) {
        rpc::Struct d = {{"autostart", p.at("autostart").get<bool>()}, {"directory", none_or(p.at("directory"))},
                         {"uid", none_or(p.at("uid"))}, {"command", p.at("command").get<std::string>()}};
        rpc::Array codes;
        for (const auto& c : p.at("exitcodes")) codes.push_back(c.get<int>());
        d.push_back({"exitcodes", Value(codes)});
        d.push_back({"group", g.at("name").get<std::string>()});
        d.push_back({"group_prio", g.at("priority").get<std::int64_t>()});
        d.push_back({"inuse", inuse});
        for (const char* k : {"killasgroup", "name"}) d.push_back({k, none_or(p.at(k))});
        d.push_back({"process_prio", p.at("priority").get<std::int64_t>()});
        for (const char* k : {"redirect_stderr", "startretries", "startsecs", "stdout_capture_maxbytes",
                              "stdout_events_enabled", "stdout_logfile", "stdout_logfile_backups",
                              "stdout_logfile_maxbytes", "stdout_syslog"})
          d.push_back({k, none_or(p.at(k))});
        d.push_back({"stopsignal", p.at("stopsignal_number").get<int>()});
        d.push_back({"stopwaitsecs", p.at("stopwaitsecs").get<std::int64_t>()});
        for (const char* k : {"stderr_capture_maxbytes", "stderr_events_enabled", "stderr_logfile",
                              "stderr_logfile_backups", "stderr_logfile_maxbytes", "stderr_syslog", "serverurl"})
          d.push_back({k, none_or(p.at(k))});
        out.push_back(Value(std::move(d)));
      }
    }
    std::stable_sort(out.begin(), out.end(), [](const Value& a, const Value& b) {
      return *a.member("name")->as_string() < *b.member("name")->as_string();
    });
    return RpcReply::value(Value(out));
  };
}

void RpcInterface::add_system_methods() {
  auto& m = methods_;
  m["system.listMethods"] = [this](const Params&) {
    rpc::Array names;
    for (const auto& n : method_names()) names.push_back(n);
    return RpcReply::value(Value(names));
  };
  m["system.methodHelp"] = [this](const Params& p) {
    auto name = str(p, 0);
    if (!name || !methods_.count(*name)) return RpcReply::error(rpc_error(rpc::SIGNATURE_UNSUPPORTED));
    return RpcReply::value(fmt::format("{}: see Supervisor's XML-RPC API documentation", *name));
  };
  m["system.methodSignature"] = [this](const Params& p) {
    auto name = str(p, 0);
    if (!name || !methods_.count(*name)) return RpcReply::error(rpc_error(rpc::SIGNATURE_UNSUPPORTED));
    return RpcReply::error(rpc_error(rpc::SIGNATURE_UNSUPPORTED));
  };
  // Each call answers [result] or a fault struct; deferred members are
  // polled together, so a multicall finishes when its slowest call does.
  m["system.multicall"] = [this](const Params& p) {
    if (p.empty() || !p[0].as_array()) return bad_params();
    auto outcomes = std::make_shared<std::vector<std::optional<RpcOutcome>>>();
    auto waits = std::make_shared<std::vector<Deferred>>();
    for (const auto& c : *p[0].as_array()) {
      const Value* name = c.member("methodName");
      const Value* params = c.member("params");
      RpcReply r = (!name || !name->as_string() || *name->as_string() == "system.multicall")
                       ? RpcReply::error(rpc_error(rpc::INCORRECT_PARAMETERS))
                       : call(*name->as_string(), params && params->as_array() ? *params->as_array() : Params{});
      outcomes->push_back(r.now);
      waits->push_back(r.later);
    }
    auto finish = [outcomes, waits]() -> std::optional<RpcOutcome> {
      bool done = true;
      for (std::size_t i = 0; i < outcomes->size(); ++i)
        if (!(*outcomes)[i]) {
          (*outcomes)[i] = (*waits)[i]();
          done = done && (*outcomes)[i].has_value();
        }
      if (!done) return std::nullopt;
      rpc::Array results;
      for (const auto& o : *outcomes) {
        if (auto* e = std::get_if<RpcError>(&*o))
          results.push_back(Value::structure({{"faultCode", e->code}, {"faultString", e->text}}));
        else
          results.push_back(Value::array({std::get<Value>(*o)}));
      }
      return RpcOutcome(Value(results));
    };
    if (auto r = finish()) return RpcReply{*r, {}};
    return RpcReply::deferred(finish);
  };
}

// proctor's own namespace, for proctorctl (kept apart from Supervisor's API).
// proctor.getActivePlan: the running configuration as plan JSON (a string),
// which `proctorctl update --dry-run` diffs against the config on disk.
void RpcInterface::add_proctor_methods() {
  methods_["proctor.getActivePlan"] = [this](const Params&) {
    return RpcReply::value(Value(ctx_.supervisor().active_plan().dump()));
  };
  // proctor.updateGroupInPlace(name), for `proctorctl update --minimal` after
  // reloadConfig: true once the group's changed and gone processes have
  // stopped (the changed ones then start again, new ones are added); false
  // when a group-level setting changed and only stop/remove/add applies it.
  methods_["proctor.updateGroupInPlace"] = [this](const Params& p) {
    auto name = str(p, 0);
    if (!name) return bad_params();
    auto& sup = ctx_.supervisor();
    switch (sup.update_in_place(*name)) {
      case runtime::Supervisor::InPlaceResult::kUpdated:
        return RpcReply::deferred([&sup, group = *name]() -> std::optional<RpcOutcome> {
          if (sup.stopping_for_update(group)) return std::nullopt;
          return RpcOutcome(Value(true));
        });
      case runtime::Supervisor::InPlaceResult::kGroupChanged: return RpcReply::value(false);
      case runtime::Supervisor::InPlaceResult::kBadName: break;
    }
    return RpcReply::error(rpc_error(rpc::BAD_NAME, *name));
  };
}

}  // namespace proctor::daemon
