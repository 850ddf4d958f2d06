// proctor's reread verdict against Supervisor's own, on pairs of configs.
//
// Every directory tests/integration/reread_pairs/<NN-topic>/ holds
//
//   old/       the running config tree (old/supervisord.conf + includes)
//   new/       the tree on disk when `supervisorctl reread` runs
//   expected   what Debian's supervisorctl 4.2.5 printed for the pair
//
// Live.* (skipped when /usr/bin/supervisord is absent) copies old/ into a
// fresh mkdtemp directory, starts `supervisord -c <tmp>/supervisord.conf`
// (nodaemon, as our child, in its own process group), waits until it
// answers supervisor.getPID on its socket (what `supervisorctl pid` asks;
// calling it directly saves a Python start-up per poll), replaces the
// tree's files with new/'s (files new/ lacks are deleted; the daemon's
// socket, pid file and logs are left alone), runs `supervisorctl reread`,
// kills the daemon and its children (SIGSTOP, then SIGKILL to each: the
// verdict is in hand, and a graceful shutdown would wait out supervisord's
// 1 s poll loop) and removes the directory. proctor compiles both trees in the same temp
// directory (so %(here)s is the same path Supervisor sees) and diffs the
// plans; reread_text() must be byte-identical to supervisorctl's output,
// which must also equal `expected`. UPDATE_GOLDEN=1 rewrites `expected`
// from supervisorctl.
//
// Recorded.* needs no Supervisor: it checks proctor's verdict against
// `expected` with both trees compiled in a temp directory the same way.
//
// The configs put the socket, pid file, logs and childlogdir under
// %(here)s, so pairs run in parallel (ctest -j) without colliding. The
// [inet_http_server] pair reads its ports from PROCTOR_REREAD_PORT and
// PROCTOR_REREAD_PORT2, which the test picks free before each pair.

#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "tests/support/golden_files.h"
#include "compiler/base/diagnostic_render.h"
#include "compiler/model/host.h"
#include "compiler/plan/diff.h"
#include "compiler/plan/plan_source.h"

namespace fs = std::filesystem;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

using proctor::testing::read_text;
using proctor::testing::updating;

const char* const kSupervisord = "/usr/bin/supervisord";
const char* const kSupervisorctl = "/usr/bin/supervisorctl";

fs::path pairs_root() { return fs::path(PROCTOR_SOURCE_DIR) / "tests" / "integration" / "reread_pairs"; }

std::vector<std::string> pair_names() {
  std::vector<std::string> out;
  if (!fs::is_directory(pairs_root())) return out;
  for (const auto& e : fs::directory_iterator(pairs_root()))
    if (e.is_directory()) out.push_back(e.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

// Regular files under `root`, as paths relative to it, sorted.
std::vector<fs::path> tree_files(const fs::path& root) {
  std::vector<fs::path> out;
  for (const auto& e : fs::recursive_directory_iterator(root))
    if (e.is_regular_file()) out.push_back(fs::relative(e.path(), root));
  std::sort(out.begin(), out.end());
  return out;
}

void copy_tree(const fs::path& from, const fs::path& to) {
  for (const auto& rel : tree_files(from)) {
    fs::create_directories((to / rel).parent_path());
    fs::copy_file(from / rel, to / rel, fs::copy_options::overwrite_existing);
  }
}

// Makes `dir` (which holds old/'s files plus whatever the daemon wrote)
// look like new/: old files new/ lacks are deleted, new/'s are written.
void replace_tree(const fs::path& old_root, const fs::path& new_root, const fs::path& dir) {
  std::vector<fs::path> now = tree_files(new_root);
  std::set<fs::path> keep(now.begin(), now.end());
  for (const auto& rel : tree_files(old_root))
    if (!keep.count(rel)) fs::remove(dir / rel);
  copy_tree(new_root, dir);
}

int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  a.sin_port = 0;
  socklen_t len = sizeof a;
  int port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0)
    port = ntohs(a.sin_port);
  ::close(fd);
  return port;
}

