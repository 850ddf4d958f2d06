// The command loop, connection and help; the commands live in
// controller_{process,logs,config}.cc by family.

#include "tools/proctorctl/controller.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <iostream>
#include <set>

#include "runtime/rpc/fault.h"
#include "tools/proctorctl/controller_support.h"

namespace proctor::ctl {

using rpc::Value;
namespace es = exit_status;

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

}  // namespace proctor::ctl
