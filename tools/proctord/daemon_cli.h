#pragma once
// supervisord's command line, which proctord accepts unchanged so init
// scripts and container entrypoints keep working.

#include <optional>
#include <string>
#include <vector>

namespace proctor::cli {

struct DaemonCli {
  std::optional<std::string> config;  ///< -c
  std::optional<std::string> plan;    ///< --plan (proctor's own)
  bool nodaemon = false, silent = false, nocleanup = false, strip_ansi = false;
  std::optional<std::string> user, umask, directory, logfile, logfile_maxbytes, logfile_backups,
      loglevel, pidfile, identifier, childlogdir, minfds, minprocs;
  bool help = false, version = false;
};

/// Parses argv like supervisord's getopt ("c:nu:m:d:l:y:z:e:j:i:q:ka:tsvh"
/// and the long names). The error reads like supervisord's usage errors.
std::optional<DaemonCli> parse_daemon_cli(const std::vector<std::string>& args, std::string& error);

/// supervisord's search order when -c is absent.
std::vector<std::string> default_config_paths(const std::string& exe_dir);

std::string daemon_usage();

}  // namespace proctor::cli
