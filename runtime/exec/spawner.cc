#include "runtime/exec/spawner.h"

#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstring>

namespace proctor::runtime::exec {
namespace {

/// Closes its descriptor unless released; keeps error paths leak-free.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  Fd(Fd&& o) noexcept : fd_(o.release()) {}
  Fd& operator=(Fd&& o) noexcept {
    reset(o.release());
    return *this;
  }
  ~Fd() { reset(); }
  int get() const { return fd_; }
  int release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }
  void reset(int fd = -1) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }

 private:
  int fd_ = -1;
};

/// The child dup2()s its pipe ends onto 0, 1 and 2; an end that already
/// sat on one of those (a daemon started with a closed stdin) would be
/// clobbered or keep its close-on-exec flag, so ends live at 3 and above.
int above_stdio(int fd) {
  if (fd < 0 || fd > 2) return fd;
  int moved = fcntl(fd, F_DUPFD_CLOEXEC, 3);
  int saved = errno;
  ::close(fd);
  errno = saved;
  return moved;
}

struct Pipe {
  Fd parent, child;
};

/// `child_reads` says which end is the child's; the parent's end is
/// non-blocking for the event loop (make_pipes sets O_NDELAY too).
int make_pipe(bool child_reads, Pipe& out) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) < 0) return errno;
  Fd r(above_stdio(fds[0])), w(above_stdio(fds[1]));
  if (r.get() < 0 || w.get() < 0) return errno;
  out.parent = child_reads ? std::move(w) : std::move(r);
  out.child = child_reads ? std::move(r) : std::move(w);
  int flags = fcntl(out.parent.get(), F_GETFL);
  if (flags < 0 || fcntl(out.parent.get(), F_SETFL, flags | O_NONBLOCK) < 0) return errno;
  return 0;
}

struct Credentials {
  uid_t uid;
  gid_t gid;
  std::vector<gid_t> groups;  ///< primary group first, as drop_privileges orders them
};

/// options.drop_privileges' checks, made in the parent because the child
/// may not call NSS (it allocates and opens files). nullopt: no switch.
Expected<std::optional<Credentials>> credentials_for(uid_t uid) {
  using Result = Expected<std::optional<Credentials>>;
  std::vector<char> buf(16384);
  passwd pw, *found = nullptr;
  if (getpwuid_r(uid, &pw, buf.data(), buf.size(), &found) != 0 || !found) {
    return Result::failure("Can't find uid " + std::to_string(uid));
  }
  if (getuid() == uid) return std::optional<Credentials>();
  if (getuid() != 0) return Result::failure("Can't drop privilege as nonroot user");
  int count = 64;
  std::vector<gid_t> groups(count);
  while (getgrouplist(pw.pw_name, pw.pw_gid, groups.data(), &count) < 0) groups.resize(count);
  groups.resize(count);
  return std::optional<Credentials>(Credentials{uid, pw.pw_gid, std::move(groups)});
}

enum class Stage { kNone, kSetpgid, kDup2, kSetgroups, kSetgid, kSetuid, kChdir, kExec };

/// Everything the clone child reads, built by the parent; the child
/// writes only `failed` and `error`, which the parent sees because they
/// share memory until execve.
struct ChildPlan {
  const char* filename;
  char* const* argv;
  char* const* envp;
  const char* directory;  ///< nullptr: stay
  int umask;              ///< -1: keep the daemon's
  const Credentials* credentials;
  int stdio[3];
  Stage failed = Stage::kNone;
  int error = 0;
};

[[noreturn]] void child_fail(ChildPlan* plan, Stage stage) {
  plan->error = errno;
  plan->failed = stage;
  _exit(127);
}

/// The daemon's handled and ignored signals must not leak into the
/// child: every catchable signal goes back to SIG_DFL, then the mask the
/// parent blocked during clone is lifted.
void reset_signals() {
  struct sigaction dfl {};
  dfl.sa_handler = SIG_DFL;
  for (int sig = 1; sig < NSIG; ++sig) {
    if (sig != SIGKILL && sig != SIGSTOP) sigaction(sig, &dfl, nullptr);
  }
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
}

/// The ids are set with raw system calls: glibc's setuid() in a threaded
/// process signals every sibling thread, which from a CLONE_VM child
/// would signal the daemon's threads.
void switch_user(ChildPlan* plan) {
  const Credentials* c = plan->credentials;
  if (syscall(SYS_setgroups, c->groups.size(), c->groups.data()) < 0) {
    child_fail(plan, Stage::kSetgroups);
  }
  if (syscall(SYS_setgid, c->gid) < 0) child_fail(plan, Stage::kSetgid);
  if (syscall(SYS_setuid, c->uid) < 0) child_fail(plan, Stage::kSetuid);
}

/// _spawn_as_child's order: process group, fds, user, directory, umask.
int child_main(void* arg) {
  auto* plan = static_cast<ChildPlan*>(arg);
  reset_signals();
  if (setpgid(0, 0) < 0) child_fail(plan, Stage::kSetpgid);
  for (int fd = 0; fd < 3; ++fd) {
    if (dup2(plan->stdio[fd], fd) < 0) child_fail(plan, Stage::kDup2);
  }
  if (plan->credentials) switch_user(plan);
  if (plan->directory && chdir(plan->directory) < 0) child_fail(plan, Stage::kChdir);
  if (plan->umask >= 0) ::umask(static_cast<mode_t>(plan->umask));
  execve(plan->filename, plan->argv, plan->envp);
  child_fail(plan, Stage::kExec);
}

