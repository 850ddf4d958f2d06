// proctorctl against Debian's supervisorctl: both drive the same proctord
// and must print the same standard output and exit with the same code.
// Each test starts proctord through proctord_harness.h (mkdtemp directory,
// unix socket only, everything it started killed in TearDown).

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "proctord_harness.h"

namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

struct Result {
  int status;
  std::string out;
  bool operator==(const Result&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Result& r) {
  return os << "exit " << r.status << ", stdout:\n" << r.out;
}

constexpr const char* kPrograms = R"(
[program:sleeper]
command = /bin/sleep 600

[program:ticker]
command = /bin/sh -c "while true; do echo tick; echo tock >&2; sleep 0.2; done"
startsecs = 0

[program:manual]
command = /bin/sleep 600
autostart = false

[group:pool]
programs = worker
[program:worker]
command = /bin/sleep 600
process_name = %(program_name)s_%(process_num)d
numprocs = 2
)";

class ProctorctlParity : public proctord_test::ProctordTest {
 protected:
  void SetUp() override {
    ProctordTest::SetUp();
    if (IsSkipped()) return;
    write_config(kPrograms);
    start();
    wait_for("sleeper", "RUNNING");
    wait_for("pool:worker_1", "RUNNING");
  }

  Result run(const std::string& cmd) {
    // `timeout` bounds every client run (tail -f streams until killed).
    std::string err = (dir_ / "stderr.txt").string();
    auto r = proctor::testing::run_shell("timeout -s INT -k 3 5 " + cmd + " 2>>" + err);
    return {r.status, r.out};
  }
  Result sc(const std::string& args) { return run("/usr/bin/supervisorctl -c " + conf().string() + " " + args); }
  Result pc(const std::string& args) {
    return run(std::string(PROCTORCTL_BIN) + " -c " + conf().string() + " " + args);
  }

  static Result normalise(Result r) {
    static const std::regex uptime("uptime \\d+:\\d\\d:\\d\\d");
    r.out = std::regex_replace(r.out, uptime, "uptime H:MM:SS");
    return r;
  }

  // The order in which proctord finishes stopping a group's processes is
  // the server's (it may differ between two runs); the lines must match.
  static Result sorted_lines(Result r) {
    std::vector<std::string> lines;
    std::istringstream in(r.out);
    for (std::string l; std::getline(in, l);) lines.push_back(l);
    std::sort(lines.begin(), lines.end());
    r.out.clear();
    for (const auto& l : lines) r.out += l + "\n";
    return r;
  }

  void wait_for(const std::string& name, const std::string& state) {
    for (int i = 0; i < 60; ++i) {
      if (sc("status " + name).out.find(state) != std::string::npos) return;
      std::this_thread::sleep_for(100ms);
    }
    FAIL() << name << " never became " << state;
  }

  // Commands that do not change anything: one run each, same result.
  void expect_same(const std::string& args) {
    Result a = normalise(sc(args)), b = normalise(pc(args));
    EXPECT_EQ(a, b) << "command: " << args;
  }

  // A command that changes state: supervisorctl runs it, `undo` restores the
  // state, then proctorctl runs it, and `undo` restores it again.
  void expect_same_from(const std::string& args, const std::string& undo, bool any_order = false) {
    Result a = normalise(sc(args));
    if (!undo.empty()) sc(undo);
    Result b = normalise(pc(args));
    if (!undo.empty()) sc(undo);
    if (any_order) {
      a = sorted_lines(a);
      b = sorted_lines(b);
    }
    EXPECT_EQ(a, b) << "command: " << args;
  }

  // update run by each client from the same daemon state: `prepare` config
  // + supervisorctl update, then `target` config and the command.
  void expect_same_update(const std::string& args, const std::string& prepare, const std::string& target) {
    Result r[2];
    for (int i = 0; i < 2; ++i) {
      write_config(prepare);
      sc("update");
      write_config(target);
      r[i] = i == 0 ? sc(args) : pc(args);
    }
    EXPECT_EQ(sorted_lines(r[0]), sorted_lines(r[1])) << "command: " << args;
  }
};

