// Real children: spawn_child() with its pipes read by ChannelReaders in a
// libuv loop into RotatingFiles. Children are standard tools or this
// binary re-run as a helper (`--helper pattern BYTES`), the libuv pattern.

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <uv.h>

#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "runtime/exec/command_line.h"
#include "runtime/exec/spawner.h"
#include "runtime/logs/channel_reader.h"
#include "runtime/logs/rotating_file.h"

namespace proctor::runtime {
namespace {

namespace fs = std::filesystem;
using exec::SpawnRequest;
using logs::ChannelReader;
using logs::RotatingFile;

/// Byte `pos` of the helper's output: the 64-bit index of each 8-byte word,
/// so any byte that is lost, repeated or misplaced shows.
char pattern_byte(std::uint64_t pos) {
  std::uint64_t word = pos / 8;
  return static_cast<char>(word >> (8 * (pos % 8)));
}

/// The helper: writes `total` pattern bytes to stdout in uneven chunks.
int helper_pattern(std::uint64_t total) {
  std::string buf;
  std::uint64_t pos = 0;
  for (std::uint64_t chunk = 1000; pos < total; chunk = chunk * 7 % 99991 + 1) {
    buf.resize(std::min(chunk, total - pos));
    for (char& c : buf) c = pattern_byte(pos++);
    for (size_t done = 0; done < buf.size();) {
      ssize_t n = ::write(1, buf.data() + done, buf.size() - done);
      if (n < 0) return 1;
      done += static_cast<size_t>(n);
    }
  }
  return 0;
}

std::string self_exe() { return fs::read_symlink("/proc/self/exe").string(); }

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

SpawnRequest request(std::vector<std::string> argv) {
  SpawnRequest r;
  r.process_name = "test";
  r.filename = argv.at(0);
  r.argv = std::move(argv);
  r.envp = {"PATH=/usr/bin:/bin"};
  return r;
}

struct Outcome {
  std::string out, err;
  int status = -1;
  exec::SpawnedChild child;
};

class SpawnTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/proctor-spawn-XXXXXX";
    dir_ = mkdtemp(tmpl);
    uv_loop_init(&loop_);
  }
  void TearDown() override {
    uv_loop_close(&loop_);
    fs::remove_all(dir_);
  }

  /// Reads `fd` into the log until end of file (on the loop).
  void attach(int fd, RotatingFile* log, logs::ChannelOptions options = {}) {
    if (fd < 0) return;
    auto holder = std::make_shared<ChannelReader*>(nullptr);
    options.log = log;
    options.on_eof = [holder, eof = std::move(options.on_eof)](int status) {
      if (eof) eof(status);
      (*holder)->close();
    };
    auto reader = ChannelReader::start(&loop_, fd, std::move(options));
    ASSERT_TRUE(reader.ok()) << reader.error();
    *holder = reader.value();
  }

  /// Spawns, logs stdout/stderr to out.log/err.log, waits for the exit.
  Outcome spawn_and_log(const SpawnRequest& r, std::int64_t maxbytes = 0, int backups = 0) {
    Outcome o;
    fs::remove(dir_ / "out.log");
    fs::remove(dir_ / "err.log");
    auto out = RotatingFile::open((dir_ / "out.log").string(), maxbytes, backups);
    auto err = RotatingFile::open((dir_ / "err.log").string(), 0, 0);
    auto child = exec::spawn_child(r);
    EXPECT_TRUE(child.ok()) << child.error();
    if (!child.ok()) return o;
    o.child = child.value();
    if (o.child.stdin_fd >= 0) ::close(o.child.stdin_fd);
    attach(o.child.stdout_fd, &out.value());
    attach(o.child.stderr_fd, &err.value());
    uv_run(&loop_, UV_RUN_DEFAULT);
    waitpid(o.child.pid, &o.status, 0);
    return o;
  }

  /// spawn_and_log, and what the logs hold.
  Outcome run(const SpawnRequest& r, std::int64_t maxbytes = 0, int backups = 0) {
    Outcome o = spawn_and_log(r, maxbytes, backups);
    o.out = slurp(dir_ / "out.log");
    o.err = slurp(dir_ / "err.log");
    return o;
  }

  fs::path dir_;
  uv_loop_t loop_;
};

TEST_F(SpawnTest, EchoThroughTheLoop) {
  auto o = run(request({"/bin/echo", "hello", "world"}));
  EXPECT_EQ(o.out, "hello world\n");
  EXPECT_EQ(exec::decode_wait_status(o.status).message, "exit status 0");
}

