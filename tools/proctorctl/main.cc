// proctorctl: supervisorctl's commands and output against proctord (or
// supervisord), plus --json output and update --dry-run.

#include <unistd.h>

#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "compiler/model/context.h"
#include "compiler/model/host.h"
#include "compiler/model/include_reader.h"
#include "compiler/model/paths.h"
#include "compiler/model/sections.h"
#include "tools/proctorctl/controller.h"

namespace {

using namespace proctor;

constexpr const char* kHelp = R"(proctorctl -- control applications run by proctord (or supervisord) from the cmd line.

Usage: %s [options] [action [arguments]]

Options:
-c/--configuration FILENAME -- configuration file path (searches if not given)
-h/--help -- print usage message and exit
-i/--interactive -- start an interactive shell after executing commands
-s/--serverurl URL -- URL on which supervisord server is listening
     (default "http://localhost:9001").
-u/--username USERNAME -- username to use for authentication with server
-p/--password PASSWORD -- password to use for authentication with server
-r/--history-file -- keep a readline history (accepted, not used)
-j/--json -- print each command's result as JSON on standard output
     (messages that are not the result go to standard error; exit codes
     are those of the text output):
       status [names]        array of getProcessInfo structs
       start|stop|signal|clear ...
                             array of {name, group, status, description}
                             (status is a Supervisor fault code, 80 = SUCCESS)
       restart ...           {"stop": [...], "start": [...]}
       pid                   {"pid": N}; pid all|names: [{name, pid}]
       reread                {"added": [...], "changed": [...], "removed": [...]}
       update [groups]       {added, changed, removed, "log": [{group, message}]}
       avail                 array of getAllConfigInfo structs
       add|remove names      array of {name, status, description}
       tail [-N] name [chan] {"name", "channel", "data"}; maintail: {"data"}
       tail -f / maintail -f one {"data": "..."} object per line as it arrives
       version               {"version": "..."}
       shutdown|reload       {"result": ...}
-t/--timeout SECONDS -- give up on the server after this long (default: wait)

action [arguments] -- see below

Actions are commands like "tail" or "stop", the same as supervisorctl's and
with the same output and exit codes (type "help" for the list).  If -i is
specified or no action is specified on the command line, a "shell"
interpreting actions typed interactively is started.

proctor's additions:
update --dry-run [gname ...]   Print the field-level diff and the ordered
     actions `update` would perform against the running proctord (the
     running configuration comes from proctord's proctor.getActivePlan; the
     new one is the -c config compiled here), the same report as
     `proctor diff`.  Changes nothing.  Exit code 0.
)";

void usage_error(const std::string& prog, const std::string& msg) {
  std::cerr << "Error: " << msg << "\nFor help, use " << prog << " -h\n";
  std::exit(2);
}

struct Args {
  std::optional<std::string> configfile, serverurl, username, password;
  bool interactive = false, json = false, help = false;
  int timeout_ms = -1;
  std::vector<std::string> rest;
};

Args parse_args(int argc, char** argv) {
  std::string prog = argv[0];
  Args a;
  struct Opt {
    char short_name;
    const char* long_name;
    bool takes_value;
  };
  static const Opt opts[] = {{'c', "configuration", true}, {'h', "help", false},
                             {'i', "interactive", false},  {'s', "serverurl", true},
                             {'u', "username", true},      {'p', "password", true},
                             {'r', "history_file", true},  {'j', "json", false},
                             {'t', "timeout", true}};
  auto apply = [&](const Opt& o, const std::string& v) {
    switch (o.short_name) {
      case 'c': a.configfile = v; break;
      case 'h': a.help = true; break;
      case 'i': a.interactive = true; break;
      case 's': a.serverurl = v; break;
      case 'u': a.username = v; break;
      case 'p': a.password = v; break;
      case 'r': break;
      case 'j': a.json = true; break;
      case 't':
        try {
          a.timeout_ms = int(std::stod(v) * 1000);
        } catch (...) {
          usage_error(prog, "invalid value for -t " + v);
        }
        break;
    }
  };
  int i = 1;
  // Python's getopt.getopt: options end at the first argument that is not one.
  for (; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--") {
      ++i;
      break;
    }
    if (arg.starts_with("--")) {
      std::string name = arg.substr(2), value;
      bool has_value = false;
      if (size_t eq = name.find('='); eq != std::string::npos) {
        value = name.substr(eq + 1);
        name = name.substr(0, eq);
        has_value = true;
      }
      if (name == "history-file") name = "history_file";
      const Opt* found = nullptr;
      for (const auto& o : opts)
        if (std::string(o.long_name).starts_with(name) && !name.empty()) {
          if (found && std::string(found->long_name) != o.long_name) usage_error(prog, "option --" + name + " not a unique prefix");
          found = &o;
          if (name == o.long_name) break;
        }
      if (!found) usage_error(prog, "option --" + name + " not recognized");
      if (found->takes_value && !has_value) {
        if (i + 1 >= argc) usage_error(prog, "option --" + name + " requires argument");
        value = argv[++i];
      } else if (!found->takes_value && has_value) {
        usage_error(prog, "option --" + name + " must not have an argument");
      }
      apply(*found, value);
      continue;
    }
    if (arg.size() < 2 || arg[0] != '-') break;
    for (size_t k = 1; k < arg.size(); ++k) {
      const Opt* found = nullptr;
      for (const auto& o : opts)
        if (o.short_name == arg[k]) found = &o;
      if (!found) usage_error(prog, std::string("option -") + arg[k] + " not recognized");
      if (found->takes_value) {
        std::string value = arg.substr(k + 1);
        if (value.empty()) {
          if (i + 1 >= argc) usage_error(prog, std::string("option -") + arg[k] + " requires argument");
          value = argv[++i];
        }
        apply(*found, value);
        break;
      }
      apply(*found, "");
    }
  }
  for (; i < argc; ++i) a.rest.push_back(argv[i]);
  return a;
}