std::vector<char*> c_strings(const std::vector<std::string>& strings) {
  std::vector<char*> out;
  out.reserve(strings.size() + 1);
  for (const auto& s : strings) out.push_back(const_cast<char*>(s.c_str()));
  out.push_back(nullptr);
  return out;
}

/// Runs child_main on a stack of its own; returns when the child has
/// exec'd or exited. Signals stay blocked meanwhile so no daemon handler
/// runs on the child's side of the shared memory.
pid_t clone_child(ChildPlan& plan) {
  constexpr size_t kStackSize = 64 * 1024;
  void* stack = mmap(nullptr, kStackSize, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
  if (stack == MAP_FAILED) return -1;
  sigset_t all, saved;
  sigfillset(&all);
  pthread_sigmask(SIG_SETMASK, &all, &saved);
  pid_t pid = clone(child_main, static_cast<char*>(stack) + kStackSize,
                    CLONE_VM | CLONE_VFORK | SIGCHLD, &plan);
  int clone_errno = errno;
  pthread_sigmask(SIG_SETMASK, &saved, nullptr);
  munmap(stack, kStackSize);
  errno = clone_errno;
  return pid;
}

std::string stage_message(const SpawnRequest& r, Stage stage, int err) {
  std::string code = errno_name(err);
  std::string user = r.uid ? std::to_string(*r.uid) : "";
  switch (stage) {
    case Stage::kSetpgid:
      return "couldn't setpgid: " + code;
    case Stage::kDup2:
      return "couldn't set up the child's stdio: " + code;
    case Stage::kSetgroups:
      return "couldn't setuid to " + user + ": Could not set groups of effective user";
    case Stage::kSetgid:
      return "couldn't setuid to " + user + ": Could not set group id of effective user";
    case Stage::kSetuid:
      return "couldn't setuid to " + user + ": " + code;
    case Stage::kChdir:
      return "couldn't chdir to " + r.directory.value_or("") + ": " + code;
    case Stage::kExec:
      return "couldn't exec " + r.argv.at(0) + ": " + code;
    case Stage::kNone:
      break;
  }
  return "";
}

struct ChildPipes {
  Pipe in, out, err;
};

/// Supervisor's make_dispatchers failure texts.
Expected<ChildPipes> open_pipes(const SpawnRequest& r) {
  ChildPipes p;
  int err = r.want_stdin ? make_pipe(true, p.in) : 0;
  if (!r.want_stdin) {
    p.in.child.reset(above_stdio(open("/dev/null", O_RDONLY | O_CLOEXEC)));
    if (p.in.child.get() < 0) err = errno;
  }
  if (!err) err = make_pipe(false, p.out);
  if (!err && !r.redirect_stderr) err = make_pipe(false, p.err);
  if (err == EMFILE) {
    return Expected<ChildPipes>::failure("too many open files to spawn '" + r.process_name + "'");
  }
  if (err) {
    return Expected<ChildPipes>::failure("unknown error making dispatchers for '" + r.process_name +
                                         "': " + errno_name(err));
  }
  return p;
}

std::string fork_error(const SpawnRequest& r, int err) {
  if (err == EAGAIN) return "Too many processes in process table to spawn '" + r.process_name + "'";
  return "unknown error during fork for '" + r.process_name + "': " + errno_name(err);
}

}  // namespace

Expected<SpawnedChild> spawn_child(const SpawnRequest& r) {
  using Result = Expected<SpawnedChild>;
  if (r.argv.empty()) return Result::failure("command is empty");
  std::optional<Credentials> credentials;
  if (r.uid) {
    auto c = credentials_for(*r.uid);
    if (!c) {
      return Result::failure("couldn't setuid to " + std::to_string(*r.uid) + ": " + c.error());
    }
    credentials = std::move(c.value());
  }
  auto pipes = open_pipes(r);
  if (!pipes) return Result::failure(pipes.error());
  ChildPipes& p = pipes.value();
  std::vector<char*> argv = c_strings(r.argv), envp = c_strings(r.envp);
  ChildPlan plan{r.filename.c_str(),
                 argv.data(),
                 envp.data(),
                 r.directory ? r.directory->c_str() : nullptr,
                 r.umask ? static_cast<int>(*r.umask) : -1,
                 credentials ? &*credentials : nullptr,
                 {p.in.child.get(), p.out.child.get(),
                  r.redirect_stderr ? p.out.child.get() : p.err.child.get()}};
  pid_t pid = clone_child(plan);
  if (pid < 0) return Result::failure(fork_error(r, errno));
  if (plan.failed != Stage::kNone) {
    waitpid(pid, nullptr, 0);  // it has already exited with 127
    return Result::failure(stage_message(r, plan.failed, plan.error));
  }
  return SpawnedChild{pid, p.in.parent.release(), p.out.parent.release(), p.err.parent.release()};
}

int set_child_subreaper() { return prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) < 0 ? -errno : 0; }

void reap_children(const std::function<void(pid_t, int)>& on_exit) {
  for (;;) {
    int status = 0;
    pid_t pid = waitpid(-1, &status, WNOHANG);
    if (pid < 0 && errno == EINTR) continue;
    if (pid <= 0) return;
    on_exit(pid, status);
  }
}

std::optional<FileInfo> host_stat(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) < 0) return std::nullopt;
  return FileInfo{st.st_mode, access(path.c_str(), X_OK) == 0};
}

std::string errno_name(int err) {
  // Python's errno.errorcode picks these aliases; 133 is unknown to 3.11.
  if (err == EDEADLK) return "EDEADLOCK";
  if (err == EOPNOTSUPP) return "ENOTSUP";
  const char* name = err == 133 ? nullptr : strerrorname_np(err);
  return name ? name : std::to_string(err);
}

}  // namespace proctor::runtime::exec