// What `supervisorctl pid` does, without a Python start-up: the XML-RPC
// call supervisor.getPID over the daemon's unix socket. -1 when it does not
// answer (yet).
long rpc_get_pid(const fs::path& sock) {
  int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_un a{};
  a.sun_family = AF_UNIX;
  std::string path = sock.string();
  if (path.size() >= sizeof a.sun_path) {
    ::close(fd);
    return -1;
  }
  std::copy(path.begin(), path.end(), a.sun_path);
  timeval tv{2, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  std::string response;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0) {
    const std::string body =
        "<?xml version='1.0'?><methodCall><methodName>supervisor.getPID</methodName>"
        "<params></params></methodCall>";
    std::string req = "POST /RPC2 HTTP/1.0\r\nHost: localhost\r\nContent-Type: text/xml\r\n"
                      "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
    if (::send(fd, req.data(), req.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(req.size())) {
      char buf[4096];
      ssize_t n;
      while ((n = ::read(fd, buf, sizeof buf)) > 0) response.append(buf, static_cast<std::size_t>(n));
    }
  }
  ::close(fd);
  auto at = response.find("<int>");
  if (at == std::string::npos) return -1;
  return std::strtol(response.c_str() + at + 5, nullptr, 10);
}

struct Compiled {
  std::optional<json> plan;
  std::string diagnostics;
};

Compiled compile(const fs::path& config) {
  proctor::model::PosixHost host;
  proctor::SourceManager sm;
  proctor::DiagSink sink;
  proctor::plan::LoadedPlan loaded = proctor::plan::load_plan(config.string(), host, sm, sink);
  Compiled out{loaded.plan, ""};
  for (const auto& d : sink.all()) out.diagnostics += proctor::render_text(d, sm, {});
  return out;
}

struct Ran {
  int status = -1;  ///< exit status, -1 when killed or not run
  std::string out;  ///< stdout and stderr together
};

// Runs argv with stdout+stderr captured; killed after `limit`.
Ran run(const std::vector<std::string>& argv, std::chrono::seconds limit = std::chrono::seconds(20)) {
  Ran r;
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return r;
  pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(fds[1], 1);
    ::dup2(fds[1], 2);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    ::execv(args[0], args.data());
    ::_exit(127);
  }
  ::close(fds[1]);
  auto deadline = Clock::now() + limit;
  char buf[4096];
  bool killed = false;
  for (;;) {
    int ms = static_cast<int>(
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count());
    if (ms <= 0) {
      ::kill(pid, SIGKILL);
      killed = true;
      break;
    }
    pollfd p{fds[0], POLLIN, 0};
    if (::poll(&p, 1, ms) <= 0) continue;
    ssize_t n = ::read(fds[0], buf, sizeof buf);
    if (n <= 0) break;
    r.out.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fds[0]);
  int st = 0;
  ::waitpid(pid, &st, 0);
  r.status = (!killed && WIFEXITED(st)) ? WEXITSTATUS(st) : -1;
  return r;
}

// Children of `pid` (by /proc/<n>/stat's ppid field).
std::vector<pid_t> children_of(pid_t pid) {
  std::vector<pid_t> out;
  for (const auto& e : fs::directory_iterator("/proc")) {
    std::string name = e.path().filename().string();
    if (name.empty() || !std::all_of(name.begin(), name.end(), ::isdigit)) continue;
    std::string stat = read_text(e.path() / "stat");
    auto close_paren = stat.rfind(')');
    if (close_paren == std::string::npos) continue;
    std::istringstream rest(stat.substr(close_paren + 1));
    std::string state;
    long ppid = 0;
    rest >> state >> ppid;
    if (ppid == pid) out.push_back(static_cast<pid_t>(std::stol(name)));
  }
  return out;
}

std::string describe(const std::string& pair, const json& a, const json& b) {
  return "pair " + pair + "; proctor's full report:\n" +
         proctor::plan::delta_text(proctor::plan::diff_plans(a, b));
}

