// P3018: a program that names root explicitly runs with full privileges;
// worth a second look, since most services can run as a dedicated user.
// (user= only switches users when supervisord itself runs as root.)

#include <fmt/format.h>

#include "compiler/lint/rules/runtime_rules.h"

namespace proctor::lint {

namespace {

bool is_program_like(model::SectionKind k) {
  return k == model::SectionKind::kProgram || k == model::SectionKind::kFcgiProgram ||
         k == model::SectionKind::kEventListener;
}

bool runs_as_root(const LintInput& in, const std::string& section, const std::string& raw) {
  if (in.config)
    for (const auto& g : in.config->groups)
      for (const auto& p : g.processes)
        if (p.section == section) return (p.uid && *p.uid == 0) || p.user == "root" || p.user == "0";
  return raw == "root" || raw == "0";
}

}  // namespace

void check_explicit_root_user(const LintInput& in, DiagSink& sink) {
  for (const auto& s : known_sections(in.store)) {
    if (!is_program_like(s.kind)) continue;
    const auto* user = option(in, s.name, "user");
    if (!user || !runs_as_root(in, s.name, std::string(user->value))) continue;
    auto& d = sink.report(DiagCode::P3018, option_range(in, s.name, "user"),
                          fmt::format("[{}] runs as root", s.name));
    d.help = "run it as an unprivileged user (user=www-data) unless it really needs root";
  }
}

}  // namespace proctor::lint
