#pragma once
// What supervisord does to its own process before it serves (options.py:
// set_uid_or_exit, set_rlimits_or_exit, clear_autochildlogdir, daemonize),
// applied to a plan's [supervisord] settings. Failures come back as the
// usage error supervisord exits with; what it would log comes back as
// messages for the daemon's log.

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace proctor::daemon {

struct StartupMessage {
  std::string level;  ///< "critical", "info", ...
  std::string text;
};
using StartupMessages = std::vector<StartupMessage>;

/// `-u USER` on the command line: resolves a name or uid the way
/// name_to_uid does and sets user/uid/gid; the error is Supervisor's.
std::optional<std::string> apply_user_option(const std::string& user, nlohmann::json& supervisord);

/// Becomes `uid` (with its groups) when one is set; as root without one,
/// records Supervisor's "running as root" critical message.
std::optional<std::string> set_uid(const nlohmann::json& supervisord, StartupMessages& log);

/// Raises RLIMIT_NOFILE / RLIMIT_NPROC to minfds / minprocs when below
/// them (the hard limit too, which only root may do).
std::optional<std::string> set_rlimits(const nlohmann::json& supervisord, StartupMessages& log);

/// Removes AUTO child logs an earlier run with the same identifier left.
void remove_old_auto_logs(const nlohmann::json& supervisord);

/// The parent exits; the child leads a new session with stdio on /dev/null.
void daemonize(const nlohmann::json& supervisord);

}  // namespace proctor::daemon
