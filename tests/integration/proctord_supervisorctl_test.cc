// proctord driven by Debian's unmodified supervisorctl, on real processes.
// Each test starts proctord in its own process group in a temp dir (unix
// socket only) and kills the whole group afterwards, so nothing outlives it.

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

struct Result {
  int status;
  std::string out;
};

Result sh(const std::string& cmd) {
  Result r{-1, ""};
  FILE* p = ::popen((cmd + " 2>&1").c_str(), "r");
  if (!p) return r;
  std::array<char, 4096> buf;
  std::size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
  int st = ::pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

// A zombie still answers kill(0); only a process not yet reaped-and-gone counts.
bool alive(int pid) {
  if (pid <= 0 || ::kill(pid, 0) != 0) return false;
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind("State:", 0) == 0) return line.find("Z") == std::string::npos;
  return false;
}

class Proctord : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists("/usr/bin/supervisorctl")) GTEST_SKIP() << "supervisorctl is not installed";
    char templ[] = "/tmp/proctord-ctl-XXXXXX";
    dir_ = ::mkdtemp(templ);
    write_config(R"(
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
)");
    start();
  }

  void TearDown() override {
    if (pid_ > 0) {
      ::kill(-pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    // Children lead their own process groups; none may survive the test.
    for (int p : children_) ::kill(p, SIGKILL);
    if (!dir_.empty()) fs::remove_all(dir_);
  }

  void write_config(const std::string& programs) {
    std::ofstream(dir_ / "supervisord.conf") << R"([supervisord]
logfile = %(here)s/d.log
pidfile = %(here)s/d.pid
childlogdir = %(here)s
loglevel = debug

[unix_http_server]
file = %(here)s/s.sock

[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

[supervisorctl]
serverurl = unix://%(here)s/s.sock
)" << programs;
  }

  void start() {
    pid_ = ::fork();
    if (pid_ == 0) {
      ::setpgid(0, 0);
      std::string conf = (dir_ / "supervisord.conf").string();
      std::string log = (dir_ / "proctord.out").string();
      std::freopen(log.c_str(), "w", stdout);
      std::freopen(log.c_str(), "a", stderr);
      ::execl(PROCTORD_BIN, PROCTORD_BIN, "-c", conf.c_str(), "-n", static_cast<char*>(nullptr));
      ::_exit(127);
    }
    for (int i = 0; i < 100 && ctl("pid").status != 0; ++i) std::this_thread::sleep_for(100ms);
    ASSERT_EQ(ctl("pid").status, 0) << "proctord did not come up";
  }

  Result ctl(const std::string& args) {
    return sh("/usr/bin/supervisorctl -c " + (dir_ / "supervisord.conf").string() + " " + args);
  }

  int pid_of(const std::string& name) {
    Result r = ctl("pid " + name);
    int p = std::atoi(r.out.c_str());
    if (p > 0) children_.push_back(p);
    return p;
  }

  // Waits until `name` reports RUNNING (startsecs is 1 by default).
  void wait_running(const std::string& name) {
    for (int i = 0; i < 50; ++i) {
      if (ctl("status " + name).out.find("RUNNING") != std::string::npos) return;
      std::this_thread::sleep_for(100ms);
    }
    FAIL() << name << " never became RUNNING";
  }

  fs::path dir_;
  int pid_ = -1;
  std::vector<int> children_;
};

TEST_F(Proctord, StatusPidAndVersion) {
  wait_running("sleeper");
  Result st = ctl("status");
  EXPECT_EQ(st.status, 3) << st.out;  // `manual` is stopped
  EXPECT_NE(st.out.find("manual                           STOPPED   Not started"), std::string::npos) << st.out;
  EXPECT_NE(st.out.find("pool:worker_0"), std::string::npos) << st.out;
  EXPECT_TRUE(alive(pid_of("sleeper")));
  EXPECT_EQ(ctl("pid manual").status, 7);
  EXPECT_EQ(std::atoi(ctl("pid").out.c_str()), pid_);
  EXPECT_EQ(ctl("version").out, "4.2.5\n");
  EXPECT_NE(ctl("avail").out.find("manual                           in use    manual    999:999"), std::string::npos);
}

TEST_F(Proctord, StartStopRestartNamesGroupsAll) {
  wait_running("sleeper");
  int before = pid_of("sleeper");
  EXPECT_EQ(ctl("stop sleeper").out, "sleeper: stopped\n");
  std::this_thread::sleep_for(100ms);
  EXPECT_FALSE(alive(before));
  EXPECT_EQ(ctl("start sleeper").out, "sleeper: started\n");
  int after = pid_of("sleeper");
  EXPECT_NE(before, after);
  EXPECT_TRUE(alive(after));
  Result r = ctl("restart pool:*");
  EXPECT_NE(r.out.find("pool:worker_0: stopped"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("pool:worker_1: started"), std::string::npos) << r.out;
  EXPECT_EQ(ctl("start manual").out, "manual: started\n");
  EXPECT_NE(ctl("start nosuch").out.find("nosuch: ERROR (no such process)"), std::string::npos);
  Result all = ctl("stop all");
  EXPECT_NE(all.out.find("manual: stopped"), std::string::npos) << all.out;
  EXPECT_FALSE(alive(after));
  Result s = ctl("status");
  EXPECT_EQ(s.out.find("RUNNING"), std::string::npos) << s.out;
  ctl("start all");
  EXPECT_NE(ctl("status").out.find("RUNNING"), std::string::npos);
}

TEST_F(Proctord, TailClearAndMaintail) {
  std::this_thread::sleep_for(700ms);
  EXPECT_NE(ctl("tail ticker").out.find("tick\n"), std::string::npos);
  EXPECT_NE(ctl("tail ticker stderr").out.find("tock\n"), std::string::npos);
  Result f = sh("timeout 1 /usr/bin/supervisorctl -c " + (dir_ / "supervisord.conf").string() + " tail -f ticker");
  EXPECT_NE(f.out.find("tick"), std::string::npos) << f.out;
  EXPECT_EQ(ctl("clear ticker").out, "ticker: cleared\n");
  EXPECT_NE(ctl("maintail").out.find("spawned: 'ticker'"), std::string::npos);
}

TEST_F(Proctord, SignalReachesTheProcess) {
  write_config(R"(
[program:trap]
command = /bin/sh -c "trap 'echo got-usr1' USR1; while true; do sleep 0.1; done"
startsecs = 0
)");
  ctl("reread");
  ctl("update");
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(ctl("signal USR1 trap").out, "trap: signalled\n");
  std::this_thread::sleep_for(500ms);
  EXPECT_NE(ctl("tail trap").out.find("got-usr1"), std::string::npos);
}

TEST_F(Proctord, RereadUpdateAddRemoveKeepUnchangedPids) {
  wait_running("sleeper");
  int sleeper = pid_of("sleeper");
  int ticker = pid_of("ticker");
  write_config(R"(
[program:sleeper]
command = /bin/sleep 600

[program:ticker]
command = /bin/sh -c "while true; do echo changed; sleep 0.2; done"
startsecs = 0

[program:fresh]
command = /bin/sleep 600
)");
  EXPECT_EQ(ctl("reread").out, "fresh: available\nmanual: disappeared\npool: disappeared\nticker: changed\n");
  Result u = ctl("update");
  EXPECT_NE(u.out.find("ticker: updated process group"), std::string::npos) << u.out;
  EXPECT_NE(u.out.find("fresh: added process group"), std::string::npos) << u.out;
  EXPECT_NE(u.out.find("pool: removed process group"), std::string::npos) << u.out;
  EXPECT_EQ(pid_of("sleeper"), sleeper);  // unchanged group: same process
  EXPECT_NE(pid_of("ticker"), ticker);
  EXPECT_FALSE(alive(ticker));
  EXPECT_EQ(ctl("status pool:worker_0").out.find("RUNNING"), std::string::npos);
  wait_running("fresh");
  EXPECT_EQ(ctl("stop fresh").out, "fresh: stopped\n");
  EXPECT_EQ(ctl("remove fresh").out, "fresh: removed process group\n");
  EXPECT_EQ(ctl("add fresh").out, "fresh: added process group\n");
  // An edit Supervisor would refuse changes nothing and names file and line.
  std::ofstream(dir_ / "supervisord.conf", std::ios::app) << "\n[program:broken]\ncommand=/bin/true\nstartsecs=soon\n";
  Result bad = ctl("reread");
  EXPECT_NE(bad.out.find("supervisord.conf:"), std::string::npos) << bad.out;
  EXPECT_NE(bad.out.find("startsecs"), std::string::npos) << bad.out;
  EXPECT_EQ(pid_of("sleeper"), sleeper);
}

TEST_F(Proctord, ShutdownLeavesNoChild) {
  wait_running("sleeper");
  std::vector<int> pids = {pid_of("sleeper"), pid_of("ticker"), pid_of("pool:worker_0")};
  EXPECT_EQ(ctl("shutdown").out, "Shut down\n");
  int status = 0;
  for (int i = 0; i < 100 && ::waitpid(pid_, &status, WNOHANG) == 0; ++i) std::this_thread::sleep_for(100ms);
  pid_ = -1;
  for (int p : pids) EXPECT_FALSE(alive(p)) << p;
  EXPECT_FALSE(fs::exists(dir_ / "s.sock"));
}

TEST_F(Proctord, ReloadRestartsEverything) {
  wait_running("sleeper");
  int before = pid_of("sleeper");
  EXPECT_EQ(ctl("reload").out, "Restarted supervisord\n");
  for (int i = 0; i < 50 && (ctl("pid sleeper").status != 0 || pid_of("sleeper") == before); ++i)
    std::this_thread::sleep_for(100ms);
  EXPECT_FALSE(alive(before));
  EXPECT_TRUE(alive(pid_of("sleeper")));
}

}  // namespace
