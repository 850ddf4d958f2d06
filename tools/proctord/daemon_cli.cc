#include "tools/proctord/daemon_cli.h"

#include <map>

namespace proctor::cli {

namespace {

struct OptionDef {
  char short_name;
  const char* long_name;
  std::optional<std::string> DaemonCli::*value;  ///< nullptr for flags
  bool DaemonCli::*flag;
};

const std::vector<OptionDef>& option_defs() {
  static const std::vector<OptionDef> defs = {
      {'c', "configuration", &DaemonCli::config, nullptr},
      {'n', "nodaemon", nullptr, &DaemonCli::nodaemon},
      {'s', "silent", nullptr, &DaemonCli::silent},
      {'u', "user", &DaemonCli::user, nullptr},
      {'m', "umask", &DaemonCli::umask, nullptr},
      {'d', "directory", &DaemonCli::directory, nullptr},
      {'l', "logfile", &DaemonCli::logfile, nullptr},
      {'y', "logfile_maxbytes", &DaemonCli::logfile_maxbytes, nullptr},
      {'z', "logfile_backups", &DaemonCli::logfile_backups, nullptr},
      {'e', "loglevel", &DaemonCli::loglevel, nullptr},
      {'j', "pidfile", &DaemonCli::pidfile, nullptr},
      {'i', "identifier", &DaemonCli::identifier, nullptr},
      {'q', "childlogdir", &DaemonCli::childlogdir, nullptr},
      {'k', "nocleanup", nullptr, &DaemonCli::nocleanup},
      {'a', "minfds", &DaemonCli::minfds, nullptr},
      {0, "minprocs", &DaemonCli::minprocs, nullptr},
      {'t', "strip_ansi", nullptr, &DaemonCli::strip_ansi},
      {'v', "version", nullptr, &DaemonCli::version},
      {'h', "help", nullptr, &DaemonCli::help},
      {0, "plan", &DaemonCli::plan, nullptr},
  };
  return defs;
}

const OptionDef* find_long(std::string_view name) {
  for (const auto& d : option_defs())
    if (name == d.long_name) return &d;
  return nullptr;
}

const OptionDef* find_short(char c) {
  for (const auto& d : option_defs())
    if (d.short_name == c) return &d;
  return nullptr;
}

}  // namespace

std::optional<DaemonCli> parse_daemon_cli(const std::vector<std::string>& args, std::string& error) {
  DaemonCli cli;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    const OptionDef* def = nullptr;
    std::optional<std::string> inline_value;
    if (a.starts_with("--")) {
      std::string name = a.substr(2);
      if (auto eq = name.find('='); eq != std::string::npos) {
        inline_value = name.substr(eq + 1);
        name = name.substr(0, eq);
      }
      def = find_long(name);
      if (!def) {
        error = "option --" + name + " not recognized";
        return std::nullopt;
      }
    } else if (a.size() >= 2 && a[0] == '-') {
      def = find_short(a[1]);
      if (!def) {
        error = std::string("option -") + a[1] + " not recognized";
        return std::nullopt;
      }
      if (a.size() > 2) inline_value = a.substr(2);
    } else {
      error = "positional arguments are not supported: ['" + a + "']";
      return std::nullopt;
    }
    if (def->flag) {
      cli.*(def->flag) = true;
      continue;
    }
    if (!inline_value) {
      if (i + 1 >= args.size()) {
        error = std::string("option --") + def->long_name + " requires argument";
        return std::nullopt;
      }
      inline_value = args[++i];
    }
    if ((cli.*(def->value)).has_value()) {
      error = std::string("conflicting command line option '--") + def->long_name + "'";
      return std::nullopt;
    }
    cli.*(def->value) = *inline_value;
  }
  return cli;
}

std::vector<std::string> default_config_paths(const std::string& exe_dir) {
  return {exe_dir + "/../etc/supervisord.conf", exe_dir + "/../supervisord.conf", "supervisord.conf",
          "etc/supervisord.conf", "/etc/supervisord.conf", "/etc/supervisor/supervisord.conf"};
}

std::string daemon_usage() {
  return R"(proctord -- run a set of applications as daemons, like supervisord.

Usage: proctord [options]

Options:
-c/--configuration FILENAME -- configuration file path (searches if not given)
--plan FILENAME -- run a plan compiled by 'proctor compile' instead of a config
-n/--nodaemon -- run in the foreground (same as 'nodaemon=true' in config file)
-s/--silent -- no logs to stdout (maps to 'silent=true' in config file)
-h/--help -- print this usage message and exit
-v/--version -- print proctord version number and exit
-u/--user USER -- run proctord as this user (or numeric uid)
-m/--umask UMASK -- use this umask for daemon subprocess (default is 022)
-d/--directory DIRECTORY -- directory to chdir to when daemonized
-l/--logfile FILENAME -- use FILENAME as logfile path
-y/--logfile_maxbytes BYTES -- use BYTES to limit the max size of logfile
-z/--logfile_backups NUM -- number of backups to keep when max bytes reached
-e/--loglevel LEVEL -- use LEVEL as log level (debug,info,warn,error,critical)
-j/--pidfile FILENAME -- write a pid file for the daemon process to FILENAME
-i/--identifier STR -- identifier used for this instance of proctord
-q/--childlogdir DIRECTORY -- the log directory for child process logs
-k/--nocleanup --  prevent the process from performing cleanup (removal of
                   old automatic child log files) at startup.
-a/--minfds NUM -- the minimum number of file descriptors for start success
-t/--strip_ansi -- strip ansi escape codes from process output
--minprocs NUM  -- the minimum number of processes available for start success
)";
}

}  // namespace proctor::cli
