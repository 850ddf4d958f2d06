// Finding a command's executable the way Supervisor does before it forks
// (process.py get_execv_args): a program with '/' is used as is, anything
// else is looked up on the process's PATH, first existing entry wins.

#include "compiler/lint/rules/runtime_rules.h"
#include "compiler/model/paths.h"

namespace proctor::lint {

namespace {

// Relative paths resolve in the process's directory= (where it is exec'd),
// else where supervisord resolves relative paths.
std::string base_dir(const LintInput& in, const CommandSite& site) {
  if (site.process && site.process->directory) return *site.process->directory;
  if (!site.process)
    if (const auto* d = option(in, site.section, "directory"); d && d->value.find('%') == std::string::npos)
      return model::absolute_normalized(d->value, in.host.cwd());
  return in.config ? in.config->cwd : in.host.cwd();
}

// ProcessConfig.get_path: the program's environment PATH, else supervisord's
// PATH, else Supervisor's default.
std::string search_path(const LintInput& in, const CommandSite& site) {
  if (site.process)
    if (auto p = env_lookup(site.process->environment, "PATH")) return *p;
  if (auto p = env_lookup(in.host.environment(), "PATH"); p && !p->empty()) return *p;
  return "/bin:/usr/bin:/usr/local/bin";
}

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    std::size_t colon = path.find(':', start);
    out.push_back(path.substr(start, colon - start));
    if (colon == std::string::npos) return out;
    start = colon + 1;
  }
}

}  // namespace

std::optional<ResolvedProgram> resolve_program(const LintInput& in, const CommandSite& site) {
  ResolvedProgram r;
  r.program = command_program(site.command);
  if (r.program.empty() || r.program.find("%(") != std::string::npos) return std::nullopt;
  if (r.program.size() > 4096) return r;  // longer than PATH_MAX: cannot exist, skip the lookups
  std::string dir = base_dir(in, site);
  if (r.program.find('/') != std::string::npos) {
    std::string file = model::absolute_normalized(r.program, dir);
    if (in.host.exists(file)) r.file = file;
    return r;
  }
  r.searched = true;
  r.path = search_path(in, site);
  for (const auto& entry : split_path(r.path)) {
    std::string file = model::absolute_normalized(model::join_path(entry, r.program), dir);
    if (in.host.exists(file)) {
      r.file = file;
      break;
    }
  }
  return r;
}

}  // namespace proctor::lint
