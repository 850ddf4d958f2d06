// proctord driven by Debian's unmodified supervisorctl, on real processes.
// Expected texts are what supervisorctl prints against Supervisor 4.2.5's
// own supervisord on the same config; each test also checks the effect on
// the processes themselves (/proc, pids, log files).

#include "proctord_harness.h"

#include <algorithm>
#include <regex>

namespace proctord_test {
namespace {

constexpr const char* kPrograms = R"(
[program:sleeper]
command = /bin/sleep 600

[program:ticker]
command = /bin/sh -c "while true; do echo tick; echo tock >&2; sleep 0.2; done"
startsecs = 0

[program:manual]
command = /bin/sleep 600
autostart = false

[program:trap]
command = /bin/sh -c "trap 'echo got-usr1' USR1; while true; do sleep 0.1; done"
startsecs = 0

[program:family]
command = /bin/sh -c "/bin/sleep 600 & wait"
startsecs = 0
stopasgroup = true

[group:pool]
programs = worker
[program:worker]
command = /bin/sleep 600
process_name = %(program_name)s_%(process_num)d
numprocs = 2
)";

class Supervisorctl : public ProctordTest {
 protected:
  void SetUp() override {
    ProctordTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    write_config(kPrograms);
    start();
  }

  int count(const std::string& hay, const std::string& needle) {
    int n = 0;
    for (auto at = hay.find(needle); at != std::string::npos; at = hay.find(needle, at + 1)) ++n;
    return n;
  }

