#pragma once
// A proctord under test: a config in a fresh /tmp dir (unix socket only),
// the daemon in its own process group, Debian's supervisorctl to drive it,
// and a TearDown that kills the daemon and everything it started. The test
// binary is a child subreaper, so whatever the daemon leaves behind is
// reparented here, killed and reaped rather than lost to init.

#include <gtest/gtest.h>
#include <dirent.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/command_runner.h"

namespace proctord_test {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

inline constexpr const char* kCtl = "/usr/bin/supervisorctl";

struct Result {
  int status;
  std::string out;
};

/// Runs a shell command (stderr folded into stdout); `timeout` bounds it.
inline Result sh(const std::string& cmd, int timeout_s = 30) {
  auto r = proctor::testing::run_shell("timeout -s KILL " + std::to_string(timeout_s) + " " + cmd + " 2>&1");
  return {r.status, r.out};
}

struct ProcInfo {
  int pid = 0, ppid = 0, pgid = 0;
  char state = '?';
};

inline std::optional<ProcInfo> proc_info(int pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return std::nullopt;
  auto close = line.rfind(')');
  if (close == std::string::npos) return std::nullopt;
  ProcInfo i;
  i.pid = pid;
  std::istringstream rest(line.substr(close + 1));
  rest >> i.state >> i.ppid >> i.pgid;
  return i;
}

inline std::vector<ProcInfo> all_procs() {
  std::vector<ProcInfo> out;
  if (DIR* d = ::opendir("/proc")) {
    while (dirent* e = ::readdir(d)) {
      char* end = nullptr;
      long pid = std::strtol(e->d_name, &end, 10);
      if (pid <= 0 || *end) continue;
      if (auto i = proc_info(static_cast<int>(pid))) out.push_back(*i);
    }
    ::closedir(d);
  }
  return out;
}

/// A zombie still answers kill(0); only a live (not zombie) process counts.
inline bool alive(int pid) {
  if (pid <= 0) return false;
  auto i = proc_info(pid);
  return i && i->state != 'Z' && i->state != 'X';
}

/// Every descendant of `root` (by PPid), not including root.
inline std::vector<ProcInfo> descendants(int root) {
  auto procs = all_procs();
  std::vector<ProcInfo> out;
  std::set<int> parents{root};
  for (bool grew = true; grew;) {
    grew = false;
    for (const auto& p : procs)
      if (parents.count(p.ppid) && !parents.count(p.pid)) {
        parents.insert(p.pid);
        out.push_back(p);
        grew = true;
      }
  }
  return out;
}

template <class Pred>
bool eventually(Pred pred, std::chrono::milliseconds limit = 5000ms) {
  auto end = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < end) {
    if (pred()) return true;
    std::this_thread::sleep_for(50ms);
  }
  return pred();
}

inline std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline constexpr const char* kHead = R"([supervisord]
logfile = %(here)s/d.log
pidfile = %(here)s/d.pid
childlogdir = %(here)s
loglevel = {LOGLEVEL}

[unix_http_server]
file = %(here)s/s.sock
{AUTH}
[rpcinterface:supervisor]
supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

[supervisorctl]
serverurl = unix://%(here)s/s.sock
{AUTH}
)";

class ProctordTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists(kCtl)) GTEST_SKIP() << "supervisorctl is not installed (apt-get install supervisor)";
    ::prctl(PR_SET_CHILD_SUBREAPER, 1);
    char templ[] = "/tmp/proctord-test-XXXXXX";
    const char* made = ::mkdtemp(templ);
    ASSERT_NE(made, nullptr);
    dir_ = made;
  }

  void TearDown() override {
    kill_everything();
    if (!dir_.empty()) fs::remove_all(dir_);
  }

  fs::path conf() const { return dir_ / "supervisord.conf"; }

  void write_config(const std::string& programs, const std::string& loglevel = "debug",
                    const std::string& auth = "") {
    std::string head = kHead;
    auto put = [&](const std::string& key, const std::string& v) {
      for (auto at = head.find(key); at != std::string::npos; at = head.find(key))
        head.replace(at, key.size(), v);
    };
    put("{LOGLEVEL}", loglevel);
    put("{AUTH}", auth);
    std::ofstream(conf()) << head << programs;
  }

  /// Starts `proctord -c CONF -n [EXTRA...]` in its own process group and
  /// waits until supervisorctl gets an answer.
  void start(const std::vector<std::string>& extra = {}) {
    std::string c = conf().string();
    std::string out = (dir_ / "proctord.out").string();
    std::vector<const char*> argv{PROCTORD_BIN, "-c", c.c_str(), "-n"};
    for (const auto& a : extra) argv.push_back(a.c_str());
    argv.push_back(nullptr);
    pid_ = ::fork();
    if (pid_ == 0) {
      ::setpgid(0, 0);
      if (!std::freopen(out.c_str(), "w", stdout) || !std::freopen(out.c_str(), "a", stderr)) ::_exit(126);
      ::execv(PROCTORD_BIN, const_cast<char* const*>(argv.data()));
      ::_exit(127);
    }
    ::setpgid(pid_, pid_);
    bool up = eventually([&] { return ctl("pid", 5).status == 0; }, 10s);
    ASSERT_TRUE(up) << "proctord did not come up:\n" << slurp(dir_ / "proctord.out");
  }

  Result ctl(const std::string& args, int timeout_s = 30) {
    return sh(std::string(kCtl) + " -c " + conf().string() + " " + args, timeout_s);
  }

  int pid_of(const std::string& name) {
    Result r = ctl("pid " + name);
    return std::atoi(r.out.c_str());
  }

  void wait_state(const std::string& name, const std::string& state, std::chrono::milliseconds limit = 5000ms) {
    bool ok = eventually([&] { return ctl("status " + name).out.find(state) != std::string::npos; }, limit);
    if (!ok) ADD_FAILURE() << name << " never reached " << state << ": " << ctl("status " + name).out;
  }

  /// Waits for the daemon to exit; its exit status, or -1 on timeout.
  int wait_daemon_exit(std::chrono::milliseconds limit = 10000ms) {
    int status = 0;
    bool gone = eventually([&] { return ::waitpid(pid_, &status, WNOHANG) == pid_; }, limit);
    if (!gone) return -1;
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

  /// Live processes in any of `pgids` or whose parent is `ppid`.
  static std::vector<ProcInfo> survivors(const std::set<int>& pgids, int ppid) {
    std::vector<ProcInfo> out;
    for (const auto& p : all_procs())
      if (p.state != 'Z' && (pgids.count(p.pgid) || (ppid > 0 && p.ppid == ppid))) out.push_back(p);
    return out;
  }

  /// Zombie children of `ppid`.
  static std::vector<ProcInfo> zombies_of(int ppid) {
    std::vector<ProcInfo> out;
    for (const auto& p : all_procs())
      if (p.ppid == ppid && p.state == 'Z') out.push_back(p);
    return out;
  }

  /// Process groups of the daemon's descendants (each program leads one).
  std::set<int> child_groups() const {
    std::set<int> out;
    if (pid_ > 0)
      for (const auto& p : descendants(pid_))
        if (p.pgid != pid_) out.insert(p.pgid);
    return out;
  }

  void kill_everything() {
    std::set<int> groups = child_groups();
    std::vector<ProcInfo> desc = pid_ > 0 ? descendants(pid_) : std::vector<ProcInfo>{};
    if (pid_ > 0) {
      ::kill(-pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
      pid_ = -1;
    }
    for (int g : groups) ::kill(-g, SIGKILL);
    for (const auto& p : desc) ::kill(p.pid, SIGKILL);
    // Orphans were reparented to us (subreaper): reap them, bounded.
    eventually([] {
      int st;
      while (::waitpid(-1, &st, WNOHANG) > 0) {
      }
      return ::waitpid(-1, &st, WNOHANG) < 0;
    }, 3000ms);
  }

  fs::path dir_;
  int pid_ = -1;
};

}  // namespace proctord_test
