#pragma once
// Turning a program's `command=` into what execve() needs, the way
// Supervisor 4.2.5 does it (process.py get_execv_args, options.py
// check_execv_args/get_path/decode_wait_status), without touching the
// host: file checks go through an injected stat so tests can fake them.

#include <sys/types.h>

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/base/expected.h"

namespace proctor::runtime::exec {

/// Python 3.11's shlex.split(text): POSIX rules, no comments, words split
/// on ' \t\r\n' only. Fails with Python's "No closing quotation" or
/// "No escaped character".
Expected<std::vector<std::string>> shlex_split(std::string_view text);

/// What check_execv_args learns from os.stat and os.access.
struct FileInfo {
  mode_t mode = 0;          ///< st_mode (symlinks followed)
  bool executable = false;  ///< access(path, X_OK) for the daemon's user
};
using StatFn = std::function<std::optional<FileInfo>(const std::string&)>;

/// Supervisor's ProcessConfig.get_path(): the PATH in the program's own
/// `environment=` when it sets one (even empty), else the daemon's
/// non-empty PATH, else "/bin:/usr/bin:/usr/local/bin"; split on ':'.
std::vector<std::string> search_path(const std::optional<std::string>& program_path,
                                     const char* daemon_path);

struct ResolvedCommand {
  std::string filename;           ///< what to execve()
  std::vector<std::string> argv;  ///< argv[0] is the word as written
};

/// get_execv_args + check_execv_args: the same lookup and the same
/// messages ("can't find command 'x'", "command at '/x' is a directory",
/// ...), values quoted as Python's %r quotes them.
Expected<ResolvedCommand> resolve_command(std::string_view command,
                                          const std::vector<std::string>& path, const StatFn& stat);

struct WaitStatus {
  int exit_code;        ///< the exit status, or -1 for a signal death
  std::string message;  ///< "exit status 1", "terminated by SIGKILL (core dumped)"
};

/// options.decode_wait_status for a waitpid() status.
WaitStatus decode_wait_status(int status);

/// options.signame: Python's signal-module name ("SIGTERM"), or "signal 32".
std::string signame(int sig);

}  // namespace proctor::runtime::exec
