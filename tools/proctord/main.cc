// proctord: runs a supervisord config (or a compiled plan) the way
// supervisord does, controllable by a real supervisorctl.

#include <fmt/format.h>
#include <malloc.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <sstream>

#include "compiler/base/diagnostic_render.h"
#include "compiler/model/compile.h"
#include "compiler/model/value_types.h"
#include "compiler/plan/plan_json.h"
#include "runtime/daemon/daemon.h"
#include "tools/proctord/daemon_cli.h"

namespace {

using nlohmann::json;
using proctor::cli::DaemonCli;

// Supervisor names itself as it was invoked (sys.argv[0]).
const char* progname = "proctord";

int usage_error(const std::string& msg) {
  std::cerr << "Error: " << msg << "\nFor help, use " << progname << " -h\n";
  return 2;
}

std::optional<json> load_plan(const DaemonCli& cli, const std::string& config, std::string& error) {
  if (cli.plan) {
    std::ifstream in(*cli.plan);
    std::stringstream ss;
    ss << in.rdbuf();
    auto p = proctor::plan::parse_plan(ss.str());
    if (!p) error = *cli.plan + ": " + p.error();
    return p ? std::optional<json>(*p) : std::nullopt;
  }
  proctor::SourceManager sm;
  proctor::DiagSink sink;
  proctor::model::PosixHost host;
  // One thread: a start-up compile takes milliseconds, and a helper thread's
  // cached stack and malloc arena would stay resident for the daemon's life.
  // reloadConfig, where compile time is the reload's latency, uses every core.
  auto result = proctor::model::compile_config(config, host, sm, sink, 1);
  for (const auto& d : sink.all())
    if (d.severity == proctor::Severity::kError) std::cerr << proctor::render_text(d, sm, {});
  if (!result.config) {
    error = result.io_error ? "could not read config file " + config : "the config file is invalid";
    return std::nullopt;
  }
  return proctor::plan::to_json(*result.config, sm);
}

std::string absolute(const std::string& p) {
  if (p.empty() || p[0] == '/') return p;
  char buf[4096];
  return std::string(getcwd(buf, sizeof buf) ? buf : ".") + "/" + p;
}

std::optional<std::string> apply_int(const std::optional<std::string>& arg, const char* opt, const char* key,
                                     json& s) {
  if (!arg) return std::nullopt;
  auto n = proctor::model::py_int(*arg);
  if (!n) return fmt::format("invalid value for {} '{}': invalid literal for int() with base 10: '{}'", opt, *arg, *arg);
  s[key] = *n;
  return std::nullopt;
}

// Command-line options win over the config, as in supervisord.
std::optional<std::string> apply_overrides(const DaemonCli& cli, json& s) {
  if (cli.nodaemon) s["nodaemon"] = true;
  if (cli.silent) s["silent"] = true;
  if (cli.logfile) s["logfile"] = *cli.logfile == "syslog" ? "syslog" : absolute(*cli.logfile);
  if (cli.pidfile) s["pidfile"] = absolute(*cli.pidfile);
  if (cli.identifier) s["identifier"] = *cli.identifier;
  if (cli.loglevel)
    if (auto l = proctor::model::loglevel(*cli.loglevel)) s["loglevel"] = *l;
  if (cli.childlogdir) s["childlogdir"] = *cli.childlogdir;
  if (cli.directory) s["directory"] = *cli.directory;
  if (cli.strip_ansi) s["strip_ansi"] = true;
  if (cli.nocleanup) s["nocleanup"] = true;
  if (cli.umask)
    if (auto m = proctor::model::octal(*cli.umask)) s["umask"] = *m;
  if (cli.logfile_maxbytes)
    if (auto b = proctor::model::byte_size(*cli.logfile_maxbytes)) s["logfile_maxbytes"] = *b;
  if (cli.logfile_backups)
    if (auto n = proctor::model::py_int(*cli.logfile_backups)) s["logfile_backups"] = *n;
  if (auto e = apply_int(cli.minfds, "-a", "minfds", s)) return e;
  if (auto e = apply_int(cli.minprocs, "--minprocs", "minprocs", s)) return e;
  if (cli.user) return proctor::daemon::apply_user_option(*cli.user, s);
  return std::nullopt;
}

// supervisord's main() before run(): setuid, then (first start only) the
// rlimits, then the AUTO log cleanup; daemonizing comes last.
std::optional<std::string> set_up_process(json& s, bool first, proctor::daemon::StartupMessages& log) {
  if (auto e = proctor::daemon::set_uid(s, log)) return e;
  if (first)
    if (auto e = proctor::daemon::set_rlimits(s, log)) return e;
  if (!s.value("nocleanup", false)) proctor::daemon::remove_old_auto_logs(s);
  if (first) {
    if (!s.value("nodaemon", false)) proctor::daemon::daemonize(s);
    umask(static_cast<mode_t>(s.value("umask", 022)));
    if (std::ofstream pidfile(s.value("pidfile", std::string("supervisord.pid"))); pidfile)
      pidfile << getpid() << "\n";
  }
  return std::nullopt;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc > 0) progname = argv[0];
  std::vector<std::string> args(argv + 1, argv + argc);
  std::string error;
  auto cli = proctor::cli::parse_daemon_cli(args, error);
  if (!cli) return usage_error(error);
  if (cli->help) {
    std::cout << proctor::cli::daemon_usage();
    return 0;
  }
  if (cli->version) {
    std::cout << "4.2.5\n";
    return 0;
  }
  std::string config = cli->config.value_or("");
  if (config.empty() && !cli->plan) {
    std::string exe = argv[0];
    std::string exe_dir = exe.find('/') == std::string::npos ? "." : exe.substr(0, exe.rfind('/'));
    for (const auto& p : proctor::cli::default_config_paths(exe_dir))
      if (access(p.c_str(), F_OK) == 0) {
        config = p;
        break;
      }
    if (config.empty()) return usage_error("No config file found at default paths; use the -c option to specify a config file at a different path");
  }
  bool first = true;
  proctor::runtime::events::SerialCounter event_serial;
  for (;;) {
    auto plan = load_plan(*cli, config, error);
    if (!plan) return usage_error(error);
    if (auto why = proctor::daemon::Daemon::unsupported_settings(*plan)) return usage_error(*why);
    json& s = (*plan)["supervisord"];
    if (auto e = apply_overrides(*cli, s)) return usage_error(*e);
    proctor::daemon::StartupMessages startup_log;
    if (auto e = set_up_process(s, first, startup_log)) return usage_error(*e);
    bool foreground = s.value("nodaemon", false) && !s.value("silent", false);
    proctor::daemon::DaemonOptions opts{config, foreground, foreground && first, std::move(startup_log),
                                        event_serial};
    first = false;
    // Only these two outlive the daemon; the plan itself moves into it.
    const std::string pidfile = s.value("pidfile", std::string("supervisord.pid"));
    std::vector<std::string> sockets;
    for (const auto& srv : (*plan)["http_servers"])
      if (srv.value("family", "") == "unix") sockets.push_back(srv["file"].get<std::string>());
    int rc;
    {
      proctor::daemon::Daemon d(std::move(*plan), opts);
      plan.reset();
      // Compiling left freed heap behind; give it back before idling.
      malloc_trim(0);
      rc = d.run();
      event_serial = d.event_serial();
    }
    for (const auto& path : sockets) unlink(path.c_str());
    if (rc != 1) {
      unlink(pidfile.c_str());
      return rc < 0 ? 1 : 0;
    }
  }
}
