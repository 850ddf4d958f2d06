// The method table and the process-control methods of Supervisor's API.

#include "runtime/daemon/rpc_interface.h"

#include <algorithm>

#include "compiler/model/value_types.h"
#include "runtime/rpc/fault.h"

namespace proctor::daemon {

using rpc::Value;
using runtime::ProcessFsm;
using runtime::ProcessState;

RpcError rpc_error(int code, std::string_view extra) { return {code, rpc::fault_text(code, extra)}; }

namespace {

RpcError bad_params() { return rpc_error(rpc::INCORRECT_PARAMETERS); }

std::optional<std::string> str(const std::vector<Value>& p, std::size_t i) {
  if (i >= p.size() || !p[i].as_string()) return std::nullopt;
  return *p[i].as_string();
}

bool flag(const std::vector<Value>& p, std::size_t i, bool dflt) {
  if (i >= p.size()) return dflt;
  if (auto b = p[i].as_bool()) return *b;
  if (auto n = p[i].as_int()) return *n != 0;
  return dflt;
}

std::string namespec(const ProcessFsm& p) {
  return p.spec().group == p.spec().name ? p.spec().name : p.spec().group + ":" + p.spec().name;
}

Value result_struct(const ProcessFsm& p, int status, const std::string& description) {
  return Value::structure({{"name", p.spec().name},
                           {"group", p.spec().group},
                           {"status", status},
                           {"description", description}});
}

}  // namespace

RpcInterface::RpcInterface(RpcContext& ctx) : ctx_(ctx) {
  add_process_methods();
  add_log_methods();
  add_config_methods();
  add_system_methods();
  add_proctor_methods();
}

std::vector<std::string> RpcInterface::method_names() const {
  std::vector<std::string> names;
  for (const auto& [n, _] : methods_) names.push_back(n);
  return names;
}

RpcReply RpcInterface::call(const std::string& method, const std::vector<Value>& params) {
  auto it = methods_.find(method);
  if (it == methods_.end()) return RpcReply::error(rpc_error(rpc::UNKNOWN_METHOD));
  // _update(): once shutting down, every supervisor.* call is refused.
  if (method.starts_with("supervisor.") && ctx_.supervisor().mood() != runtime::Mood::kRunning)
    return RpcReply::error(rpc_error(rpc::SHUTDOWN_STATE));
  return it->second(params);
}

std::vector<ProcessFsm*> RpcInterface::all_processes(bool lexical) {
  std::vector<ProcessFsm*> out;
  for (const auto& g : ctx_.supervisor().groups())
    for (const auto& p : g->processes) out.push_back(p.get());
  if (lexical)
    std::stable_sort(out.begin(), out.end(), [](const ProcessFsm* a, const ProcessFsm* b) {
      return std::pair(a->spec().group, a->spec().name) < std::pair(b->spec().group, b->spec().name);
    });
  return out;
}

RpcReply RpcInterface::start_process(const std::string& name, bool wait) {
  auto& sup = ctx_.supervisor();
  auto colon = name.find(':');
  std::string gname = name.substr(0, colon);
  bool whole_group = colon != std::string::npos && (name.substr(colon + 1) == "*" || colon + 1 == name.size());
  if (!sup.group(gname)) return RpcReply::error(rpc_error(rpc::BAD_NAME, name));
  if (whole_group) return methods_.at("supervisor.startProcessGroup")({Value(gname), Value(wait)});
  ProcessFsm* p = sup.process(name);
  if (!p) return RpcReply::error(rpc_error(rpc::BAD_NAME, name));
  if (auto bad = ctx_.check_command(*p)) return RpcReply::error(rpc_error(bad->first, bad->second));
  if (runtime::is_running_state(p->state())) return RpcReply::error(rpc_error(rpc::ALREADY_STARTED, name));
  if (p->state() == ProcessState::kUnknown)
    return RpcReply::error(rpc_error(rpc::FAILED, name + " is in an unknown process state"));
  ctx_.execute(sup.start(*p, ctx_.now()));
  if (!p->spawnerr().empty()) return RpcReply::error(rpc_error(rpc::SPAWN_ERROR, name));
  ctx_.execute(sup.tick(ctx_.now()));
  if (!wait || p->state() == ProcessState::kRunning) return RpcReply::value(true);
  return RpcReply::deferred([p, name]() -> std::optional<RpcOutcome> {
    if (!p->spawnerr().empty()) return RpcOutcome(rpc_error(rpc::SPAWN_ERROR, name));
    if (p->state() == ProcessState::kRunning) return RpcOutcome(Value(true));
    if (p->state() != ProcessState::kStarting) return RpcOutcome(rpc_error(rpc::ABNORMAL_TERMINATION, name));
    return std::nullopt;
  });
}

RpcReply RpcInterface::stop_process(const std::string& name, bool wait) {
  auto& sup = ctx_.supervisor();
  auto colon = name.find(':');
  std::string gname = name.substr(0, colon);
  if (!sup.group(gname)) return RpcReply::error(rpc_error(rpc::BAD_NAME, name));
  if (colon != std::string::npos && (name.substr(colon + 1) == "*" || colon + 1 == name.size()))
    return methods_.at("supervisor.stopProcessGroup")({Value(gname), Value(wait)});
  ProcessFsm* p = sup.process(name);
  if (!p) return RpcReply::error(rpc_error(rpc::BAD_NAME, name));
  if (!runtime::is_running_state(p->state())) return RpcReply::error(rpc_error(rpc::NOT_RUNNING, name));
  ctx_.execute(sup.stop(*p, ctx_.now()));
  if (!wait || runtime::is_stopped_state(p->state())) return RpcReply::value(true);
  return RpcReply::deferred([p]() -> std::optional<RpcOutcome> {
    if (runtime::is_stopped_state(p->state())) return RpcOutcome(Value(true));
    return std::nullopt;
  });
}

RpcReply RpcInterface::signal_process(const std::string& name, const Value& sigv) {
  auto& sup = ctx_.supervisor();
  ProcessFsm* p = sup.process(name);
  if (!p) return RpcReply::error(rpc_error(rpc::BAD_NAME, name));
  std::string text = sigv.as_string() ? *sigv.as_string() : std::to_string(sigv.as_int().value_or(-1));
  auto sig = model::signal_number(text);
  if (!sig) return RpcReply::error(rpc_error(rpc::BAD_SIGNAL, text));
  if (p->state() != ProcessState::kRunning && p->state() != ProcessState::kStarting &&
      p->state() != ProcessState::kStopping)
    return RpcReply::error(rpc_error(rpc::NOT_RUNNING, name));
  runtime::Effects effects;
  if (auto why = p->signal(*sig, effects)) return RpcReply::error(rpc_error(rpc::FAILED, *why));
  runtime::TaggedEffects tagged;
  for (auto& e : effects) tagged.push_back({p, e});
  ctx_.execute(tagged);
  return RpcReply::value(true);
}

RpcReply RpcInterface::for_all(const std::vector<ProcessFsm*>& procs,
                               std::function<bool(const ProcessFsm&)> pred,
                               std::function<RpcReply(const std::string&)> one) {
  struct Pending {
    ProcessFsm* p;
    Deferred d;
  };
  auto results = std::make_shared<rpc::Array>();
  auto pending = std::make_shared<std::vector<Pending>>();
  auto record = [results](ProcessFsm* p, const RpcOutcome& o) {
    if (auto* e = std::get_if<RpcError>(&o)) results->push_back(result_struct(*p, e->code, e->text));
    else results->push_back(result_struct(*p, rpc::SUCCESS, "OK"));
  };
  for (ProcessFsm* p : procs) {
    if (!pred(*p)) continue;
    RpcReply r = one(namespec(*p));
    if (r.now) record(p, *r.now);
    else pending->push_back({p, r.later});
  }
  auto poll = [results, pending, record]() -> std::optional<RpcOutcome> {
    for (auto it = pending->begin(); it != pending->end();) {
      if (auto o = it->d()) {
        record(it->p, *o);
        it = pending->erase(it);
      } else {
        ++it;
      }
    }
    if (!pending->empty()) return std::nullopt;
    return RpcOutcome(Value(*results));
  };
  if (pending->empty()) return RpcReply::value(Value(*results));
  return RpcReply::deferred(poll);
}

void RpcInterface::add_process_methods() {
  auto& m = methods_;
  m["supervisor.startProcess"] = [this](const Params& p) {
    auto name = str(p, 0);
    return name ? start_process(*name, flag(p, 1, true)) : RpcReply::error(bad_params());
  };
  m["supervisor.stopProcess"] = [this](const Params& p) {
    auto name = str(p, 0);
    return name ? stop_process(*name, flag(p, 1, true)) : RpcReply::error(bad_params());
  };
  auto group_procs = [this](const std::string& g) {
    std::vector<ProcessFsm*> out;
    if (auto* grp = ctx_.supervisor().group(g))
      for (auto& p : grp->processes) out.push_back(p.get());
    return out;
  };
  auto not_running = [](const ProcessFsm& p) { return !runtime::is_running_state(p.state()); };
  auto running = [](const ProcessFsm& p) { return runtime::is_running_state(p.state()); };
  m["supervisor.startProcessGroup"] = [=, this](const Params& p) {
    auto g = str(p, 0);
    if (!g) return RpcReply::error(bad_params());
    if (!ctx_.supervisor().group(*g)) return RpcReply::error(rpc_error(rpc::BAD_NAME, *g));
    bool wait = flag(p, 1, true);
    return for_all(group_procs(*g), not_running, [=, this](const std::string& n) { return start_process(n, wait); });
  };
  m["supervisor.startAllProcesses"] = [=, this](const Params& p) {
    bool wait = flag(p, 0, true);
    return for_all(all_processes(false), not_running, [=, this](const std::string& n) { return start_process(n, wait); });
  };
  m["supervisor.stopProcessGroup"] = [=, this](const Params& p) {
    auto g = str(p, 0);
    if (!g) return RpcReply::error(bad_params());
    if (!ctx_.supervisor().group(*g)) return RpcReply::error(rpc_error(rpc::BAD_NAME, *g));
    bool wait = flag(p, 1, true);
    return for_all(group_procs(*g), running, [=, this](const std::string& n) { return stop_process(n, wait); });
  };
  m["supervisor.stopAllProcesses"] = [=, this](const Params& p) {
    bool wait = flag(p, 0, true);
    return for_all(all_processes(false), running, [=, this](const std::string& n) { return stop_process(n, wait); });
  };
  auto signallable = [](const ProcessFsm& p) {
    return p.state() == ProcessState::kRunning || p.state() == ProcessState::kStarting ||
           p.state() == ProcessState::kStopping;
  };
  m["supervisor.signalProcess"] = [this](const Params& p) {
    auto name = str(p, 0);
    if (!name || p.size() < 2) return RpcReply::error(bad_params());
    auto colon = name->find(':');
    if (colon != std::string::npos && (name->substr(colon + 1) == "*" || colon + 1 == name->size()))
      return methods_.at("supervisor.signalProcessGroup")({Value(name->substr(0, colon)), p[1]});
    if (!ctx_.supervisor().group(name->substr(0, colon))) return RpcReply::error(rpc_error(rpc::BAD_NAME, *name));
    return signal_process(*name, p[1]);
  };
  m["supervisor.signalProcessGroup"] = [=, this](const Params& p) {
    auto g = str(p, 0);
    if (!g || p.size() < 2) return RpcReply::error(bad_params());
    if (!ctx_.supervisor().group(*g)) return RpcReply::error(rpc_error(rpc::BAD_NAME, *g));
    Value sig = p[1];
    return for_all(group_procs(*g), signallable, [=, this](const std::string& n) { return signal_process(n, sig); });
  };
  m["supervisor.signalAllProcesses"] = [=, this](const Params& p) {
    if (p.empty()) return RpcReply::error(bad_params());
    Value sig = p[0];
    return for_all(all_processes(false), signallable, [=, this](const std::string& n) { return signal_process(n, sig); });
  };
  m["supervisor.getProcessInfo"] = [this](const Params& p) {
    auto name = str(p, 0);
    if (!name) return RpcReply::error(bad_params());
    ProcessFsm* proc = ctx_.supervisor().process(*name);
    if (!proc) return RpcReply::error(rpc_error(rpc::BAD_NAME, *name));
    return RpcReply::value(process_info(*proc));
  };
  m["supervisor.getAllProcessInfo"] = [this](const Params&) {
    rpc::Array out;
    for (ProcessFsm* p : all_processes(true)) out.push_back(process_info(*p));
    return RpcReply::value(Value(out));
  };
}

}  // namespace proctor::daemon