TEST_F(ProctorctlParity, ReadOnlyCommands) {
  for (const char* args : {"status", "status all", "status sleeper pool:* nosuch nogroup:* pool:nope",
                           "status manual", "avail", "version", "version x", "pid manual", "pid nosuch",
                           "pid all", "pid", "help", "help tail", "help status", "help help", "help nosuch",
                           "nosuchcommand", "", "tail nosuch", "tail sleeper stderr", "tail -5x sleeper",
                           "tail sleeper badchan", "tail", "tail a b c d", "tail -100 manual",
                           "maintail x", "maintail -1 -2", "start", "stop", "restart", "signal",
                           "signal HUP", "clear", "stop nogroup:* nosuch pool:nope",
                           "start nogroup:* nosuch", "signal BOGUS sleeper", "signal CONT nogroup:*",
                           "signal CONT manual", "clear nosuch pool:*", "add nosuch", "remove sleeper",
                           "add sleeper", "remove nosuch", "shutdown x", "reload x", "avail x",
                           "reread x", "reread", "update", "update nosuch", "clear all",
                           "clear sleeper"}) {
    expect_same(args);
  }
}

TEST_F(ProctorctlParity, StartStopRestartSignal) {
  expect_same_from("start manual", "stop manual");
  expect_same_from("start manual sleeper", "stop manual");
  expect_same_from("stop sleeper", "start sleeper");
  expect_same_from("stop sleeper manual", "start sleeper");
  expect_same_from("stop pool:*", "start pool:*", true);
  expect_same_from("start pool:*", "");
  expect_same_from("restart sleeper pool:worker_0", "");
  expect_same_from("restart pool:*", "", true);
  expect_same_from("signal CONT all", "");
  expect_same_from("signal CONT pool:worker_1", "");
  expect_same_from("stop all", "start sleeper ticker pool:*", true);
  sc("stop all");
  expect_same_from("start all", "stop all", true);
  expect_same("status");  // everything stopped: exit 3 from both
}

TEST_F(ProctorctlParity, RereadAndUpdate) {
  const std::string base = kPrograms;
  const std::string with_extra = base + "\n[program:extra]\ncommand = /bin/sleep 600\nautostart = false\n";
  const std::string extra_changed = base + "\n[program:extra]\ncommand = /bin/sleep 601\nautostart = false\n";
  write_config(with_extra);
  expect_same("reread");
  expect_same("avail");
  expect_same_from("add extra", "remove extra");
  sc("add extra");
  expect_same_from("remove extra", "add extra");
  expect_same_update("update", base, with_extra);          // added
  expect_same_update("update", with_extra, base);          // removed
  expect_same_update("update", with_extra, extra_changed); // changed
  expect_same_update("update extra nosuch", with_extra, extra_changed);
  expect_same_update("update all", base, extra_changed);
  write_config(base);
  expect_same("reread");
}

TEST_F(ProctorctlParity, TailFollowAndMaintail) {
  Result a = sc("tail -f ticker"), b = pc("tail -f ticker");
  EXPECT_EQ(a.out.substr(0, a.out.find('\n')), b.out.substr(0, b.out.find('\n')));
  EXPECT_NE(b.out.find("tick"), std::string::npos) << b.out;
  EXPECT_EQ(a.status, b.status);
  b = pc("tail -f ticker stderr");
  EXPECT_NE(b.out.find("tock"), std::string::npos) << b.out;
  b = pc("maintail -f");
  EXPECT_NE(b.out.find("==> Press Ctrl-C to exit <=="), std::string::npos) << b.out;
  EXPECT_EQ(pc("maintail -100").status, 0);
}

TEST_F(ProctorctlParity, ConnectionErrors) {
  std::string missing = "-s unix://" + (dir_ / "nope.sock").string() + " ";
  for (const std::string& args : {missing + "status", missing + "version", missing + "reread",
                                  missing + "shutdown", missing + "start all",
                                  std::string("-s http://127.0.0.1:1 status"),
                                  std::string("-s http://127.0.0.1:1 shutdown"),
                                  std::string("-s http://127.0.0.1:1 avail")}) {
    expect_same(args);
  }
}

