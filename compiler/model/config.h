#pragma once
// The typed configuration: what Supervisor 4.2.5 derives from a config
// file, field for field (the oracle's vocabulary), plus what proctor adds:
// where each group and process was defined, the environment variables the
// config read, and depends_on edges.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "compiler/base/source.h"
#include "compiler/model/value_types.h"

namespace proctor::model {

using EnvList = std::vector<std::pair<std::string, std::string>>;

struct SupervisordConfig {
  std::string logfile;  ///< absolute, or exactly "syslog"
  std::int64_t logfile_maxbytes = 0;
  std::int64_t logfile_backups = 0;
  std::string loglevel;
  std::string pidfile;
  std::int64_t umask = 0;
  bool nodaemon = false;
  bool silent = false;
  std::int64_t minfds = 0;
  std::int64_t minprocs = 0;
  bool nocleanup = false;
  std::string childlogdir;
  std::optional<std::string> user;
  std::optional<std::int64_t> uid;
  std::optional<std::int64_t> gid;
  std::optional<std::string> directory;
  bool strip_ansi = false;
  EnvList environment;
  std::string identifier;
};

/// A process log channel; `kind` distinguishes NONE (null), AUTO and a path.
struct LogChannel {
  enum class Kind { kNone, kAuto, kPath } kind = Kind::kAuto;
  std::string path;
  std::int64_t maxbytes = 0;
  std::int64_t backups = 0;
  std::int64_t capture_maxbytes = 0;
  bool events_enabled = false;
  bool syslog = false;
};

struct ProcessConfig {
  std::string section;
  std::string name;
  std::string command;
  std::optional<std::string> directory;
  std::optional<std::int64_t> umask;
  std::int64_t priority = 999;
  bool autostart = true;
  Autorestart autorestart = Autorestart::kUnexpected;
  std::int64_t startsecs = 1;
  std::int64_t startretries = 3;
  std::optional<std::string> user;
  std::optional<std::int64_t> uid;
  int stopsignal = 15;
  std::int64_t stopwaitsecs = 10;
  bool stopasgroup = false;
  bool killasgroup = false;
  std::vector<int> exitcodes;
  bool redirect_stderr = false;
  LogChannel stdout_log;
  LogChannel stderr_log;
  EnvList environment;  ///< [supervisord] environment overlaid by the program's
  std::optional<std::string> serverurl;
  SourceRange source;  ///< the section header that defined it
};

struct FcgiSocket {
  std::string url;  ///< "unix:///abs" or "tcp://host:port"
  std::optional<std::int64_t> backlog;
  std::optional<std::int64_t> mode;
  std::optional<std::pair<std::int64_t, std::int64_t>> owner;
};

struct GroupConfig {
  enum class Type { kProcess, kEventListener, kFcgi };
  std::string name;
  std::int64_t priority = 999;
  Type type = Type::kProcess;
  std::vector<ProcessConfig> processes;
  // eventlistener pools
  std::int64_t buffer_size = 10;
  std::vector<std::string> events;  ///< sorted, unique
  std::string result_handler;
  // fcgi
  FcgiSocket socket;
  // proctor's own
  std::string section;  ///< the section that created the group
  SourceRange source;
  std::vector<std::string> depends_on;  ///< program names, sorted, unique
};

struct ServerConfig {
  std::string section;
  std::optional<std::string> name;
  bool inet = true;
  std::optional<std::string> username;
  std::optional<std::string> password;
  std::string host;
  std::int64_t port = 0;
  std::string file;
  std::int64_t chmod = 0700;
  std::pair<std::int64_t, std::int64_t> chown{-1, -1};
};

struct PluginConfig {
  std::string name;
  std::string factory;
  EnvList extras;  ///< key -> expanded value, first-seen order
};

struct SupervisorctlConfig {
  std::optional<std::string> error;  ///< set when supervisorctl refuses the file
  std::string serverurl;
  std::optional<std::string> username;
  std::optional<std::string> password;
  std::string prompt;
  std::optional<std::string> history_file;
  std::vector<PluginConfig> ctlplugins;
};

struct SourceFile {
  std::string path;
  bool main = false;
  std::optional<std::string> pattern;  ///< the [include] pattern that matched it
};

struct DependencyEdge {
  std::string from;  ///< program that depends
  std::string to;    ///< program it depends on
};

struct Config {
  std::string configfile;
  std::string here;
  std::string cwd;  ///< where relative paths were resolved
  std::vector<std::string> includes;
  std::vector<std::string> parse_warnings;
  std::vector<std::string> parse_infos;
  SupervisordConfig supervisord;
  std::optional<std::string> serverurl;
  std::vector<ServerConfig> servers;
  std::vector<PluginConfig> rpcinterfaces;
  std::vector<GroupConfig> groups;
  std::optional<std::string> startup_error;
  std::optional<SupervisorctlConfig> supervisorctl;
  // proctor's additions
  std::vector<SourceFile> files;
  std::vector<std::string> env_used;
  std::vector<DependencyEdge> dependencies;
};

}  // namespace proctor::model
