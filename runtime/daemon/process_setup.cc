#include "runtime/daemon/process_setup.h"

#include <dirent.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <grp.h>
#include <pwd.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

namespace proctor::daemon {

using nlohmann::json;

std::optional<std::string> apply_user_option(const std::string& user, json& s) {
  const passwd* pw = nullptr;
  char* end = nullptr;
  errno = 0;
  long id = std::strtol(user.c_str(), &end, 10);
  bool numeric = !user.empty() && *end == '\0' && errno == 0;
  if (numeric) {
    pw = ::getpwuid(static_cast<uid_t>(id));
    if (!pw) return "Invalid user id " + user;
  } else {
    pw = ::getpwnam(user.c_str());
    if (!pw) return "Invalid user name " + user;
  }
  s["user"] = user;
  s["uid"] = pw->pw_uid;
  s["gid"] = pw->pw_gid;
  return std::nullopt;
}

std::optional<std::string> set_uid(const json& s, StartupMessages& log) {
  if (!s.contains("uid") || s["uid"].is_null()) {
    if (::getuid() == 0)
      log.push_back({"critical",
                     "Supervisor is running as root.  Privileges were not dropped because no user is "
                     "specified in the config file.  If you intend to run as root, you can set "
                     "user=root in the config file to avoid this message."});
    return std::nullopt;
  }
  auto uid = s["uid"].get<uid_t>();
  const passwd* pw = ::getpwuid(uid);
  if (!pw) return fmt::format("Can't find uid {}", uid);
  if (::getuid() == uid) return std::nullopt;
  if (::getuid() != 0) return "Can't drop privilege as nonroot user";
  // initgroups puts the user's supplementary groups after the primary gid,
  // as drop_privileges builds its setgroups list.
  if (::initgroups(pw->pw_name, pw->pw_gid) != 0) return "Could not set groups of effective user";
  if (::setgid(pw->pw_gid) != 0) return "Could not set group id of effective user";
  if (::setuid(uid) != 0) return "Could not set user id of effective user";
  log.push_back({"info", fmt::format("Set uid to user {} succeeded", uid)});
  return std::nullopt;
}

namespace {

struct LimitCheck {
  int resource;
  const char* name;
  const char* key;
  const char* message;  ///< Supervisor's, with {min} and {hard}
};

constexpr LimitCheck kLimits[] = {
    {RLIMIT_NOFILE, "RLIMIT_NOFILE", "minfds",
     "The minimum number of file descriptors required to run this process is {min} as per the "
     "\"minfds\" command-line argument or config file setting. The current environment will only "
     "allow you to open {hard} file descriptors.  Either raise the number of usable file descriptors "
     "in your environment (see README.rst) or lower the minfds setting in the config file to allow "
     "the process to start."},
    {RLIMIT_NPROC, "RLIMIT_NPROC", "minprocs",
     "The minimum number of available processes required to run this program is {min} as per the "
     "\"minprocs\" command-line argument or config file setting. The current environment will only "
     "allow you to open {hard} processes.  Either raise the number of usable processes in your "
     "environment (see README.rst) or lower the minprocs setting in the config file to allow the "
     "program to start."},
};

// Python's resource module reports RLIM_INFINITY as -1.
long long py_limit(rlim_t v) { return v == RLIM_INFINITY ? -1 : static_cast<long long>(v); }

}  // namespace

std::optional<std::string> set_rlimits(const json& s, StartupMessages& log) {
  for (const auto& check : kLimits) {
    if (!s.contains(check.key) || !s[check.key].is_number_integer()) continue;
    long long min = s[check.key].get<long long>();
    rlimit lim{};
    if (::getrlimit(check.resource, &lim) != 0) continue;
    if (lim.rlim_cur == RLIM_INFINITY || static_cast<long long>(lim.rlim_cur) >= min) continue;
    long long hard = py_limit(lim.rlim_max);
    // Asking for a hard limit above the current one succeeds only as root.
    if (hard != -1 && hard < min) hard = min;
    rlimit want{static_cast<rlim_t>(min), hard == -1 ? RLIM_INFINITY : static_cast<rlim_t>(hard)};
    if (min < 0 || ::setrlimit(check.resource, &want) != 0)
      return fmt::format(fmt::runtime(check.message), fmt::arg("min", min), fmt::arg("hard", hard));
    log.push_back({"info", fmt::format("Increased {} limit to {}", check.name, min)});
  }
  return std::nullopt;
}

void remove_old_auto_logs(const json& s) {
  std::string dir = s.value("childlogdir", "/tmp");
  std::string marker = "---" + s.value("identifier", std::string("supervisor")) + "-";
  DIR* d = ::opendir(dir.c_str());
  if (!d) return;
  while (dirent* e = ::readdir(d)) {
    std::string name = e->d_name;
    if (name.find(marker) != std::string::npos && name.ends_with(".log")) ::unlink((dir + "/" + name).c_str());
  }
  ::closedir(d);
}

void daemonize(const json& s) {
  pid_t pid = ::fork();
  if (pid < 0) return;
  if (pid > 0) ::_exit(0);
  if (s.contains("directory") && s["directory"].is_string())
    (void)!::chdir(s["directory"].get<std::string>().c_str());
  ::setsid();
  int null = ::open("/dev/null", O_RDWR);
  if (null >= 0) {
    ::dup2(null, 0);
    ::dup2(null, 1);
    ::dup2(null, 2);
    if (null > 2) ::close(null);
  }
}

}  // namespace proctor::daemon