class RereadPair : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/proctor-reread-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
    src_ = pairs_root() / GetParam();
    ::setenv("PROCTOR_REREAD_PORT", std::to_string(free_port()).c_str(), 1);
    ::setenv("PROCTOR_REREAD_PORT2", std::to_string(free_port()).c_str(), 1);
  }

  void TearDown() override {
    stop_daemon();
    if (!dir_.empty()) {
      std::error_code ec;
      fs::remove_all(dir_, ec);
    }
  }

  fs::path conf() const { return dir_ / "supervisord.conf"; }

  void start_daemon() {
    std::string out = (dir_ / "daemon.out").string();
    pid_t pid = ::fork();
    if (pid == 0) {
      ::setpgid(0, 0);
      int fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      if (fd >= 0) {
        ::dup2(fd, 1);
        ::dup2(fd, 2);
      }
      std::string c = conf().string();
      char* args[] = {const_cast<char*>(kSupervisord), const_cast<char*>("-c"), c.data(), nullptr};
      ::execv(kSupervisord, args);
      ::_exit(127);
    }
    daemon_ = pid;
    ::setpgid(pid, pid);  // either side may win the race; both set the same group
  }

  // Polls supervisor.getPID (what `supervisorctl pid` calls) for up to 10 s.
  bool wait_ready() {
    auto deadline = Clock::now() + std::chrono::seconds(10);
    while (Clock::now() < deadline) {
      int st = 0;
      if (::waitpid(daemon_, &st, WNOHANG) == daemon_) {
        daemon_ = -1;
        return false;
      }
      if (fs::exists(dir_ / "s.sock") && rpc_get_pid(dir_ / "s.sock") == daemon_) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }

  // Ends the daemon and everything it started, quickly: a graceful
  // shutdown (`supervisorctl shutdown` or SIGTERM) waits out supervisord's
  // 1 s poll loop, which would be most of each pair's time. SIGSTOP first,
  // so it cannot spawn or reap while its children are collected (programs
  // run in process groups of their own); then SIGKILL to each child and to
  // the daemon's process group.
  void stop_daemon() {
    if (daemon_ <= 0) return;
    ::kill(daemon_, SIGSTOP);
    for (pid_t child : children_of(daemon_)) ::kill(child, SIGKILL);
    ::kill(-daemon_, SIGKILL);
    ::kill(daemon_, SIGKILL);
    ::waitpid(daemon_, nullptr, 0);
    daemon_ = -1;
  }

  fs::path dir_, src_;
  pid_t daemon_ = -1;
};

TEST_P(RereadPair, Recorded) {
  fs::path expected = src_ / "expected";
  if (!fs::exists(expected)) GTEST_SKIP() << "no recorded verdict yet (run Live with UPDATE_GOLDEN=1)";
  copy_tree(src_ / "old", dir_);
  Compiled before = compile(conf());
  ASSERT_TRUE(before.plan) << before.diagnostics;
  replace_tree(src_ / "old", src_ / "new", dir_);
  Compiled after = compile(conf());
  ASSERT_TRUE(after.plan) << after.diagnostics;
  auto delta = proctor::plan::diff_plans(*before.plan, *after.plan);
  EXPECT_EQ(proctor::plan::reread_text(delta), read_text(expected))
      << describe(GetParam(), *before.plan, *after.plan);
}

TEST_P(RereadPair, Live) {
  if (!fs::exists(kSupervisord) || !fs::exists(kSupervisorctl))
    GTEST_SKIP() << kSupervisord << " is not installed";
  copy_tree(src_ / "old", dir_);
  Compiled before = compile(conf());
  ASSERT_TRUE(before.plan) << before.diagnostics;

  start_daemon();
  ASSERT_TRUE(wait_ready()) << "supervisord did not answer within 10 s:\n"
                            << read_text(dir_ / "daemon.out") << read_text(dir_ / "d.log");

  replace_tree(src_ / "old", src_ / "new", dir_);
  Compiled after = compile(conf());
  ASSERT_TRUE(after.plan) << after.diagnostics;
  Ran reread = run({kSupervisorctl, "-c", conf().string(), "reread"});
  stop_daemon();
  ASSERT_EQ(reread.status, 0) << reread.out;

  auto delta = proctor::plan::diff_plans(*before.plan, *after.plan);
  EXPECT_EQ(proctor::plan::reread_text(delta), reread.out)
      << describe(GetParam(), *before.plan, *after.plan);

  fs::path expected = src_ / "expected";
  if (updating()) {
    std::ofstream(expected, std::ios::binary | std::ios::trunc) << reread.out;
  } else {
    EXPECT_EQ(read_text(expected), reread.out) << "supervisorctl's verdict differs from " << expected;
  }
}

INSTANTIATE_TEST_SUITE_P(Pairs, RereadPair, ::testing::ValuesIn(pair_names()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           std::string n = info.param;
                           for (char& c : n)
                             if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
                           return n;
                         });

}  // namespace
