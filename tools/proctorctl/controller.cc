#include "tools/proctorctl/controller.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstring>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "compiler/base/diagnostic_render.h"
#include "compiler/model/host.h"
#include "compiler/plan/diff.h"
#include "compiler/plan/plan_source.h"
#include "runtime/rpc/fault.h"

namespace proctor::ctl {

using rpc::Value;
namespace es = exit_status;

namespace {

// supervisor.states: STOPPED, EXITED, FATAL, UNKNOWN.
bool stopped_state(int64_t s) { return s == 0 || s == 100 || s == 200 || s == 1000; }
constexpr int64_t kRunning = 20;

std::vector<std::string> split(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

bool contains(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

std::string make_namespec(const std::string& group, const std::string& name) {
  return group == name ? name : group + ":" + name;
}

/// supervisor.options.split_namespec: (group, process or nullopt for "g:*").
std::pair<std::string, std::optional<std::string>> split_namespec(const std::string& spec) {
  size_t colon = spec.find(':');
  if (colon == std::string::npos) return {spec, spec};
  std::string group = spec.substr(0, colon), process = spec.substr(colon + 1);
  if (process.empty() || process == "*") return {group, std::nullopt};
  return {group, process};
}

std::string str_of(const Value* v) {
  if (!v) return "";
  if (auto* s = v->as_string()) return *s;
  if (auto i = v->as_int()) return std::to_string(*i);
  if (auto* b = v->as_bytes()) return b->data;
  return "";
}

int64_t int_of(const Value* v) {
  if (!v) return 0;
  if (auto i = v->as_int()) return *i;
  if (auto b = v->as_bool()) return *b;
  return 0;
}

const rpc::Array& array_of(const Value& v) {
  static const rpc::Array empty;
  auto* a = v.as_array();
  return a ? *a : empty;
}

/// Python's repr() of a str, for messages that quote one.
std::string py_repr(const std::string& s) {
  char q = (s.find('\'') != std::string::npos && s.find('"') == std::string::npos) ? '"' : '\'';
  std::string out(1, q);
  for (unsigned char c : s) {
    if (c == '\\') out += "\\\\";
    else if (c == static_cast<unsigned char>(q)) out += std::string("\\") + q;
    else if (c == '\n') out += "\\n";
    else if (c == '\r') out += "\\r";
    else if (c == '\t') out += "\\t";
    else if (c < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else out += char(c);
  }
  return out + q;
}

/// The exception class Python raises for an errno (socket.error subclasses).
const char* py_oserror_class(int err) {
  switch (err) {
    case ECONNREFUSED: return "ConnectionRefusedError";
    case ENOENT: return "FileNotFoundError";
    case EACCES: case EPERM: return "PermissionError";
    case ECONNRESET: return "ConnectionResetError";
    case ECONNABORTED: return "ConnectionAbortedError";
    case EPIPE: return "BrokenPipeError";
    case ETIMEDOUT: return "TimeoutError";
    default: return "OSError";
  }
}

/// A result code supervisorctl's _startresult/_signalresult/_clearresult
/// does not know: it raises ValueError.
struct UnknownResult {
  int code;
  std::string name;
  int line;  ///< where supervisorctl.py raises it
};

std::string start_result(const std::string& name, int code) {
  std::string t = name + ": ERROR (";
  switch (code) {
    case rpc::BAD_NAME: return t + "no such process)";
    case rpc::NO_FILE: return t + "no such file)";
    case rpc::NOT_EXECUTABLE: return t + "file is not executable)";
    case rpc::ALREADY_STARTED: return t + "already started)";
    case rpc::SPAWN_ERROR: return t + "spawn error)";
    case rpc::ABNORMAL_TERMINATION: return t + "abnormal termination)";
    case rpc::SUCCESS: return name + ": started";
  }
  throw UnknownResult{code, name, 761};
}

std::string signal_result(const std::string& name, int code, const std::string& description,
                          const char* success) {
  std::string t = name + ": ERROR (";
  switch (code) {
    case rpc::BAD_NAME: return t + "no such process)";
    case rpc::BAD_SIGNAL: return t + "bad signal name)";
    case rpc::NOT_RUNNING: return t + "not running)";
    case rpc::SUCCESS: return name + ": " + success;
    case rpc::FAILED: return description;
  }
  throw UnknownResult{code, name, 835};
}

std::string clear_result(const std::string& name, int code) {
  switch (code) {
    case rpc::BAD_NAME: return name + ": ERROR (no such process)";
    case rpc::FAILED: return name + ": ERROR (failed)";
    case rpc::SUCCESS: return name + ": cleared";
  }
  throw UnknownResult{code, name, 1260};
}

nlohmann::ordered_json result_json(const std::string& name, const std::string& group, int status,
                                   const std::string& description) {
  return {{"name", name}, {"group", group}, {"status", status}, {"description", description}};
}

nlohmann::ordered_json result_json(const Value& r) {
  return {{"name", str_of(r.member("name"))},
          {"group", str_of(r.member("group"))},
          {"status", int_of(r.member("status"))},
          {"description", str_of(r.member("description"))}};
}

const std::map<std::string, std::vector<std::string>>& help_texts() {
  static const std::map<std::string, std::vector<std::string>> h = {
      {"help", {"help\t\tPrint a list of available actions", "help <action>\tPrint help for <action>"}},
      {"tail",
       {"tail [-f] <name> [stdout|stderr] (default stdout)\nEx:\ntail -f <name>\t\tContinuous tail of "
        "named process stdout\n\t\t\tCtrl-C to exit.\ntail -100 <name>\tlast 100 *bytes* of process "
        "stdout\ntail <name> stderr\tlast 1600 *bytes* of process stderr"}},
      {"maintail",
       {"maintail -f \tContinuous tail of supervisor main log file (Ctrl-C to exit)\nmaintail "
        "-100\tlast 100 *bytes* of supervisord main log file\nmaintail\tlast 1600 *bytes* of "
        "supervisor main log file\n"}},
      {"quit", {"quit\tExit the supervisor shell."}},
      {"exit", {"exit\tExit the supervisor shell."}},
      {"status",
       {"status <name>\t\tGet status for a single process",
        "status <gname>:*\tGet status for all processes in a group",
        "status <name> <name>\tGet status for multiple named processes",
        "status\t\t\tGet all process status info"}},
      {"pid",
       {"pid\t\t\tGet the PID of supervisord.", "pid <name>\t\tGet the PID of a single child process by name.",
        "pid all\t\t\tGet the PID of every child process, one per line."}},
      {"start",
       {"start <name>\t\tStart a process", "start <gname>:*\t\tStart all processes in a group",
        "start <name> <name>\tStart multiple processes or groups", "start all\t\tStart all processes"}},
      {"stop",
       {"stop <name>\t\tStop a process", "stop <gname>:*\t\tStop all processes in a group",
        "stop <name> <name>\tStop multiple processes or groups", "stop all\t\tStop all processes"}},
      {"signal",
       {"signal <signal name> <name>\t\tSignal a process",
        "signal <signal name> <gname>:*\t\tSignal all processes in a group",
        "signal <signal name> <name> <name>\tSignal multiple processes or groups",
        "signal <signal name> all\t\tSignal all processes"}},
      {"restart",
       {"restart <name>\t\tRestart a process", "restart <gname>:*\tRestart all processes in a group",
        "restart <name> <name>\tRestart multiple processes or groups", "restart all\t\tRestart all processes",
        "Note: restart does not reread config files. For that, see reread and update."}},
      {"shutdown", {"shutdown \tShut the remote supervisord down."}},
      {"reload", {"reload \t\tRestart the remote supervisord."}},
      {"avail", {"avail\t\t\tDisplay all configured processes"}},
      {"reread", {"reread \t\t\tReload the daemon's configuration files without add/remove"}},
      {"add", {"add <name> [...]\tActivates any updates in config for process/group"}},
      {"remove", {"remove <name> [...]\tRemoves process/group from active config"}},
      {"update",
       {"update\t\t\tReload config and add/remove as necessary, and will restart affected programs",
        "update all\t\tReload config and add/remove as necessary, and will restart affected programs",
        "update <gname> [...]\tUpdate specific groups"}},
      {"clear",
       {"clear <name>\t\tClear a process' log files.", "clear <name> <name>\tClear multiple process' log files",
        "clear all\t\tClear all process' log files"}},
      {"open",
       {"open <url>\tConnect to a remote supervisord process.",
        "\t\t(for UNIX domain socket, use unix:///socket/path)"}},
      {"version", {"version\t\t\tShow the version of the remote supervisord process"}},
      {"fg", {"fg <process>\tConnect to a process in foreground mode", "\t\tCtrl-C to exit"}},
  };
  return h;
}

volatile std::sig_atomic_t g_interrupted = 0;
void on_sigint(int) { g_interrupted = 1; }

}  // namespace

nlohmann::ordered_json to_json(const Value& v) {
  switch (v.kind()) {
    case Value::Kind::kNil: return nullptr;
    case Value::Kind::kBool: return *v.as_bool();
    case Value::Kind::kInt: return *v.as_int();
    case Value::Kind::kDouble: return *v.as_double();
    case Value::Kind::kString: return *v.as_string();
    case Value::Kind::kBytes: return v.as_bytes()->data;
    case Value::Kind::kArray: {
      auto a = nlohmann::ordered_json::array();
      for (const auto& item : *v.as_array()) a.push_back(to_json(item));
      return a;
    }
    case Value::Kind::kStruct: {
      auto o = nlohmann::ordered_json::object();
      for (const auto& [k, m] : *v.as_struct()) o[k] = to_json(m);
      return o;
    }
  }
  return nullptr;
}

Controller::Controller(ControllerOptions options) : options_(std::move(options)), rpc_(options_.server) {}

void Controller::output(const std::string& message) {
  std::cout << message << '\n';
  std::cout.flush();
}

void Controller::emit(const json& j) {
  std::cout << j.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << '\n';
  std::cout.flush();
}

void Controller::note(const std::string& message) { std::cerr << message << '\n'; }

void Controller::set_exitstatus_from_fault(int code, std::optional<int> ignored) {
  if ((ignored && code == *ignored) || code == rpc::SUCCESS) return;
  if (code == rpc::SPAWN_ERROR || code == rpc::ABNORMAL_TERMINATION || code == rpc::NOT_RUNNING)
    exitstatus = es::kNotRunning;
  else
    exitstatus = es::kGeneric;
}

Value Controller::call(const std::string& method, const std::vector<Value>& params) {
  return rpc_.call(method, params);
}

bool Controller::upcheck() {
  try {
    Value api = call("supervisor.getVersion");
    std::string v = str_of(&api);
    if (v != "3.0") {
      say("Sorry, this version of supervisorctl expects to talk to a server with API version 3.0, "
          "but the remote version is " + v + ".");
      exitstatus = es::kNotInstalled;
      return false;
    }
  } catch (const RpcFault& f) {
    if (f.code == rpc::UNKNOWN_METHOD) {
      say("Sorry, supervisord responded but did not recognize the supervisor namespace commands that "
          "supervisorctl uses to control it.  Please check that the [rpcinterface:supervisor] section "
          "is enabled in the configuration file (see sample.conf).");
      exitstatus = es::kUnimplemented;
      return false;
    }
    exitstatus = es::kGeneric;
    throw;
  } catch (const TransportError& e) {
    if (e.http_status == 0 && e.err == ECONNREFUSED) {
      say(options_.server.serverurl + " refused connection");
      exitstatus = es::kInsufficientPrivileges;
      return false;
    }
    if (e.http_status == 0 && e.err == ENOENT) {
      say(options_.server.serverurl + " no such file");
      exitstatus = es::kNotRunning;
      return false;
    }
    exitstatus = es::kGeneric;
    throw;
  }
  return true;
}

bool Controller::onecmd(const std::string& raw) {
  // cmd.Cmd.parseline
  std::string line = raw;
  auto notspace = [](unsigned char c) { return !std::isspace(c); };
  line.erase(line.begin(), std::find_if(line.begin(), line.end(), notspace));
  line.erase(std::find_if(line.rbegin(), line.rend(), notspace).base(), line.end());
  if (line.empty()) return false;
  if (line[0] == '?') line = "help " + line.substr(1);
  size_t i = 0;
  while (i < line.size() && (std::isalnum(static_cast<unsigned char>(line[i])) || line[i] == '_')) ++i;
  std::string cmd = line.substr(0, i), arg = line.substr(i);
  arg.erase(arg.begin(), std::find_if(arg.begin(), arg.end(), notspace));
  auto unknown = [&] {
    say("*** Unknown syntax: " + line);
    exitstatus = es::kGeneric;
    return false;
  };
  if (cmd.empty()) return unknown();
  static const std::set<std::string> known = {
      "help", "EOF", "status", "pid", "start", "stop", "restart", "signal", "tail", "maintail", "quit",
      "exit", "shutdown", "reload", "avail", "reread", "add", "remove", "update", "clear", "open",
      "version", "fg"};
  if (!known.count(cmd)) return unknown();
  auto run = [&]() -> bool {
    if (cmd == "help") do_help(arg);
    else if (cmd == "EOF" || cmd == "quit" || cmd == "exit") {
      if (!options_.json) output("");
      return true;
    } else if (cmd == "status") do_status(arg);
    else if (cmd == "pid") do_pid(arg);
    else if (cmd == "start") {
      json results = json::array();
      do_start(arg, options_.json ? &results : nullptr);
      if (options_.json) emit(results);
    } else if (cmd == "stop") {
      json results = json::array();
      do_stop(arg, options_.json ? &results : nullptr);
      if (options_.json) emit(results);
    } else if (cmd == "restart") do_restart(arg);
    else if (cmd == "signal") do_signal(arg);
    else if (cmd == "tail") do_tail(arg);
    else if (cmd == "maintail") do_maintail(arg);
    else if (cmd == "shutdown") do_shutdown(arg);
    else if (cmd == "reload") do_reload(arg);
    else if (cmd == "avail") do_avail(arg);
    else if (cmd == "reread") do_reread(arg);
    else if (cmd == "add") do_add(arg);
    else if (cmd == "remove") do_remove(arg);
    else if (cmd == "update") do_update(arg);
    else if (cmd == "clear") do_clear(arg);
    else if (cmd == "open") do_open(arg);
    else if (cmd == "version") do_version(arg);
    else if (cmd == "fg") do_fg(arg);
    return false;
  };
  auto error_line = [&](const std::string& cls, const std::string& what, const std::string& where) {
    say("error: <class '" + cls + "'>, " + what + ": file: " + where);
    exitstatus = es::kGeneric;
  };
  try {
    try {
      return run();
    } catch (const TransportError& e) {
      if (e.http_status == 401) {
        say("Server requires authentication");
        exitstatus = es::kGeneric;
        // supervisorctl then runs the command once more, which fails again.
      }
      throw;
    }
  } catch (const TransportError& e) {
    if (e.http_status != 0) {
      error_line("xmlrpc.client.ProtocolError",
                 "<ProtocolError for 127.0.0.1/RPC2: " + std::to_string(e.http_status) + " " + e.reason + ">",
                 "/usr/lib/python3/dist-packages/supervisor/xmlrpc.py line: 539");
    } else if (e.err == EPROTO || e.err == EINVAL) {
      error_line("xmlrpc.client.ResponseError", py_repr(e.message), "proctorctl");
    } else {
      bool unix_socket = options_.server.serverurl.starts_with("unix://");
      error_line(py_oserror_class(e.err), "[Errno " + std::to_string(e.err) + "] " + std::strerror(e.err),
                 unix_socket ? "/usr/lib/python3/dist-packages/supervisor/xmlrpc.py line: 557"
                             : "/usr/lib/python3.11/socket.py line: 836");
    }
  } catch (const RpcFault& f) {
    error_line("xmlrpc.client.Fault", "<Fault " + std::to_string(f.code) + ": " + py_repr(f.text) + ">",
               "/usr/lib/python3.11/xmlrpc/client.py line: 668");
  } catch (const UnknownResult& u) {
    error_line("ValueError", "Unknown result code " + std::to_string(u.code) + " for " + u.name,
               "/usr/lib/python3/dist-packages/supervisor/supervisorctl.py line: " + std::to_string(u.line));
  }
  return false;
}

bool Controller::help_for(const std::string& topic) {
  auto& h = help_texts();
  auto it = h.find(topic);
  if (it == h.end()) return false;
  for (const auto& l : it->second) output(l);
  return true;
}

void Controller::do_help(const std::string& arg) {
  std::string a = arg;
  while (!a.empty() && std::isspace(static_cast<unsigned char>(a.back()))) a.pop_back();
  if (a == "help") {
    help_for("help");
    return;
  }
  if (!a.empty()) {
    if (!help_for(a)) output("*** No help on " + a);
    return;
  }
  output("");
  output("default commands (type help <topic>):");
  output("=====================================");
  output("add    exit      open  reload  restart   start   tail   ");
  output("avail  fg        pid   remove  shutdown  status  update ");
  output("clear  maintail  quit  reread  signal    stop    version");
  output("");
}

void Controller::do_status(const std::string& arg) {
  if (!upcheck()) {
    exitstatus = es::kStatusUnknown;
    return;
  }
  Value all = call("supervisor.getAllProcessInfo");
  std::vector<std::string> names = split(arg);
  std::vector<const Value*> matching;
  if (names.empty() || contains(names, "all")) {
    for (const auto& info : array_of(all)) matching.push_back(&info);
  } else {
    for (const auto& name : names) {
      bool bad = true;
      auto [group, process] = split_namespec(name);
      for (const auto& info : array_of(all)) {
        bool matched = str_of(info.member("group")) == group;
        if (process) matched = matched && str_of(info.member("name")) == *process;
        if (matched) {
          bad = false;
          matching.push_back(&info);
        }
      }
      if (bad) {
        say(process ? name + ": ERROR (no such process)" : group + ": ERROR (no such group)");
        exitstatus = es::kStatusUnknown;
      }
    }
  }
  if (options_.json) {
    json out = json::array();
    for (const Value* info : matching) out.push_back(to_json(*info));
    emit(out);
  } else {
    std::vector<std::string> specs;
    size_t maxlen = 30;
    for (const Value* info : matching) {
      specs.push_back(make_namespec(str_of(info->member("group")), str_of(info->member("name"))));
      maxlen = std::max(maxlen, specs.back().size());
    }
    for (size_t k = 0; k < matching.size(); ++k) {
      std::string l = specs[k];
      l.resize(std::max(l.size(), maxlen + 3), ' ');
      std::string state = str_of(matching[k]->member("statename"));
      state.resize(std::max<size_t>(state.size(), 10), ' ');
      output(l + state + str_of(matching[k]->member("description")));
    }
  }
  for (const Value* info : matching)
    if (stopped_state(int_of(info->member("state")))) exitstatus = es::kStatusNotRunning;
}

void Controller::do_pid(const std::string& arg) {
  if (!upcheck()) return;
  std::vector<std::string> names = split(arg);
  if (names.empty()) {
    Value pid = call("supervisor.getPID");
    if (options_.json) emit(json{{"pid", int_of(&pid)}});
    else output(std::to_string(int_of(&pid)));
    return;
  }
  json out = json::array();
  if (contains(names, "all")) {
    Value listed = call("supervisor.getAllProcessInfo");
    for (const auto& info : array_of(listed)) {
      if (options_.json)
        out.push_back({{"name", make_namespec(str_of(info.member("group")), str_of(info.member("name")))},
                       {"pid", int_of(info.member("pid"))}});
      else
        output(std::to_string(int_of(info.member("pid"))));
    }
  } else {
    for (const auto& name : names) {
      try {
        Value info = call("supervisor.getProcessInfo", {name});
        int64_t pid = int_of(info.member("pid"));
        if (options_.json) out.push_back({{"name", name}, {"pid", pid}});
        else output(std::to_string(pid));
        if (pid == 0) exitstatus = es::kNotRunning;
      } catch (const RpcFault& f) {
        exitstatus = es::kGeneric;
        if (f.code != rpc::BAD_NAME) throw;
        say("No such process " + name);
        if (options_.json) out.push_back({{"name", name}, {"pid", nullptr}, {"error", f.text}});
      }
    }
  }
  if (options_.json) emit(out);
}

void Controller::do_start(const std::string& arg, json* collect) {
  if (!upcheck()) return;
  std::vector<std::string> names = split(arg);
  if (names.empty()) {
    say("Error: start requires a process name");
    exitstatus = es::kInvalidArgs;
    if (!options_.json) help_for("start");
    return;
  }
  auto report = [&](const std::string& name, const std::string& group, int code, const std::string& desc) {
    std::string line = start_result(make_namespec(group, name), code);
    if (collect) collect->push_back(result_json(name, group, code, desc));
    else output(line);
    set_exitstatus_from_fault(code, rpc::ALREADY_STARTED);
  };
  auto report_all = [&](const Value& results) {
    for (const auto& r : array_of(results))
      report(str_of(r.member("name")), str_of(r.member("group")), int(int_of(r.member("status"))),
             str_of(r.member("description")));
  };
  if (contains(names, "all")) {
    report_all(call("supervisor.startAllProcesses"));
    return;
  }
  for (const auto& name : names) {
    auto [group, process] = split_namespec(name);
    if (!process) {
      try {
        report_all(call("supervisor.startProcessGroup", {group}));
      } catch (const RpcFault& f) {
        if (f.code != rpc::BAD_NAME) {
          exitstatus = es::kGeneric;
          throw;
        }
        say(group + ": ERROR (no such group)");
        if (collect) collect->push_back(result_json(group, group, f.code, f.text));
        exitstatus = es::kInvalidArgs;
      }
    } else {
      try {
        call("supervisor.startProcess", {name});
        if (collect) collect->push_back(result_json(*process, group, rpc::SUCCESS, "OK"));
        else output(make_namespec(group, *process) + ": started");
      } catch (const RpcFault& f) {
        report(*process, group, f.code, f.text);
      }
    }
  }
}

void Controller::do_stop(const std::string& arg, json* collect) {
  if (!upcheck()) return;
  std::vector<std::string> names = split(arg);
  if (names.empty()) {
    say("Error: stop requires a process name");
    exitstatus = es::kGeneric;
    if (!options_.json) help_for("stop");
    return;
  }
  auto report = [&](const std::string& name, const std::string& group, int code, const std::string& desc) {
    std::string line = signal_result(make_namespec(group, name), code, desc, "stopped");
    if (collect) collect->push_back(result_json(name, group, code, desc));
    else output(line);
    set_exitstatus_from_fault(code, rpc::NOT_RUNNING);
  };
  auto report_all = [&](const Value& results) {
    for (const auto& r : array_of(results))
      report(str_of(r.member("name")), str_of(r.member("group")), int(int_of(r.member("status"))),
             str_of(r.member("description")));
  };
  if (contains(names, "all")) {
    report_all(call("supervisor.stopAllProcesses"));
    return;
  }
  for (const auto& name : names) {
    auto [group, process] = split_namespec(name);
    if (!process) {
      try {
        report_all(call("supervisor.stopProcessGroup", {group}));
      } catch (const RpcFault& f) {
        exitstatus = es::kGeneric;
        if (f.code != rpc::BAD_NAME) throw;
        say(group + ": ERROR (no such group)");
        if (collect) collect->push_back(result_json(group, group, f.code, f.text));
      }
    } else {
      try {
        call("supervisor.stopProcess", {name});
        if (collect) collect->push_back(result_json(*process, group, rpc::SUCCESS, "OK"));
        else output(make_namespec(group, *process) + ": stopped");
      } catch (const RpcFault& f) {
        report(*process, group, f.code, f.text);
      }
    }
  }
}

void Controller::do_restart(const std::string& arg) {
  if (!upcheck()) return;
  if (split(arg).empty()) {
    say("Error: restart requires a process name");
    exitstatus = es::kGeneric;
    if (!options_.json) help_for("restart");
    return;
  }
  if (!options_.json) {
    do_stop(arg);
    do_start(arg);
    return;
  }
  json stopped = json::array(), started = json::array();
  do_stop(arg, &stopped);
  do_start(arg, &started);
  emit(json{{"stop", stopped}, {"start", started}});
}

void Controller::do_signal(const std::string& arg) {
  if (!upcheck()) return;
  std::vector<std::string> args = split(arg);
  if (args.size() < 2) {
    say("Error: signal requires a signal name and a process name");
    if (!options_.json) help_for("signal");
    exitstatus = es::kGeneric;
    return;
  }
  std::string sig = args[0];
  std::vector<std::string> names(args.begin() + 1, args.end());
  json out = json::array();
  auto report = [&](const std::string& name, const std::string& group, int code, const std::string& desc) {
    std::string line = signal_result(make_namespec(group, name), code, desc, "signalled");
    if (options_.json) out.push_back(result_json(name, group, code, desc));
    else output(line);
    set_exitstatus_from_fault(code);
  };
  auto report_all = [&](const Value& results) {
    for (const auto& r : array_of(results))
      report(str_of(r.member("name")), str_of(r.member("group")), int(int_of(r.member("status"))),
             str_of(r.member("description")));
  };
  if (contains(names, "all")) {
    report_all(call("supervisor.signalAllProcesses", {sig}));
  } else {
    for (const auto& name : names) {
      auto [group, process] = split_namespec(name);
      if (!process) {
        try {
          report_all(call("supervisor.signalProcessGroup", {group, sig}));
        } catch (const RpcFault& f) {
          if (f.code != rpc::BAD_NAME) throw;
          say(group + ": ERROR (no such group)");
          if (options_.json) out.push_back(result_json(group, group, f.code, f.text));
          exitstatus = es::kGeneric;
        }
      } else {
        try {
          call("supervisor.signalProcess", {name, sig});
          if (options_.json) out.push_back(result_json(*process, group, rpc::SUCCESS, "OK"));
          else output(make_namespec(group, *process) + ": signalled");
        } catch (const RpcFault& f) {
          report(*process, group, f.code, f.text);
        }
      }
    }
  }
  if (options_.json) emit(out);
}

void Controller::tailf(const std::string& path) {
  say("==> Press Ctrl-C to exit <==");
  g_interrupted = 0;
  struct sigaction sa{}, old{};
  sa.sa_handler = on_sigint;
  ::sigaction(SIGINT, &sa, &old);  // no SA_RESTART: a read returns EINTR
  RpcClient stream_client(options_.server);
  try {
    stream_client.stream(path, [&](std::string_view data) {
      if (options_.json) {
        std::cout << json{{"data", std::string(data)}}.dump(-1, ' ', false,
                                                           json::error_handler_t::replace)
                  << '\n';
      } else {
        std::cout << data;
      }
      std::cout.flush();
      return g_interrupted == 0;
    });
  } catch (const TransportError& e) {
    ::sigaction(SIGINT, &old, nullptr);
    if (g_interrupted) {
      if (!options_.json) output("");
      return;
    }
    // supervisorctl's asyncore client prints the status line of a refusal
    // (e.g. 401) and stops; connection errors end the loop silently.
    if (e.http_status) say(std::to_string(e.http_status) + " " + e.reason);
    exitstatus = es::kGeneric;
    return;
  }
  ::sigaction(SIGINT, &old, nullptr);
  if (g_interrupted && !options_.json) output("");
}

void Controller::do_tail(const std::string& arg) {
  if (!upcheck()) return;
  std::vector<std::string> args = split(arg);
  if (args.empty() || args.size() > 3) {
    say(args.empty() ? "Error: too few arguments" : "Error: too many arguments");
    exitstatus = es::kGeneric;
    if (!options_.json) help_for("tail");
    return;
  }
  std::optional<std::string> modifier;
  if (args[0].starts_with("-")) {
    modifier = args[0];
    args.erase(args.begin());
  }
  std::string name, channel = "stdout";
  if (args.size() == 1) {
    name = args.back();
  } else if (!args.empty()) {
    name = args[0];
    channel = args.back();
    for (char& c : channel) c = char(std::tolower(static_cast<unsigned char>(c)));
    if (channel != "stderr" && channel != "stdout") {
      say("Error: bad channel " + py_repr(channel));
      exitstatus = es::kGeneric;
      return;
    }
  } else {
    say("Error: tail requires process name");
    exitstatus = es::kGeneric;
    return;
  }
  int64_t bytes = 1600;
  bool follow = false;
  if (modifier) {
    std::string what = modifier->substr(1);
    if (what == "f") {
      follow = true;
    } else {
      try {
        size_t used = 0;
        bytes = std::stoll(what, &used);
        if (used != what.size()) throw std::invalid_argument(what);
      } catch (...) {
        say("Error: bad argument " + *modifier);
        exitstatus = es::kGeneric;
        return;
      }
    }
  }
  if (follow) return tailf("/logtail/" + name + "/" + channel);
  try {
    Value out = call(channel == "stdout" ? "supervisor.readProcessStdoutLog" : "supervisor.readProcessStderrLog",
                     {name, -bytes, 0});
    if (options_.json) emit(json{{"name", name}, {"channel", channel}, {"data", str_of(&out)}});
    else output(str_of(&out));
  } catch (const RpcFault& f) {
    exitstatus = es::kGeneric;
    if (f.code == rpc::NO_FILE) say(name + ": ERROR (no log file)");
    else if (f.code == rpc::FAILED) say(name + ": ERROR (unknown error reading log)");
    else if (f.code == rpc::BAD_NAME) say(name + ": ERROR (no such process name)");
    else throw;
  }
}

void Controller::do_maintail(const std::string& arg) {
  if (!upcheck()) return;
  std::vector<std::string> args = split(arg);
  int64_t bytes = 1600;
  if (args.size() > 1) {
    say("Error: too many arguments");
    exitstatus = es::kGeneric;
    if (!options_.json) help_for("maintail");
    return;
  }
  if (args.size() == 1) {
    if (!args[0].starts_with("-")) {
      say("Error: bad argument " + args[0]);
      exitstatus = es::kGeneric;
      return;
    }
    std::string what = args[0].substr(1);
    if (what == "f") return tailf("/mainlogtail");
    try {
      size_t used = 0;
      bytes = std::stoll(what, &used);
      if (used != what.size()) throw std::invalid_argument(what);
    } catch (...) {
      say("Error: bad argument " + args[0]);
      exitstatus = es::kGeneric;
      return;
    }
  }
  try {
    Value out = call("supervisor.readLog", {-bytes, 0});
    if (options_.json) emit(json{{"data", str_of(&out)}});
    else output(str_of(&out));
  } catch (const RpcFault& f) {
    exitstatus = es::kGeneric;
    if (f.code == rpc::NO_FILE) say("supervisord: ERROR (no log file)");
    else if (f.code == rpc::FAILED) say("supervisord: ERROR (unknown error reading log)");
    else throw;
  }
}

namespace {
bool confirm(const std::string& question) {
  std::cout << question << std::flush;
  std::string answer;
  if (!std::getline(std::cin, answer)) return false;
  return !answer.empty() && (answer[0] == 'y' || answer[0] == 'Y');
}
}  // namespace

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

void Controller::do_clear(const std::string& arg) {
  if (!upcheck()) return;
  std::vector<std::string> names = split(arg);
  if (names.empty()) {
    say("Error: clear requires a process name");
    exitstatus = es::kGeneric;
    if (!options_.json) help_for("clear");
    return;
  }
  json out = json::array();
  auto report = [&](const std::string& name, const std::string& group, int code, const std::string& desc) {
    std::string line = clear_result(make_namespec(group, name), code);
    if (options_.json) out.push_back(result_json(name, group, code, desc));
    else output(line);
    set_exitstatus_from_fault(code);
  };
  if (contains(names, "all")) {
    Value listed = call("supervisor.clearAllProcessLogs");
    for (const auto& r : array_of(listed))
      report(str_of(r.member("name")), str_of(r.member("group")), int(int_of(r.member("status"))),
             str_of(r.member("description")));
  } else {
    for (const auto& name : names) {
      auto [group, process] = split_namespec(name);
      std::string pname = process.value_or("None");
      try {
        call("supervisor.clearProcessLogs", {name});
        if (options_.json) out.push_back(result_json(pname, group, rpc::SUCCESS, "OK"));
        else output(make_namespec(group, pname) + ": cleared");
      } catch (const RpcFault& f) {
        report(pname, group, f.code, f.text);
      }
    }
  }
  if (options_.json) emit(out);
}

void Controller::do_open(const std::string& arg) {
  std::string url = arg;
  while (!url.empty() && std::isspace(static_cast<unsigned char>(url.back()))) url.pop_back();
  if (!url.starts_with("unix:") && !url.starts_with("http:")) {
    say("ERROR: url must be http:// or unix://");
    exitstatus = es::kGeneric;
    return;
  }
  options_.server.serverurl = url;
  rpc_ = RpcClient(options_.server);
  int old = exitstatus;
  do_status("");
  exitstatus = old;
}

void Controller::do_version(const std::string& arg) {
  if (!arg.empty()) {
    say("Error: version accepts no arguments");
    exitstatus = es::kGeneric;
    if (!options_.json) help_for("version");
    return;
  }
  if (!upcheck()) return;
  Value v = call("supervisor.getSupervisorVersion");
  if (options_.json) emit(json{{"version", str_of(&v)}});
  else output(str_of(&v));
}

void Controller::do_fg(const std::string& arg) {
  if (!upcheck()) return;
  std::vector<std::string> names = split(arg);
  if (names.empty()) {
    say("ERROR: no process name supplied");
    exitstatus = es::kGeneric;
    help_for("fg");
    return;
  }
  if (names.size() > 1) {
    say("ERROR: too many process names supplied");
    exitstatus = es::kGeneric;
    return;
  }
  const std::string& name = names[0];
  Value info;
  try {
    info = call("supervisor.getProcessInfo", {name});
  } catch (const RpcFault& f) {
    if (f.code == rpc::BAD_NAME) {
      say("ERROR: bad process name supplied");
      exitstatus = es::kGeneric;
    } else {
      say("ERROR: <Fault " + std::to_string(f.code) + ": " + py_repr(f.text) + ">");
    }
    return;
  }
  if (int_of(info.member("state")) != kRunning) {
    say("ERROR: process not running");
    exitstatus = es::kGeneric;
    return;
  }
  output("==> Press Ctrl-C to exit <==");
  // Two followers copy the process's stdout and stderr logs; they run until
  // the process exits or proctorctl does (detached: a blocking read cannot
  // be interrupted portably, and exit() ends them).
  for (const char* channel : {"stdout", "stderr"}) {
    std::thread([server = options_.server, path = "/logtail/" + name + "/" + channel] {
      try {
        RpcClient c(server);
        c.stream(path, [](std::string_view data) {
          std::cout << data << std::flush;
          return true;
        });
      } catch (...) {
      }
    }).detach();
  }
  for (std::string line; std::getline(std::cin, line);) {
    try {
      call("supervisor.sendProcessStdin", {name, line + "\n"});
    } catch (const RpcFault& f) {
      if (f.code == rpc::NOT_RUNNING) output("Process got killed");
      else output("ERROR: <Fault " + std::to_string(f.code) + ": " + py_repr(f.text) + ">");
      output("Exiting foreground");
      return;
    }
    Value now = call("supervisor.getProcessInfo", {name});
    if (int_of(now.member("state")) != kRunning) {
      output("Process got killed");
      output("Exiting foreground");
      return;
    }
  }
  output("Exiting foreground");
}

}  // namespace proctor::ctl