/// ClientOptions.read_config through the compiler's reading of
/// [supervisorctl]; an error is supervisorctl's message.
Expected<std::optional<model::SupervisorctlConfig>> read_ctl_config(const std::string& path) {
  using R = Expected<std::optional<model::SupervisorctlConfig>>;
  model::PosixHost host;
  SourceManager sm;
  DiagSink sink;
  std::string cwd = host.cwd();
  syntax::IniStore store;
  model::CompileContext ctx{host, sm, sink, store, path,
                            model::dirname(model::absolute_normalized(path, cwd)), cwd, host.hostname(),
                            {}, {}, {}};
  for (const auto& [k, v] : host.environment()) ctx.environ.set("ENV_" + k, v);
  model::ReadFiles files = model::read_config_files(ctx, sm);
  if (files.io_error) {
    return R::failure(host.exists(path) ? "could not read config file " + path
                                        : "could not find config file " + path);
  }
  if (files.files.empty() || (!files.ok && files.main_only.section_names().empty())) {
    std::string why = sink.all().empty() ? "could not parse " + path : sink.all().front().message;
    return R::failure(why);
  }
  auto ctl = model::read_supervisorctl(ctx, files.main_only);
  if (!ctl) return R::failure(".ini file does not include supervisorctl section");
  if (ctl->error) return R::failure(*ctl->error);
  return std::optional<model::SupervisorctlConfig>(std::move(*ctl));
}

std::optional<std::string> default_configfile(const std::string& argv0) {
  std::string here = model::dirname(model::dirname(argv0));
  auto join = [](const std::string& a, const std::string& b) { return a.empty() ? b : a + "/" + b; };
  for (const std::string& p : {join(here, "etc/supervisord.conf"), join(here, "supervisord.conf"),
                               std::string("supervisord.conf"), std::string("etc/supervisord.conf"),
                               std::string("/etc/supervisord.conf"),
                               std::string("/etc/supervisor/supervisord.conf")})
    if (::access(p.c_str(), F_OK) == 0) return p;
  return std::nullopt;
}

}  // namespace

int main(int argc, char** argv) {
  std::string prog = argv[0];
  Args args = parse_args(argc, argv);
  if (args.help) {
    std::string text = kHelp;
    for (size_t at; (at = text.find("%s")) != std::string::npos;) text.replace(at, 2, prog);
    std::cout << text << "\n";
    return 0;
  }
  ctl::ControllerOptions options;
  std::optional<std::string> configfile = args.configfile ? args.configfile : default_configfile(prog);
  if (configfile) {
    auto cfg = read_ctl_config(*configfile);
    if (!cfg) usage_error(prog, cfg.error());
    options.configfile = *configfile;
    if (*cfg) {
      const auto& c = **cfg;
      if (!c.serverurl.empty()) options.server.serverurl = c.serverurl;
      options.server.username = c.username;
      options.server.password = c.password;
      if (!c.prompt.empty()) options.prompt = c.prompt;
    }
  }
  if (args.serverurl) options.server.serverurl = *args.serverurl;
  if (args.username) options.server.username = args.username;
  if (args.password) options.server.password = args.password;
  options.server.timeout_ms = args.timeout_ms;
  options.json = args.json;
  options.interactive = args.interactive || args.rest.empty();

  if (!args.rest.empty()) {
    options.interactive = false;
    ctl::Controller c(options);
    std::string line;
    for (const auto& a : args.rest) line += (line.empty() ? "" : " ") + a;
    c.onecmd(line);
    return c.exitstatus;
  }
  ctl::Controller c(options);
  c.onecmd("status");
  bool tty = ::isatty(STDIN_FILENO);
  for (;;) {
    std::cout << options.prompt << "> " << std::flush;
    std::string line;
    if (!std::getline(std::cin, line)) {
      std::cout << "\n";
      break;
    }
    if (c.onecmd(line)) break;
  }
  (void)tty;
  return 0;
}
