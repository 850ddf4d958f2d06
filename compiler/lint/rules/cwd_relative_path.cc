// P3014: Supervisor resolves these relative paths against the directory
// supervisord happens to be started from (not the config file's
// directory), so the same config works from one shell and fails from
// another, or from an init system that starts it in /. A relative command
// path with a '/' is even checked from there before the child changes into
// directory=.

#include <fmt/format.h>

#include <cctype>
#include <set>

#include "compiler/lint/rules/structure_rules.h"
#include "compiler/model/value_types.h"

namespace proctor::lint {

namespace {

// Template placeholders ({{ dir }}, ${DIR}, <path to venv>) and Windows
// paths (C:\x, configs for other supervisord ports) are not paths this
// Supervisor will meet as written; give them the benefit of the doubt.
bool placeholder(std::string_view v) {
  if (v.starts_with('{') || v.starts_with('$') || v.starts_with('<')) return true;
  return v.size() > 2 && std::isalpha(static_cast<unsigned char>(v[0])) && v[1] == ':' &&
         (v[2] == '\\' || v[2] == '/');
}

// A raw value: %(here)s is absolute, and %(ENV_X)s may well be, so both
// get the benefit of the doubt (as does any other expansion in front).
bool relative(std::string_view raw) {
  std::string_view v = model::py_strip(raw);
  return !v.empty() && v[0] != '/' && v[0] != '~' && !v.starts_with("%(") && !placeholder(v);
}

bool special_log_word(std::string_view v) {
  std::string l = lower(model::py_strip(v));
  return l == "auto" || l == "none" || l == "off" || l == "syslog";
}

// "./run.sh" -> "%(here)s/run.sh", "." -> "%(here)s".
std::string here_path(std::string_view path) {
  while (path.starts_with("./")) path.remove_prefix(2);
  if (path == "." || path.empty()) return "%(here)s";
  return fmt::format("%(here)s/{}", path);
}

class Reporter {
 public:
  Reporter(const LintInput& in, DiagSink& sink) : in_(in), sink_(sink) {}

  void operator()(std::string_view section, std::string_view key, std::string_view path,
                  std::string_view extra = "") {
    if (!done_.emplace(section, key).second) return;  // numprocs: once per section
    auto& d = sink_.report(DiagCode::P3014, option_range(in_, section, key),
                           fmt::format("[{}] {} '{}' is relative: Supervisor resolves it against "
                                       "the directory supervisord is started from{}",
                                       section, key, shorten(path), extra));
    d.help = fmt::format("use {} (the config file's directory) or an absolute path",
                         shorten(here_path(model::py_strip(path))));
  }

 private:
  const LintInput& in_;
  DiagSink& sink_;
  std::set<std::pair<std::string, std::string>, std::less<>> done_;
};

void supervisord_paths(const LintInput& in, Reporter& report) {
  for (std::string_view key : {"logfile", "pidfile", "childlogdir", "directory"})
    if (const auto* o = option(in, "supervisord", key); o && relative(o->value) && o->value != "syslog")
      report("supervisord", key, o->value);
  for (const auto& s : known_sections(in.store))
    if (s.kind == model::SectionKind::kUnixHttpServer)
      if (const auto* o = option(in, s.name, "file"); o && relative(o->value)) report(s.name, "file", o->value);
}

void command_path(const model::ProcessConfig& p, Reporter& report) {
  std::string program = command_program(p.command);
  if (!relative(program) || program.find('/') == std::string::npos) return;
  report(p.section, "command", program,
         p.directory ? fmt::format(" (before changing into directory={})", *p.directory) : "");
}

void compiled_processes(const model::Config& config, Reporter& report) {
  for (const LogSite& s : path_log_sites(config))
    if (relative(s.channel->path)) report(s.process->section, s.key, s.channel->path);
  for (const auto& g : config.groups)
    for (const auto& p : g.processes) {
      if (p.directory && relative(*p.directory)) report(p.section, "directory", *p.directory);
      command_path(p, report);
    }
}

// Without a compiled config: the raw values, skipping what needs expanding.
void raw_processes(const LintInput& in, Reporter& report) {
  for (const auto& s : known_sections(in.store)) {
    if (!is_process_kind(s.kind)) continue;
    for (std::string_view key : {"stdout_logfile", "stderr_logfile"})
      if (const auto* o = option(in, s.name, key); o && relative(o->value) && !special_log_word(o->value))
        report(s.name, key, o->value);
    if (const auto* o = option(in, s.name, "directory"); o && relative(o->value))
      report(s.name, "directory", o->value);
    if (const auto* o = option(in, s.name, "command")) {
      model::ProcessConfig p;
      p.section = s.name;
      p.command = o->value;
      if (const auto* dir = option(in, s.name, "directory")) p.directory = dir->value;
      command_path(p, report);
    }
  }
}

}  // namespace

void check_cwd_relative_path(const LintInput& in, DiagSink& sink) {
  Reporter report(in, sink);
  supervisord_paths(in, report);
  if (in.config) compiled_processes(*in.config, report);
  else raw_processes(in, report);
}

}  // namespace proctor::lint