TEST_F(SpawnTest, ResolvedOnTheHostAndStrippedOfEscapes) {
  auto cmd = exec::resolve_command("printf '\\033[31mred\\033[0m %s\\n' plain",
                                   exec::search_path(std::nullopt, "/nonexistent:/usr/bin"),
                                   exec::host_stat);
  ASSERT_TRUE(cmd.ok()) << cmd.error();
  EXPECT_EQ(cmd->filename, "/usr/bin/printf");
  SpawnRequest r = request(cmd->argv);
  r.filename = cmd->filename;
  auto child = exec::spawn_child(r);
  ASSERT_TRUE(child.ok());
  auto log = RotatingFile::open((dir_ / "ansi.log").string(), 0, 0);
  std::string seen;
  logs::ChannelOptions options;
  options.log = &log.value();
  options.strip_ansi = true;
  options.on_data = [&](std::string_view chunk) { seen += chunk; };
  ::close(child->stdin_fd);
  ::close(child->stderr_fd);
  attach(child->stdout_fd, &log.value(), std::move(options));
  uv_run(&loop_, UV_RUN_DEFAULT);
  waitpid(child->pid, nullptr, 0);
  EXPECT_EQ(slurp(dir_ / "ansi.log"), "red plain\n");
  EXPECT_EQ(seen, "red plain\n");
}

TEST_F(SpawnTest, SeparateAndRedirectedStderr) {
  auto r = request({"/bin/sh", "-c", "echo out; echo err >&2; exit 3"});
  auto o = run(r);
  EXPECT_EQ(o.out, "out\n");
  EXPECT_EQ(o.err, "err\n");
  EXPECT_EQ(exec::decode_wait_status(o.status).exit_code, 3);
  r.redirect_stderr = true;
  o = run(r);
  EXPECT_EQ(o.child.stderr_fd, -1);
  EXPECT_EQ(o.out, "out\nerr\n");
}

TEST_F(SpawnTest, DirectoryUmaskAndEnvironment) {
  auto r = request({"/bin/sh", "-c", "pwd; umask"});
  r.directory = dir_.string();
  r.umask = 027;
  EXPECT_EQ(run(r).out, dir_.string() + "\n0027\n");
  r = request({"/usr/bin/env"});
  r.envp = {"B=two words", "A=1", "EMPTY=", "A=again"};
  EXPECT_EQ(run(r).out, "B=two words\nA=1\nEMPTY=\nA=again\n");
}

TEST_F(SpawnTest, StdinPipeOrDevNull) {
  auto r = request({"/bin/cat"});
  auto child = exec::spawn_child(r);
  ASSERT_TRUE(child.ok());
  ASSERT_GE(child->stdin_fd, 0);
  ASSERT_EQ(::write(child->stdin_fd, "abc", 3), 3);
  ::close(child->stdin_fd);
  auto out = RotatingFile::open((dir_ / "cat.log").string(), 0, 0);
  attach(child->stdout_fd, &out.value());
  attach(child->stderr_fd, nullptr);
  uv_run(&loop_, UV_RUN_DEFAULT);
  waitpid(child->pid, nullptr, 0);
  EXPECT_EQ(slurp(dir_ / "cat.log"), "abc");

  r.want_stdin = false;
  struct stat null_st;
  if (stat("/dev/null", &null_st) != 0 || !S_ISCHR(null_st.st_mode)) {
    GTEST_SKIP() << "/dev/null on this host is not the null device";
  }
  auto o = run(r);
  EXPECT_EQ(o.child.stdin_fd, -1);
  EXPECT_EQ(o.out, "");
  EXPECT_EQ(exec::decode_wait_status(o.status).message, "exit status 0");
}

TEST_F(SpawnTest, FailuresBeforeExecAreReported) {
  auto r = request({"/bin/true"});
  r.directory = "/nonexistent/x";
  auto child = exec::spawn_child(r);
  ASSERT_FALSE(child.ok());
  EXPECT_EQ(child.error(), "couldn't chdir to /nonexistent/x: ENOENT");

  r = request({"/nonexistent/prog", "arg"});
  EXPECT_EQ(exec::spawn_child(r).error(), "couldn't exec /nonexistent/prog: ENOENT");
  std::string plain = (dir_ / "plain").string();
  std::ofstream(plain) << "not a program";
  r = request({plain});
  EXPECT_EQ(exec::spawn_child(r).error(), "couldn't exec " + plain + ": EACCES");

  r = request({"/bin/true"});
  r.uid = 3999999;
  EXPECT_EQ(exec::spawn_child(r).error(), "couldn't setuid to 3999999: Can't find uid 3999999");
  // The failed children were reaped: nothing is left to wait for.
  EXPECT_EQ(waitpid(-1, nullptr, WNOHANG), -1);
  EXPECT_EQ(errno, ECHILD);
}

TEST_F(SpawnTest, ChildLeadsItsOwnProcessGroup) {
  auto child = exec::spawn_child(request({"/bin/sleep", "30"}));
  ASSERT_TRUE(child.ok());
  EXPECT_EQ(getpgid(child->pid), child->pid);
  kill(-child->pid, SIGKILL);  // what killasgroup does
  int status = 0;
  waitpid(child->pid, &status, 0);
  EXPECT_EQ(exec::decode_wait_status(status).message, "terminated by SIGKILL");
  for (int fd : {child->stdin_fd, child->stdout_fd, child->stderr_fd}) ::close(fd);
}

