// Hot reload on a real proctord driven by Debian's supervisorctl: many
// reread/update cycles in a row leak neither file descriptors nor memory,
// unchanged groups keep their processes throughout, and update restarts
// the dependents (depends_on) of a group it restarts, in order; and
// `proctorctl update --minimal` restarts only processes whose own settings
// changed.

#include "proctord_harness.h"

namespace proctord_test {
namespace {

constexpr const char* kSteady = R"(
[program:keep]
command = /bin/sleep 600
startsecs = 0

[group:pool]
programs = worker
[program:worker]
command = /bin/sleep 600
process_name = %(program_name)s_%(process_num)d
numprocs = 2
startsecs = 0
)";

// The two configs a changed cycle flips between: `flip` gets another
// command and one group is swapped for another of the same shape, so both
// hold the same number of processes, pipes and log files.
std::string variant(bool second) {
  std::string extra = second ? "extra_b" : "extra_a";
  return std::string(kSteady) + "\n[program:flip]\ncommand = /bin/sleep " + (second ? "601" : "600") +
         "\nstartsecs = 0\n\n[program:" + extra + "]\ncommand = /bin/sleep 600\nstartsecs = 0\n";
}

int open_fds(int pid) {
  int n = 0;
  for ([[maybe_unused]] const auto& e : fs::directory_iterator("/proc/" + std::to_string(pid) + "/fd")) ++n;
  return n;
}

long rss_kib(int pid) {
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind("VmRSS:", 0) == 0) return std::atol(line.c_str() + 6);
  return -1;
}

class ReloadCycles : public ProctordTest {
 protected:
  /// One reread + update; `changed` says whether the config on disk now
  /// differs from the running one.
  void cycle(bool second, bool changed) {
    write_config(variant(second));
    Result reread = ctl("reread");
    // supervisorctl prints the verdict sorted by group name.
    if (changed)
      ASSERT_EQ(reread.out, second ? "extra_a: disappeared\nextra_b: available\nflip: changed\n"
                                   : "extra_a: available\nextra_b: disappeared\nflip: changed\n");
    else
      ASSERT_EQ(reread.out, "No config updates to processes\n");
    Result update = ctl("update");
    if (changed)
      ASSERT_NE(update.out.find("flip: updated process group\n"), std::string::npos) << update.out;
    else
      ASSERT_EQ(update.out, "");
  }

  /// Every process RUNNING and its pipes open, so fd counts compare.
  void wait_all_running() {
    bool ok = eventually([&] {
      Result st = ctl("status");
      return st.status == 0 && st.out.find("STARTING") == std::string::npos &&
             st.out.find("STOPP") == std::string::npos;
    }, 10s);
    ASSERT_TRUE(ok) << ctl("status").out;
  }
};

// 50 cycles, alternately changed and unchanged. The fd count must come back
// exactly. RSS may move by allocator slack (glibc keeps freed chunks and
// RSS counts whole pages), so it gets 256 KiB: well under what any per-cycle
// leak of the things a change creates would show after 25 changes — a
// child's pipe buffers (64 KiB per channel reader), a compiled plan, a
// group's text and state machines.
TEST_F(ReloadCycles, FiftyRereadUpdateCyclesLeakNothing) {
  write_config(variant(false));
  ASSERT_NO_FATAL_FAILURE(start());
  ASSERT_NO_FATAL_FAILURE(wait_all_running());
  // Warm up: one change there and back, so lazily built state (allocator
  // arenas, the first log rotation objects) exists before measuring.
  ASSERT_NO_FATAL_FAILURE(cycle(true, true));
  ASSERT_NO_FATAL_FAILURE(cycle(false, true));
  ASSERT_NO_FATAL_FAILURE(wait_all_running());
  std::vector<int> kept = {pid_of("keep"), pid_of("pool:worker_0"), pid_of("pool:worker_1")};
  for (int pid : kept) ASSERT_TRUE(alive(pid));
  const int fds_before = open_fds(pid_);
  const long rss_before = rss_kib(pid_);

  bool second = false;
  for (int i = 0; i < 50; ++i) {
    bool changed = i % 2 == 0;
    if (changed) second = !second;
    ASSERT_NO_FATAL_FAILURE(cycle(second, changed)) << "cycle " << i;
    for (int pid : kept) ASSERT_TRUE(alive(pid) && proc_info(pid)->ppid == pid_) << "cycle " << i << ": " << pid;
  }
  // 25 changes from the first variant end on the second, the same shape.
  ASSERT_NO_FATAL_FAILURE(wait_all_running());
  EXPECT_EQ(kept, (std::vector<int>{pid_of("keep"), pid_of("pool:worker_0"), pid_of("pool:worker_1")}));
  int fds_after = -1;
  EXPECT_TRUE(eventually([&] { return (fds_after = open_fds(pid_)) == fds_before; }))
      << fds_before << " fds before, " << fds_after << " after";
  const long rss_after = rss_kib(pid_);
  EXPECT_LE(rss_after - rss_before, 256) << rss_before << " KiB before, " << rss_after << " KiB after";
  std::printf("fds %d -> %d, VmRSS %ld -> %ld KiB\n", fds_before, fds_after, rss_before, rss_after);
}

