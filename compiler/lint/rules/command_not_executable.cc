// P3026 (--env-check): the command exists but Supervisor would refuse to
// run it ("is a directory", "is not executable", "no permission").

#include <fmt/format.h>

#include "compiler/lint/rules/runtime_rules.h"

namespace proctor::lint {

void check_command_not_executable(const LintInput& in, DiagSink& sink) {
  if (!in.env_check) return;
  for (const auto& site : command_sites(in)) {
    auto r = resolve_program(in, site);
    if (!r || r->file.empty() || in.host.is_executable(r->file)) continue;
    bool dir = in.host.is_dir(r->file);
    auto& d = sink.report(DiagCode::P3026, command_range(in, site, 0, r->program),
                          fmt::format("[{}] command {}{} {}", site.section, r->program,
                                      r->file == r->program ? "" : " (" + r->file + ")",
                                      dir ? "is a directory" : "is not executable here"));
    d.help = dir ? "name the program inside the directory"
                 : fmt::format("chmod +x {} (or run it through its interpreter)", r->file);
  }
}

}  // namespace proctor::lint