  fs::path auto_log(const std::string& name, const std::string& channel) {
    for (const auto& e : fs::directory_iterator(dir_))
      if (e.path().filename().string().rfind(name + "-" + channel + "---", 0) == 0) return e.path();
    return {};
  }
};

TEST_F(Supervisorctl, StatusPidVersionAvailAndExitCodes) {
  wait_state("sleeper", "RUNNING");
  Result st = ctl("status");
  EXPECT_EQ(st.status, 3) << st.out;  // `manual` is stopped
  EXPECT_NE(st.out.find("manual                           STOPPED   Not started\n"), std::string::npos) << st.out;
  EXPECT_TRUE(std::regex_search(st.out, std::regex("sleeper                          RUNNING   pid \\d+, uptime 0:00:0\\d\n")))
      << st.out;
  EXPECT_NE(st.out.find("pool:worker_0                    RUNNING"), std::string::npos) << st.out;
  EXPECT_EQ(ctl("status sleeper").status, 0);
  Result bad = ctl("status nosuch");
  EXPECT_EQ(bad.out, "nosuch: ERROR (no such process)\n");
  EXPECT_EQ(bad.status, 4);

  Result daemon_pid = ctl("pid");
  EXPECT_EQ(daemon_pid.out, std::to_string(pid_) + "\n");
  EXPECT_EQ(daemon_pid.status, 0);
  int sleeper = pid_of("sleeper");
  EXPECT_TRUE(alive(sleeper));
  EXPECT_EQ(proc_info(sleeper)->ppid, pid_);
  EXPECT_EQ(proc_info(sleeper)->pgid, sleeper);  // each program leads its own process group
  Result manual = ctl("pid manual");
  EXPECT_EQ(manual.out, "0\n");
  EXPECT_EQ(manual.status, 7);
  Result all = ctl("pid all");
  EXPECT_EQ(count(all.out, "\n"), 7) << all.out;
  EXPECT_NE(all.out.find(std::to_string(sleeper) + "\n"), std::string::npos);
  EXPECT_EQ(ctl("pid nosuch").out, "No such process nosuch\n");

  Result v = ctl("version");
  EXPECT_EQ(v.out, "4.2.5\n");
  EXPECT_EQ(v.status, 0);
  Result avail = ctl("avail");
  EXPECT_NE(avail.out.find("manual                           in use    manual    999:999\n"), std::string::npos)
      << avail.out;
  EXPECT_NE(avail.out.find("pool:worker_1                    in use    auto      999:999\n"), std::string::npos)
      << avail.out;
}

TEST_F(Supervisorctl, StartStopRestartNamesGroupsAndAll) {
  wait_state("sleeper", "RUNNING");
  int before = pid_of("sleeper");
  EXPECT_EQ(ctl("stop sleeper").out, "sleeper: stopped\n");
  EXPECT_FALSE(alive(before));
  EXPECT_EQ(ctl("stop sleeper").out, "sleeper: ERROR (not running)\n");
  Result started = ctl("start sleeper");
  EXPECT_EQ(started.out, "sleeper: started\n");
  EXPECT_EQ(started.status, 0);
  int after = pid_of("sleeper");
  EXPECT_NE(before, after);
  EXPECT_TRUE(alive(after));
  EXPECT_EQ(ctl("start sleeper").out, "sleeper: ERROR (already started)\n");
  Result nosuch = ctl("start nosuch");
  EXPECT_EQ(nosuch.out, "nosuch: ERROR (no such process)\n");
  EXPECT_EQ(nosuch.status, 1);

  // group:*
  int w0 = pid_of("pool:worker_0"), w1 = pid_of("pool:worker_1");
  Result stop_group = ctl("stop pool:*");
  EXPECT_NE(stop_group.out.find("pool:worker_0: stopped\n"), std::string::npos) << stop_group.out;
  EXPECT_NE(stop_group.out.find("pool:worker_1: stopped\n"), std::string::npos) << stop_group.out;
  EXPECT_FALSE(alive(w0));
  EXPECT_FALSE(alive(w1));
  EXPECT_EQ(ctl("start pool:*").out, "pool:worker_0: started\npool:worker_1: started\n");
  int w0b = pid_of("pool:worker_0");
  EXPECT_TRUE(alive(w0b));
  EXPECT_NE(w0b, w0);
  Result restart_group = ctl("restart pool:*");
  EXPECT_EQ(count(restart_group.out, ": stopped\n"), 2) << restart_group.out;
  EXPECT_TRUE(restart_group.out.ends_with("pool:worker_0: started\npool:worker_1: started\n")) << restart_group.out;
  EXPECT_FALSE(alive(w0b));
  EXPECT_TRUE(alive(pid_of("pool:worker_0")));
  EXPECT_EQ(ctl("restart pool:worker_1").out, "pool:worker_1: stopped\npool:worker_1: started\n");

  // restart all: every running process stopped first, then everything started.
  EXPECT_EQ(ctl("start manual").out, "manual: started\n");
  std::vector<int> old = {pid_of("sleeper"), pid_of("manual"), pid_of("ticker"), pid_of("pool:worker_0")};
  Result all = ctl("restart all");
  EXPECT_EQ(all.status, 0) << all.out;
  EXPECT_EQ(count(all.out, ": stopped\n"), 7) << all.out;
  EXPECT_EQ(count(all.out, ": started\n"), 7) << all.out;
  EXPECT_LT(all.out.rfind(": stopped\n"), all.out.find(": started\n")) << all.out;
  for (int p : old) EXPECT_FALSE(alive(p)) << p;
  for (const char* n : {"sleeper", "manual", "ticker", "pool:worker_0"}) EXPECT_TRUE(alive(pid_of(n))) << n;

  // stop all
  std::set<int> groups = child_groups();
  Result stop_all = ctl("stop all");
  EXPECT_EQ(count(stop_all.out, ": stopped\n"), 7) << stop_all.out;
  // A shell's `sleep 0.2` outlives it briefly (no stopasgroup), as under supervisord.
  EXPECT_TRUE(eventually([&] { return survivors(groups, pid_).empty(); }, 2000ms));
  Result st = ctl("status");
  EXPECT_EQ(st.out.find("RUNNING"), std::string::npos) << st.out;
  EXPECT_EQ(st.status, 3);
  Result start_all = ctl("start all");
  EXPECT_EQ(count(start_all.out, ": started\n"), 7) << start_all.out;
  Result running = ctl("status");
  EXPECT_EQ(running.status, 0) << running.out;
  EXPECT_EQ(count(running.out, "RUNNING"), 7) << running.out;
}

TEST_F(Supervisorctl, TailPlainStderrFollowAndClear) {
  std::this_thread::sleep_for(800ms);
  Result out = ctl("tail ticker");
  EXPECT_NE(out.out.find("tick\ntick\n"), std::string::npos) << out.out;
  EXPECT_EQ(out.out.find("tock"), std::string::npos) << out.out;
  Result err = ctl("tail ticker stderr");
  EXPECT_NE(err.out.find("tock\ntock\n"), std::string::npos) << err.out;
  EXPECT_EQ(ctl("tail -5 ticker").out.size(), 6u);  // 5 bytes and the newline supervisorctl adds
  EXPECT_EQ(ctl("tail nosuch").out, "nosuch: ERROR (no such process name)\n");

  // tail -f: a streamed /logtail response; read for a while, then kill the client.
  Result follow = sh("timeout -s KILL 1.5 " + std::string(kCtl) + " -c " + conf().string() + " tail -f ticker");
  EXPECT_NE(follow.out.find("==> Press Ctrl-C to exit <=="), std::string::npos) << follow.out;
  EXPECT_GE(count(follow.out, "tick\n"), 4) << follow.out;
  Result follow_err =
      sh("timeout -s KILL 1 " + std::string(kCtl) + " -c " + conf().string() + " tail -f ticker stderr");
  EXPECT_GE(count(follow_err.out, "tock\n"), 2) << follow_err.out;
  EXPECT_EQ(count(follow_err.out, "tick\n"), 0) << follow_err.out;
  EXPECT_TRUE(alive(pid_));  // killed clients do not hurt the daemon
  EXPECT_EQ(ctl("pid").status, 0);

  fs::path log = auto_log("ticker", "stdout");
  ASSERT_FALSE(log.empty());
  auto before = fs::file_size(log);
  EXPECT_GT(before, 20u);
  Result cleared = ctl("clear ticker");
  EXPECT_EQ(cleared.out, "ticker: cleared\n");
  EXPECT_LT(fs::file_size(log), 16u);
  EXPECT_EQ(ctl("clear nosuch").out, "nosuch: ERROR (no such process)\n");
  Result all = ctl("clear all");
  EXPECT_EQ(count(all.out, ": cleared\n"), 7) << all.out;

  Result main = ctl("maintail");
  EXPECT_NE(main.out.find("INFO spawned: 'ticker' with pid"), std::string::npos) << main.out;
  Result main_f = sh("timeout -s KILL 1 " + std::string(kCtl) + " -c " + conf().string() + " maintail -f");
  EXPECT_NE(main_f.out.find("==> Press Ctrl-C to exit <=="), std::string::npos) << main_f.out;
  EXPECT_NE(main_f.out.find("success: "), std::string::npos) << main_f.out;
}

TEST_F(Supervisorctl, SignalReachesTheProcess) {
  wait_state("trap", "RUNNING");
  EXPECT_EQ(ctl("signal USR1 trap").out, "trap: signalled\n");
  EXPECT_TRUE(eventually([&] { return ctl("tail trap").out.find("got-usr1") != std::string::npos; }));
  wait_state("pool:worker_0", "RUNNING");
  int w0 = pid_of("pool:worker_0");
  EXPECT_EQ(ctl("signal USR1 pool:*").out, "pool:worker_0: signalled\npool:worker_1: signalled\n");
  // sleep dies of SIGUSR1: Supervisor sees an unexpected exit and restarts it.
  EXPECT_TRUE(eventually([&] { return !alive(w0); }));
  EXPECT_TRUE(eventually([&] { int p = pid_of("pool:worker_0"); return p > 0 && p != w0; }));
  Result bad = ctl("signal BOGUS trap");
  EXPECT_EQ(bad.out, "trap: ERROR (bad signal name)\n");
  EXPECT_EQ(bad.status, 1);
  EXPECT_EQ(ctl("signal HUP manual").out, "manual: ERROR (not running)\n");
}

TEST_F(Supervisorctl, StopAsGroupReachesTheGrandchild) {
  wait_state("family", "RUNNING");
  int shell = pid_of("family");
  int grandchild = 0;
  ASSERT_TRUE(eventually([&] {
    for (const auto& p : descendants(shell)) grandchild = p.pid;
    return grandchild > 0;
  }));
  EXPECT_EQ(proc_info(grandchild)->pgid, shell);
  EXPECT_EQ(ctl("stop family").out, "family: stopped\n");
  EXPECT_FALSE(alive(shell));
  EXPECT_TRUE(eventually([&] { return !alive(grandchild); }));
}

TEST_F(Supervisorctl, RereadUpdateAddRemove) {
  wait_state("sleeper", "RUNNING");
  int sleeper = pid_of("sleeper");
  int ticker = pid_of("ticker");
  int w0 = pid_of("pool:worker_0");
  EXPECT_EQ(ctl("reread").out, "No config updates to processes\n");
  write_config(R"(
[program:sleeper]
command = /bin/sleep 600

[program:ticker]
command = /bin/sh -c "while true; do echo changed; sleep 0.2; done"
startsecs = 0

[program:fresh]
command = /bin/sleep 600
)");
  EXPECT_EQ(ctl("reread").out,
            "family: disappeared\nfresh: available\nmanual: disappeared\npool: disappeared\nticker: changed\n"
            "trap: disappeared\n");
  Result u = ctl("update");
  EXPECT_NE(u.out.find("ticker: stopped\nticker: updated process group\n"), std::string::npos) << u.out;
  EXPECT_NE(u.out.find("fresh: added process group\n"), std::string::npos) << u.out;
  EXPECT_NE(u.out.find("pool: stopped\npool: removed process group\n"), std::string::npos) << u.out;
  EXPECT_EQ(pid_of("sleeper"), sleeper);  // unchanged group: same process
  EXPECT_FALSE(alive(w0));
  EXPECT_FALSE(alive(ticker));
  EXPECT_TRUE(eventually([&] { int p = pid_of("ticker"); return p > 0 && p != ticker && alive(p); }));
  EXPECT_EQ(ctl("status pool:worker_0").out, "pool:worker_0: ERROR (no such process)\n");
  wait_state("fresh", "RUNNING");
  EXPECT_EQ(ctl("update").out, "");

  // add / remove
  Result still = ctl("remove fresh");
  EXPECT_EQ(still.out, "ERROR: process/group still running: fresh\n");
  EXPECT_EQ(still.status, 1);
  int fresh = pid_of("fresh");
  EXPECT_EQ(ctl("stop fresh").out, "fresh: stopped\n");
  EXPECT_EQ(ctl("remove fresh").out, "fresh: removed process group\n");
  EXPECT_FALSE(alive(fresh));
  Result avail = ctl("avail");
  EXPECT_NE(avail.out.find("fresh                            avail     auto      999:999\n"), std::string::npos)
      << avail.out;
  EXPECT_EQ(ctl("add fresh").out, "fresh: added process group\n");
  EXPECT_EQ(ctl("add fresh").out, "ERROR: process group already active\n");
  EXPECT_EQ(ctl("add nosuch").out, "ERROR: no such process/group: nosuch\n");
  EXPECT_EQ(ctl("remove nosuch").out, "ERROR: no such process/group: nosuch\n");
  wait_state("fresh", "RUNNING");
  EXPECT_TRUE(alive(pid_of("fresh")));

  // An edit Supervisor refuses changes nothing; the message names file and line.
  std::string text = slurp(conf());
  auto line = std::count(text.begin(), text.end(), '\n') + 4;
  std::ofstream(conf(), std::ios::app) << "\n[program:broken]\ncommand=/bin/true\nstartsecs=soon\n";
  Result bad = ctl("reread");
  EXPECT_TRUE(bad.out.starts_with("ERROR: CANT_REREAD: ")) << bad.out;
  EXPECT_NE(bad.out.find("supervisord.conf:" + std::to_string(line) +
                         ":11: error[P2004]: [program:broken] startsecs: expected an integer, found 'soon'"),
            std::string::npos) << bad.out;
  EXPECT_EQ(bad.status, 1);
  Result bad_update = ctl("update");
  EXPECT_NE(bad_update.out.find("CANT_REREAD"), std::string::npos) << bad_update.out;
  EXPECT_NE(bad_update.status, 0);
  EXPECT_EQ(pid_of("sleeper"), sleeper);
  EXPECT_TRUE(alive(sleeper));
}

// proctord runs only Supervisor's default result handler: a reread meets
// the refusal start-up gives, naming file and line, and changes nothing.
TEST_F(Supervisorctl, RereadRefusesAResultHandlerProctordCannotRun) {
  wait_state("sleeper", "RUNNING");
  int sleeper = pid_of("sleeper");
  std::string text = slurp(conf());
  auto line = std::count(text.begin(), text.end(), '\n') + 2;
  std::ofstream(conf(), std::ios::app) << "\n[eventlistener:custom]\ncommand = /bin/cat\nevents = TICK_60\n"
                                          "result_handler = supervisor.supervisorctl:DefaultControllerPlugin\n";
  Result bad = ctl("reread");
  EXPECT_TRUE(bad.out.starts_with("ERROR: CANT_REREAD: ")) << bad.out;
  EXPECT_NE(bad.out.find("supervisord.conf:" + std::to_string(line) + ": [eventlistener:custom] result_handler="),
            std::string::npos) << bad.out;
  EXPECT_NE(ctl("update").status, 0);
  EXPECT_EQ(ctl("status custom").out, "custom: ERROR (no such process)\n");
  EXPECT_EQ(pid_of("sleeper"), sleeper);
}

TEST_F(Supervisorctl, ShutdownLeavesNoChild) {
  wait_state("sleeper", "RUNNING");
  wait_state("family", "RUNNING");
  int daemon = pid_;
  std::set<int> groups = child_groups();
  EXPECT_GE(groups.size(), 6u);  // all but `manual`
  Result r = ctl("shutdown");
  EXPECT_EQ(r.out, "Shut down\n");
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(wait_daemon_exit(), 0);
  EXPECT_TRUE(survivors(groups, daemon).empty());
  EXPECT_TRUE(survivors({}, ::getpid()).empty());  // nothing orphaned to us either
  EXPECT_FALSE(fs::exists(dir_ / "s.sock"));
  EXPECT_FALSE(fs::exists(dir_ / "d.pid"));
  Result after = ctl("status");
  EXPECT_EQ(after.out, "unix://" + (dir_ / "s.sock").string() + " no such file\n");
  EXPECT_EQ(after.status, 4);
}

TEST_F(Supervisorctl, ReloadRestartsEverything) {
  wait_state("sleeper", "RUNNING");
  std::vector<int> before = {pid_of("sleeper"), pid_of("ticker"), pid_of("pool:worker_1")};
  // reload also picks up config changes, like supervisord's restart.
  write_config(std::string(kPrograms) + "\n[program:added]\ncommand = /bin/sleep 600\n");
  Result r = ctl("reload");
  EXPECT_EQ(r.out, "Restarted supervisord\n");
  EXPECT_EQ(r.status, 0);
  for (int p : before) EXPECT_TRUE(eventually([&] { return !alive(p); })) << p;
  EXPECT_TRUE(eventually([&] { return ctl("status sleeper").out.find("RUNNING") != std::string::npos; }));
  EXPECT_EQ(ctl("pid").out, std::to_string(pid_) + "\n");  // the same daemon process
  EXPECT_TRUE(alive(pid_));
  int sleeper = pid_of("sleeper");
  EXPECT_TRUE(alive(sleeper));
  EXPECT_NE(sleeper, before[0]);
  wait_state("added", "RUNNING");
  EXPECT_NE(slurp(dir_ / "d.log").find("restarting"), std::string::npos);
}

}  // namespace
}  // namespace proctord_test
