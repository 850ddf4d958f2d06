#pragma once
// Runs a shell command as users do, for tests of the command-line tools:
// its exit status and standard output (run_command discards standard error).

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

namespace proctor::testing {

struct CommandResult {
  int status;  ///< exit status, or -1 when killed by a signal
  std::string out;
};

/// Runs `command_line` through /bin/sh as given (its own redirections
/// apply): exit status and what it wrote to standard output.
inline CommandResult run_shell(const std::string& command_line) {
  CommandResult r{-1, ""};
  FILE* p = ::popen(command_line.c_str(), "r");
  if (!p) return r;
  std::array<char, 4096> buf;
  std::size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
  int st = ::pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  return r;
}

inline CommandResult run_command(const std::string& command) { return run_shell(command + " 2>/dev/null"); }

}  // namespace proctor::testing
