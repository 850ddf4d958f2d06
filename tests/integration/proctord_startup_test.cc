// proctord's own process set-up, as supervisord's main() does it: minfds /
// minprocs raise the rlimits or refuse to start with Supervisor's message,
// -u drops to another user (daemon and children), bad values are usage
// errors. Where Supervisor can be asked, its answer is the expectation.

#include <pwd.h>
#include <sys/resource.h>

#include "tests/integration/proctord_harness.h"

namespace proctord_test {
namespace {

constexpr const char* kSleeper = "[program:sleeper]\ncommand = /bin/sleep 1000\nstartsecs = 0\n";

/// A soft rlimit lowered for the test and put back afterwards; children
/// (the daemon) inherit it.
class LoweredLimit {
 public:
  LoweredLimit(int resource, rlim_t soft) : resource_(resource) {
    ::getrlimit(resource_, &saved_);
    rlimit lower = saved_;
    lower.rlim_cur = soft;
    ok_ = ::setrlimit(resource_, &lower) == 0;
  }
  ~LoweredLimit() { ::setrlimit(resource_, &saved_); }
  bool ok() const { return ok_; }

 private:
  int resource_;
  rlimit saved_{};
  bool ok_ = false;
};

/// The soft limit named `row` ("Max open files") in /proc/PID/limits.
long soft_limit(int pid, const std::string& row) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/limits");
  for (std::string line; std::getline(in, line);)
    if (line.rfind(row, 0) == 0) return std::atol(line.c_str() + row.size());
  return -1;
}

std::string proc_uid(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(in, line);)
    if (line.rfind("Uid:", 0) == 0) return line;
  return "";
}

class Startup : public ProctordTest {
 protected:
  void write_with(const std::string& supervisord_keys, const std::string& programs = kSleeper) {
    write_config(programs, "info");
    std::string text = slurp(conf());
    text.replace(text.find("[supervisord]\n"), 14, "[supervisord]\n" + supervisord_keys);
    std::ofstream(conf()) << text;
  }

  /// Runs `daemon -c CONF -n ARGS` to completion (it is expected to refuse
  /// to start); its output with the program's name masked.
  Result refused(const std::string& daemon, const std::string& args) {
    Result r = sh(daemon + " -c " + conf().string() + " -n " + args, 10);
    for (auto at = r.out.find(daemon); at != std::string::npos; at = r.out.find(daemon))
      r.out.replace(at, daemon.size(), "DAEMON");
    for (auto at = r.out.find("/usr/bin/supervisord"); at != std::string::npos; at = r.out.find("/usr/bin/supervisord"))
      r.out.replace(at, 20, "DAEMON");
    return r;
  }
};

TEST_F(Startup, MinfdsRaisesTheSoftOpenFilesLimit) {
  LoweredLimit lowered(RLIMIT_NOFILE, 256);
  ASSERT_TRUE(lowered.ok());
  write_with("minfds = 512\n");
  start();
  EXPECT_EQ(soft_limit(pid_, "Max open files"), 512);
  EXPECT_NE(slurp(dir_ / "d.log").find("INFO Increased RLIMIT_NOFILE limit to 512"), std::string::npos)
      << slurp(dir_ / "d.log");
}

TEST_F(Startup, MinprocsRaisesTheSoftProcessLimit) {
  LoweredLimit lowered(RLIMIT_NPROC, 100);
  ASSERT_TRUE(lowered.ok());
  write_with("");
  start({"--minprocs", "150"});
  EXPECT_EQ(soft_limit(pid_, "Max processes"), 150);
  EXPECT_NE(slurp(dir_ / "d.log").find("INFO Increased RLIMIT_NPROC limit to 150"), std::string::npos);
}

TEST_F(Startup, MinfdsBeyondWhatTheKernelAllowsRefusesToStartAsSupervisordDoes) {
  // Above fs.nr_open no process may raise RLIMIT_NOFILE, root or not.
  write_with("minfds = 1073741824\n");
  Result ours = refused(PROCTORD_BIN, "");
  EXPECT_EQ(ours.status, 2) << ours.out;
  EXPECT_NE(ours.out.find("Error: The minimum number of file descriptors required to run this process is 1073741824"),
            std::string::npos)
      << ours.out;
  if (fs::exists("/usr/bin/supervisord")) {
    Result theirs = refused("/usr/bin/supervisord", "");
    EXPECT_EQ(theirs.status, ours.status);
    EXPECT_EQ(theirs.out, ours.out);
  }
}

TEST_F(Startup, BadCommandLineValuesAreUsageErrorsAsInSupervisord) {
  write_with("");
  for (const char* args : {"-a many", "--minprocs=x1", "-u no-such-user-here", "-u 4000000000"}) {
    Result ours = refused(PROCTORD_BIN, args);
    EXPECT_EQ(ours.status, 2) << args << ": " << ours.out;
    EXPECT_NE(ours.out.find("For help, use DAEMON -h"), std::string::npos) << ours.out;
    if (fs::exists("/usr/bin/supervisord")) {
      Result theirs = refused("/usr/bin/supervisord", args);
      EXPECT_EQ(theirs.out, ours.out) << args;
    }
  }
}

TEST_F(Startup, UserOptionDropsTheDaemonAndItsChildrenToThatUser) {
  if (::getuid() != 0) GTEST_SKIP() << "dropping privileges needs root";
  const passwd* nobody = ::getpwnam("nobody");
  if (!nobody) GTEST_SKIP() << "no user nobody";
  // The dropped daemon must still create its socket and logs here.
  fs::permissions(dir_, fs::perms::all);
  write_with("");
  start({"-u", "nobody"});
  std::string id = std::to_string(nobody->pw_uid);
  std::string want = "Uid:\t" + id + "\t" + id + "\t" + id + "\t" + id;
  EXPECT_EQ(proc_uid(pid_), want);
  int child = pid_of("sleeper");
  ASSERT_GT(child, 0);
  EXPECT_EQ(proc_uid(child), want);
  EXPECT_NE(slurp(dir_ / "d.log").find("INFO Set uid to user " + std::to_string(nobody->pw_uid) + " succeeded"),
            std::string::npos);
}

TEST_F(Startup, RunningAsRootWithoutUserIsLoggedAsSupervisordDoes) {
  if (::getuid() != 0) GTEST_SKIP() << "only root gets this message";
  write_with("");
  start();
  EXPECT_NE(slurp(dir_ / "d.log").find("CRIT Supervisor is running as root.  Privileges were not dropped"),
            std::string::npos);
}

}  // namespace
}  // namespace proctord_test