TEST_F(ProctorctlParity, JsonOutput) {
  Result r = pc("--json status");
  ASSERT_EQ(r.status, 3) << r;  // manual is STOPPED
  auto status = nlohmann::json::parse(r.out);
  ASSERT_TRUE(status.is_array());
  ASSERT_EQ(status.size(), 5u);
  EXPECT_EQ(status[0]["name"], "manual");
  EXPECT_EQ(status[0]["statename"], "STOPPED");
  for (const char* k : {"name", "group", "start", "stop", "now", "state", "statename", "spawnerr",
                        "exitstatus", "logfile", "stdout_logfile", "stderr_logfile", "pid", "description"})
    EXPECT_TRUE(status[1].contains(k)) << k;

  r = pc("--json start manual nosuch");
  EXPECT_EQ(r.status, 1) << r;
  auto started = nlohmann::json::parse(r.out);
  ASSERT_EQ(started.size(), 2u);
  EXPECT_EQ(started[0], (nlohmann::json{{"name", "manual"}, {"group", "manual"}, {"status", 80}, {"description", "OK"}}));
  EXPECT_EQ(started[1]["status"], 10);

  // Results come back in the order the processes finish stopping, as
  // Supervisor's make_allfunc collects them.
  r = pc("--json stop pool:*");
  auto stopped = nlohmann::json::parse(r.out);
  ASSERT_EQ(stopped.size(), 2u);
  std::set<std::string> names;
  for (const auto& s : stopped) {
    names.insert(s["name"].get<std::string>());
    EXPECT_EQ(s["status"], 80) << s;
  }
  EXPECT_EQ(names, (std::set<std::string>{"worker_0", "worker_1"}));

  write_config(std::string(kPrograms) + "\n[program:extra]\ncommand = /bin/sleep 600\n");
  r = pc("--json reread");
  EXPECT_EQ(nlohmann::json::parse(r.out),
            (nlohmann::json{{"added", {"extra"}}, {"changed", nlohmann::json::array()},
                            {"removed", nlohmann::json::array()}}));
  r = pc("--json pid");
  EXPECT_EQ(nlohmann::json::parse(r.out)["pid"], pid_);
  r = pc("--json version");
  EXPECT_EQ(nlohmann::json::parse(r.out)["version"], "4.2.5");
  r = pc("--json avail");
  auto avail = nlohmann::json::parse(r.out);  // extra is reread but not added yet
  ASSERT_EQ(avail.size(), 6u);
  for (const auto& c : avail) {
    if (c["name"] == "extra") {
      EXPECT_EQ(c["inuse"], false);
    }
  }
  r = pc("--json tail ticker");
  EXPECT_NE(nlohmann::json::parse(r.out)["data"].get<std::string>().find("tick"), std::string::npos);
  r = pc("--json update");
  auto update = nlohmann::json::parse(r.out);
  EXPECT_EQ(update["added"], nlohmann::json({"extra"}));
  EXPECT_EQ(update["log"][0], (nlohmann::json{{"group", "extra"}, {"message", "added process group"}}));
}

TEST_F(ProctorctlParity, UpdateDryRunChangesNothing) {
  Result r = pc("update --dry-run");
  EXPECT_EQ(r, (Result{0, "No config updates to processes\n"}));
  write_config(std::string(kPrograms) + "\n[program:extra]\ncommand = /bin/sleep 600\n");
  std::string before = normalise(sc("status")).out;
  r = pc("update --dry-run");
  EXPECT_EQ(r.status, 0) << r;
  EXPECT_NE(r.out.find("extra: available"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("update would:\n  1. add extra\n  2. start extra (extra)\n"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("nodaemon"), std::string::npos) << r.out;
  r = pc("--json update --dry-run");
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["added"], nlohmann::json({"extra"}));
  EXPECT_EQ(normalise(sc("status")).out, before);
  EXPECT_EQ(sc("avail").out.find("extra                            in use"), std::string::npos);
  // Plain update then applies exactly what the dry run announced.
  EXPECT_EQ(pc("update").out, "extra: added process group\n");
  EXPECT_EQ(pc("update --dry-run").out, "No config updates to processes\n");
}

TEST_F(ProctorctlParity, UsageErrors) {
  Result a = run("/usr/bin/supervisorctl -c " + (dir_ / "missing.conf").string() + " status");
  Result b = run(std::string(PROCTORCTL_BIN) + " -c " + (dir_ / "missing.conf").string() + " status");
  EXPECT_EQ(a.status, 2);
  EXPECT_EQ(b.status, 2);
  EXPECT_EQ(a.out, b.out);  // both say it on stderr
  Result h = run(std::string(PROCTORCTL_BIN) + " -h");
  EXPECT_EQ(h.status, 0);
  EXPECT_NE(h.out.find("--json"), std::string::npos);
}

}  // namespace