// update restarts `db`; `web` depends on it, `api` on web: both are stopped
// and started again, each only after what it depends on is RUNNING, while
// `other` keeps its process.
TEST_F(ReloadCycles, UpdateRestartsDependentsInDependencyOrder) {
  auto config = [](const std::string& db_command) {
    return "\n[program:db]\ncommand = " + db_command + "\nstartsecs = 1\n"
           "\n[program:web]\ncommand = /bin/sleep 600\nstartsecs = 1\ndepends_on = db\n"
           "\n[program:api]\ncommand = /bin/sleep 600\nstartsecs = 0\ndepends_on = web\n"
           "\n[program:other]\ncommand = /bin/sleep 600\nstartsecs = 0\n";
  };
  write_config(config("/bin/sleep 600"));
  ASSERT_NO_FATAL_FAILURE(start());
  ASSERT_NO_FATAL_FAILURE(wait_all_running());
  const int web = pid_of("web"), api = pid_of("api"), other = pid_of("other");
  const std::size_t log_mark = slurp(dir_ / "proctord.out").size();

  write_config(config("/bin/sleep 601"));
  EXPECT_EQ(ctl("reread").out, "db: changed\n");
  EXPECT_EQ(ctl("update").out, "db: stopped\ndb: updated process group\n");
  ASSERT_NO_FATAL_FAILURE(wait_all_running());
  EXPECT_NE(pid_of("web"), web);
  EXPECT_NE(pid_of("api"), api);
  EXPECT_FALSE(alive(web));
  EXPECT_FALSE(alive(api));
  EXPECT_EQ(pid_of("other"), other);

  std::string log = slurp(dir_ / "proctord.out").substr(log_mark);
  auto at = [&](const std::string& line) {
    auto pos = log.find(line);
    EXPECT_NE(pos, std::string::npos) << line << " not in:\n" << log;
    return pos;
  };
  std::size_t db_up = at("success: db entered RUNNING"), web_down = at("stopped: web");
  std::size_t web_spawn = at("spawned: 'web'"), web_up = at("success: web entered RUNNING");
  std::size_t api_down = at("stopped: api"), api_spawn = at("spawned: 'api'");
  EXPECT_LT(web_down, web_spawn);
  EXPECT_LT(db_up, web_spawn) << log;
  EXPECT_LT(api_down, api_spawn);
  EXPECT_LT(web_up, api_spawn) << log;
}

// update --minimal: numprocs up adds w_2, down removes it, and a changed
// command in a two-program group restarts that program only; every other
// process keeps its pid. Like update, it returns once what it stops has
// stopped (a takes a second). supervisorctl still sees an ordinary daemon.
TEST_F(ReloadCycles, MinimalUpdateRestartsOnlyChangedProcesses) {
  auto config = [](int numprocs, const std::string& a_command) {
    return "\n[program:w]\ncommand = /bin/sleep 600\nprocess_name = %(program_name)s_%(process_num)d\n"
           "numprocs = " + std::to_string(numprocs) + "\nstartsecs = 0\n"
           "\n[group:pair]\nprograms = a,b\n"
           "\n[program:a]\ncommand = " + a_command + "\nstartsecs = 0\nstopasgroup = true\n"
           "\n[program:b]\ncommand = /bin/sleep 600\nstartsecs = 0\n";
  };
  auto proctorctl = [&](const std::string& args) {
    return sh(std::string(PROCTORCTL_BIN) + " -c " + conf().string() + " " + args);
  };
  const std::string slow_stop = "/bin/sh -c \"trap 'sleep 1; exit 0' TERM; /bin/sleep 600 & wait\"";
  write_config(config(2, slow_stop));
  ASSERT_NO_FATAL_FAILURE(start());
  ASSERT_NO_FATAL_FAILURE(wait_all_running());
  const int w0 = pid_of("w:w_0"), w1 = pid_of("w:w_1"), a = pid_of("pair:a"), b = pid_of("pair:b");

  write_config(config(3, slow_stop));
  EXPECT_EQ(proctorctl("update --minimal").out, "w: updated changed processes in place\n");
  ASSERT_NO_FATAL_FAILURE(wait_all_running());
  EXPECT_TRUE(alive(pid_of("w:w_2")));
  EXPECT_EQ(ctl("reread").out, "No config updates to processes\n");

  write_config(config(2, "/bin/sleep 601"));
  EXPECT_EQ(proctorctl("update --minimal").out,
            "pair: updated changed processes in place\nw: updated changed processes in place\n");
  EXPECT_FALSE(alive(a));
  EXPECT_NE(ctl("status w:w_2").out.find("no such process"), std::string::npos);
  ASSERT_NO_FATAL_FAILURE(wait_all_running());
  EXPECT_NE(pid_of("pair:a"), a);
  EXPECT_EQ((std::vector<int>{pid_of("w:w_0"), pid_of("w:w_1"), pid_of("pair:b")}), (std::vector<int>{w0, w1, b}));
  EXPECT_EQ(ctl("reread").out, "No config updates to processes\n");
  EXPECT_EQ(ctl("update").out, "");
}

}  // namespace
}  // namespace proctord_test
