// Process commands: status, pid, start, stop, restart, signal, fg.

#include "tools/proctorctl/controller.h"

#include <algorithm>
#include <cerrno>
#include <iostream>
#include <thread>

#include "runtime/rpc/fault.h"
#include "tools/proctorctl/controller_support.h"

namespace proctor::ctl {

using rpc::Value;
namespace es = exit_status;

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