TEST_F(SpawnTest, DaemonsIgnoredAndBlockedSignalsAreReset) {
  struct sigaction ignore {
  }, saved_int{};
  ignore.sa_handler = SIG_IGN;
  sigaction(SIGINT, &ignore, &saved_int);
  sigset_t term, saved_mask;
  sigemptyset(&term);
  sigaddset(&term, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &term, &saved_mask);
  auto a = exec::spawn_child(request({"/bin/sleep", "30"}));
  auto b = exec::spawn_child(request({"/bin/sleep", "30"}));
  sigaction(SIGINT, &saved_int, nullptr);
  pthread_sigmask(SIG_SETMASK, &saved_mask, nullptr);
  ASSERT_TRUE(a.ok() && b.ok());
  kill(a->pid, SIGINT);
  kill(b->pid, SIGTERM);
  int sa = 0, sb = 0;
  waitpid(a->pid, &sa, 0);
  waitpid(b->pid, &sb, 0);
  EXPECT_EQ(exec::decode_wait_status(sa).message, "terminated by SIGINT");
  EXPECT_EQ(exec::decode_wait_status(sb).message, "terminated by SIGTERM");
  for (auto* c : {&a.value(), &b.value()}) {
    for (int fd : {c->stdin_fd, c->stdout_fd, c->stderr_fd}) ::close(fd);
  }
}

TEST_F(SpawnTest, ReapChildrenCollectsEveryExit) {
  std::set<pid_t> started;
  for (const char* code : {"0", "1", "2"}) {
    auto c = exec::spawn_child(request({"/bin/sh", "-c", std::string("exit ") + code}));
    ASSERT_TRUE(c.ok());
    started.insert(c->pid);
    for (int fd : {c->stdin_fd, c->stdout_fd, c->stderr_fd}) ::close(fd);
  }
  std::set<pid_t> reaped;
  std::set<int> codes;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (reaped.size() < started.size() && std::chrono::steady_clock::now() < deadline) {
    exec::reap_children([&](pid_t pid, int status) {
      reaped.insert(pid);
      codes.insert(exec::decode_wait_status(status).exit_code);
    });
    usleep(10000);
  }
  EXPECT_EQ(reaped, started);
  EXPECT_EQ(codes, (std::set<int>{0, 1, 2}));
}

TEST_F(SpawnTest, SwitchesToNobodyWhenRoot) {
  if (getuid() != 0) GTEST_SKIP() << "needs root";
  auto r = request({"/bin/sh", "-c", "id -u; id -g"});
  r.uid = 65534;
  r.directory = "/";
  auto o = run(r);
  EXPECT_EQ(o.out, "65534\n65534\n");
}

TEST_F(SpawnTest, FiftyMegabytesThroughRotation) {
  constexpr std::uint64_t kTotal = 50ull << 20;
  constexpr std::int64_t kMax = 10 << 20;
  auto r = request({self_exe(), "--helper", "pattern", std::to_string(kTotal)});
  auto o = run(r, kMax, 3);
  ASSERT_EQ(exec::decode_wait_status(o.status).message, "exit status 0");
  // Oldest first, the kept files are one contiguous tail of the output.
  std::string kept;
  for (const char* suffix : {".3", ".2", ".1", ""}) {
    std::string part = slurp(dir_ / (std::string("out.log") + suffix));
    if (*suffix) {
      EXPECT_GE(part.size(), static_cast<size_t>(kMax)) << suffix;
    }
    kept += part;
  }
  EXPECT_FALSE(fs::exists(dir_ / "out.log.4"));
  ASSERT_LE(kept.size(), kTotal);
  std::uint64_t start = kTotal - kept.size();
  for (std::uint64_t i = 0; i < kept.size(); ++i) {
    if (kept[i] != pattern_byte(start + i)) FAIL() << "byte " << start + i << " is wrong";
  }
}

/// A measurement, not a check: `--gtest_also_run_disabled_tests` prints
/// ChannelReader -> RotatingFile against `cat > file` for 200 MB.
TEST_F(SpawnTest, DISABLED_Throughput200MB) {
  const std::string produce = "head -c 209715200 /dev/zero";
  auto time = [](auto&& f) {
    auto t0 = std::chrono::steady_clock::now();
    f();
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  };
  double ours = time([&] { spawn_and_log(request({"/bin/sh", "-c", produce})); });
  std::string cat_file = (dir_ / "cat.out").string();
  double cat = time([&] {
    spawn_and_log(request({"/bin/sh", "-c", produce + " | cat > " + cat_file}));
  });
  EXPECT_EQ(fs::file_size(dir_ / "out.log"), 209715200u);
  std::printf("200 MB: ChannelReader %.3fs, cat > file %.3fs, ratio %.2f\n", ours, cat, ours / cat);
}

}  // namespace
}  // namespace proctor::runtime

int main(int argc, char** argv) {
  if (argc == 4 && std::strcmp(argv[1], "--helper") == 0 && std::strcmp(argv[2], "pattern") == 0) {
    return proctor::runtime::helper_pattern(std::strtoull(argv[3], nullptr, 10));
  }
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
