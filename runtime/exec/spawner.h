#pragma once
// Starting a child the way Supervisor's _spawn_as_child does (own process
// group, stdin/stdout/stderr on pipes, user, directory, umask, execve) but
// without fork(): a vfork-style clone(CLONE_VM | CLONE_VFORK) child that
// shares the daemon's memory until execve, so spawning costs no page-table
// copy. Everything the child needs is prepared by the parent; the child
// only makes async-signal-safe system calls and never allocates.

#include <sys/types.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "compiler/base/expected.h"
#include "runtime/exec/command_line.h"

namespace proctor::runtime::exec {

struct SpawnRequest {
  std::string process_name;  ///< for Supervisor's spawnerr texts only
  std::string filename;      ///< from resolve_command()
  std::vector<std::string> argv;
  std::vector<std::string> envp;  ///< "KEY=VALUE", passed exactly
  std::optional<std::string> directory;
  std::optional<mode_t> umask;
  std::optional<uid_t> uid;      ///< switch user (group, groups from the passwd entry)
  bool redirect_stderr = false;  ///< stderr onto the stdout pipe
  bool want_stdin = true;        ///< false: stdin is /dev/null
};

/// The daemon's ends of the child's pipes (non-blocking, close-on-exec);
/// the caller owns and closes them.
struct SpawnedChild {
  pid_t pid = -1;
  int stdin_fd = -1;  ///< -1 without want_stdin
  int stdout_fd = -1;
  int stderr_fd = -1;  ///< -1 with redirect_stderr
};

/// Starts the child. Failures read like Supervisor's spawnerr ("couldn't
/// chdir to /x: ENOENT", "couldn't exec /bin/x: EACCES", "couldn't setuid
/// to 1000: Can't drop privilege as nonroot user"); a child that failed
/// before execve has already been reaped. Unlike Supervisor, whose child
/// reports those on its stderr and exits 127, the caller learns them here.
Expected<SpawnedChild> spawn_child(const SpawnRequest& request);

/// Makes orphaned grandchildren reparent to the daemon (prctl
/// PR_SET_CHILD_SUBREAPER) so reap_children() collects them. 0 or -errno.
int set_child_subreaper();

/// Collects every child that has exited (waitpid(-1, WNOHANG) until none
/// is left), calling `on_exit(pid, status)` for each; for SIGCHLD.
void reap_children(const std::function<void(pid_t pid, int status)>& on_exit);

/// The host's stat()/access(X_OK), for resolve_command().
std::optional<FileInfo> host_stat(const std::string& path);

/// Python's errno.errorcode name for `err` ("ENOENT"), or its number.
std::string errno_name(int err);

}  // namespace proctor::runtime::exec
