// Log commands: tail (-f), maintail, clear.

#include "tools/proctorctl/controller.h"

#include <cerrno>
#include <csignal>
#include <iostream>

#include "runtime/rpc/fault.h"
#include "tools/proctorctl/controller_support.h"

namespace proctor::ctl {

using rpc::Value;
namespace es = exit_status;

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

}  // namespace proctor::ctl
