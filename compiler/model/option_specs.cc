#include "compiler/model/option_specs.h"

#include <cassert>

namespace proctor::model {

namespace {

using K = ValueKind;
constexpr std::optional<std::string_view> none = std::nullopt;

// Options every process-creating section shares (program, fcgi-program,
// eventlistener), with the defaults of options.py _processes_from_section.
std::vector<OptionSpec> process_options() {
  return {
      {"command", K::kString, none, "The command to run; split like a shell would, without a shell."},
      {"process_name", K::kName, "%(program_name)s", "Template for process names; needs %(process_num) when numprocs > 1."},
      {"numprocs", K::kInteger, "1", "How many copies of the process to run."},
      {"numprocs_start", K::kInteger, "0", "First value of %(process_num)."},
      {"priority", K::kInteger, "999", "Start order (low first) and stop order (high first)."},
      {"autostart", K::kBoolean, "true", "Start when supervisord starts."},
      {"startsecs", K::kInteger, "1", "Seconds the process must stay up to count as started."},
      {"startretries", K::kInteger, "3", "Failed starts allowed before the process is FATAL."},
      {"autorestart", K::kAutorestart, "unexpected", "Restart on exit: true, false or unexpected (exit code not in exitcodes)."},
      {"exitcodes", K::kExitcodes, "0", "Exit codes that count as expected."},
      {"stopsignal", K::kSignal, "TERM", "Signal sent to stop the process."},
      {"stopwaitsecs", K::kInteger, "10", "Seconds to wait after stopsignal before SIGKILL."},
      {"stopasgroup", K::kBoolean, "false", "Send the stop signal to the whole process group."},
      {"killasgroup", K::kBoolean, "false", "Send SIGKILL to the whole process group (defaults to stopasgroup)."},
      {"user", K::kUser, none, "Run the process as this user (name or uid)."},
      {"redirect_stderr", K::kBoolean, "false", "Send stderr into the stdout log."},
      {"stdout_logfile", K::kLogfile, "AUTO", "stdout log path, AUTO, NONE or syslog."},
      {"stdout_logfile_maxbytes", K::kByteSize, "50MB", "Rotate the stdout log at this size; 0 never rotates."},
      {"stdout_logfile_backups", K::kInteger, "10", "Rotated stdout logs to keep."},
      {"stdout_capture_maxbytes", K::kByteSize, "0", "Capture-mode buffer for PROCESS_COMMUNICATION events."},
      {"stdout_events_enabled", K::kBoolean, "false", "Emit PROCESS_LOG_STDOUT events."},
      {"stdout_syslog", K::kBoolean, "false", "Also send stdout to syslog."},
      {"stderr_logfile", K::kLogfile, "AUTO", "stderr log path, AUTO, NONE or syslog."},
      {"stderr_logfile_maxbytes", K::kByteSize, "50MB", "Rotate the stderr log at this size; 0 never rotates."},
      {"stderr_logfile_backups", K::kInteger, "10", "Rotated stderr logs to keep."},
      {"stderr_capture_maxbytes", K::kByteSize, "0", "Capture-mode buffer for PROCESS_COMMUNICATION events."},
      {"stderr_events_enabled", K::kBoolean, "false", "Emit PROCESS_LOG_STDERR events."},
      {"stderr_syslog", K::kBoolean, "false", "Also send stderr to syslog."},
      {"environment", K::kEnvironment, "", "KEY=value pairs added to the process environment."},
      {"directory", K::kString, none, "Working directory of the process."},
      {"umask", K::kOctal, none, "umask of the process."},
      {"serverurl", K::kString, none, "SUPERVISOR_SERVER_URL given to the process; AUTO = the default."},
      {"depends_on", K::kNameList, none, "proctor: programs that must be RUNNING before this one starts.", true},
  };
}

std::vector<OptionSpec> with(std::vector<OptionSpec> base, std::vector<OptionSpec> extra) {
  base.insert(base.end(), extra.begin(), extra.end());
  return base;
}

std::vector<OptionSpec> server_auth() {
  return {{"username", K::kString, none, "Basic-auth user name."},
          {"password", K::kString, none, "Basic-auth password, plain or {SHA}hex."}};
}

std::vector<SectionSpec> build_specs() {
  std::vector<SectionSpec> s;
  s.push_back({SectionKind::kSupervisord, "supervisord", false, "Settings of supervisord itself.", {
      {"logfile", K::kFilePath, "supervisord.log", "supervisord's own log (relative to the working directory)."},
      {"logfile_maxbytes", K::kByteSize, "50MB", "Rotate the main log at this size."},
      {"logfile_backups", K::kInteger, "10", "Rotated main logs to keep."},
      {"loglevel", K::kLoglevel, "info", "critical, error, warn, info, debug, trace or blather."},
      {"pidfile", K::kFilePath, "supervisord.pid", "Where supervisord writes its pid."},
      {"umask", K::kOctal, "022", "umask of supervisord."},
      {"nodaemon", K::kBoolean, "false", "Stay in the foreground."},
      {"silent", K::kBoolean, "false", "With nodaemon, do not log to stdout."},
      {"minfds", K::kInteger, "1024", "File descriptors required at start."},
      {"minprocs", K::kInteger, "200", "Process slots required at start."},
      {"nocleanup", K::kBoolean, "false", "Keep AUTO child logs at start."},
      {"childlogdir", K::kExistingDirectory, none, "Directory for AUTO child logs (default: the temp dir)."},
      {"user", K::kUser, none, "Switch to this user after start."},
      {"directory", K::kExistingDirectory, none, "chdir here when daemonizing."},
      {"strip_ansi", K::kBoolean, "false", "Strip ANSI escapes from child logs."},
      {"environment", K::kEnvironment, "", "KEY=value pairs for every child (and %(ENV_X)s)."},
      {"identifier", K::kString, "supervisor", "Identifier reported over RPC."},
  }});
  s.push_back({SectionKind::kProgram, "program:", true, "A homogeneous process group.", process_options()});
  s.push_back({SectionKind::kFcgiProgram, "fcgi-program:", true, "A FastCGI process group sharing one socket.",
               with(process_options(), {
                   {"socket", K::kFcgiSocket, none, "unix:///abs/path or tcp://host:port."},
                   {"socket_backlog", K::kInteger, none, "listen() backlog, 1-65535."},
                   {"socket_owner", K::kUserGroup, none, "user[:group] owning a unix socket."},
                   {"socket_mode", K::kOctal, none, "Mode of a unix socket (default 0700)."},
               })});
  s.push_back({SectionKind::kEventListener, "eventlistener:", true, "A pool of event listeners.",
               with(process_options(), {
                   {"events", K::kEventList, none, "Event types the pool subscribes to."},
                   {"buffer_size", K::kInteger, "10", "Events queued for the pool before the oldest is dropped."},
                   {"result_handler", K::kFactory, "supervisor.dispatchers:default_handler", "Handler of listener results."},
               })});
  s.push_back({SectionKind::kGroup, "group:", true, "A heterogeneous group of programs.", {
      {"programs", K::kNameList, none, "Comma-separated program names."},
      {"priority", K::kInteger, "999", "Start order of the group."},
      {"depends_on", K::kNameList, none, "proctor: programs every member waits for.", true},
  }});
  s.push_back({SectionKind::kUnixHttpServer, "unix_http_server", false, "The control socket.",
               with({{"file", K::kFilePath, none, "Path of the unix socket."},
                     {"chmod", K::kOctal, "0700", "Mode of the socket."},
                     {"chown", K::kUserGroup, none, "user[:group] owning the socket."}},
                    server_auth())});
  s.push_back({SectionKind::kInetHttpServer, "inet_http_server", false, "The TCP control server.",
               with({{"port", K::kPort, none, "[host:]port to listen on."}}, server_auth())});
  s.push_back({SectionKind::kSupervisorctl, "supervisorctl", false, "Settings read by supervisorctl.",
               with({{"serverurl", K::kString, "http://localhost:9001", "unix:///path or http://host:port."},
                     {"prompt", K::kString, "supervisor", "Interactive prompt."},
                     {"history_file", K::kFilePath, none, "readline history file."}},
                    server_auth())});
  s.push_back({SectionKind::kInclude, "include", false, "More config files to read.", {
      {"files", K::kGlobList, none, "Whitespace-separated globs, relative to the main config's directory."},
  }});
  s.push_back({SectionKind::kRpcInterface, "rpcinterface:", true, "An RPC interface factory.", {
      {"supervisor.rpcinterface_factory", K::kFactory, none, "module:callable making the interface."},
  }});
  s.push_back({SectionKind::kCtlPlugin, "ctlplugin:", true, "A supervisorctl plugin.", {
      {"supervisor.ctl_factory", K::kFactory, none, "module:callable making the plugin."},
  }});
  return s;
}

}  // namespace

const std::vector<SectionSpec>& section_specs() {
  static const std::vector<SectionSpec> specs = build_specs();
  return specs;
}

const SectionSpec& section_spec(SectionKind kind) {
  for (const auto& s : section_specs())
    if (s.kind == kind) return s;
  assert(false && "every SectionKind has a spec");
  return section_specs().front();
}

const OptionSpec* find_option(SectionKind kind, std::string_view name) {
  for (const auto& o : section_spec(kind).options)
    if (o.name == name) return &o;
  return nullptr;
}

std::string_view option_default(SectionKind kind, std::string_view name) {
  const OptionSpec* o = find_option(kind, name);
  assert(o && o->default_text);
  return *o->default_text;
}

std::optional<SectionKind> classify_section(std::string_view header) {
  for (const auto& s : section_specs()) {
    bool match = s.kind == SectionKind::kUnixHttpServer || s.kind == SectionKind::kInetHttpServer
                     ? header.starts_with(s.prefix)  // Supervisor uses startswith here
                     : (s.named ? header.starts_with(s.prefix) : header == s.prefix);
    if (match) return s.kind;
  }
  return std::nullopt;
}

}  // namespace proctor::model
