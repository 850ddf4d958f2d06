// Helpers the proctorctl command files share: supervisorctl's result
// texts, namespec parsing, XML-RPC value access and the help texts.

#include "tools/proctorctl/controller.h"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <iostream>
#include <map>
#include <sstream>

#include "runtime/rpc/fault.h"
#include "tools/proctorctl/controller_support.h"

namespace proctor::ctl {

using rpc::Value;
namespace es = exit_status;

// supervisor.states: STOPPED, EXITED, FATAL, UNKNOWN.
bool stopped_state(int64_t s) { return s == 0 || s == 100 || s == 200 || s == 1000; }

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

bool confirm(const std::string& question) {
  std::cout << question << std::flush;
  std::string answer;
  if (!std::getline(std::cin, answer)) return false;
  return !answer.empty() && (answer[0] == 'y' || answer[0] == 'Y');
}

}  // namespace proctor::ctl
