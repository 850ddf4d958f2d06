// P3025 (--env-check): Supervisor would fail to spawn the program with
// "can't find command" on this host, retrying until it goes FATAL.

#include <fmt/format.h>

#include "compiler/lint/rules/runtime_rules.h"

namespace proctor::lint {

void check_command_not_found(const LintInput& in, DiagSink& sink) {
  if (!in.env_check) return;
  for (const auto& site : command_sites(in)) {
    auto r = resolve_program(in, site);
    if (!r || !r->file.empty()) continue;
    std::string where = r->searched ? fmt::format("on PATH ({})", r->path) : "on this host";
    auto& d = sink.report(DiagCode::P3025, command_range(in, site, 0, r->program),
                          fmt::format("[{}] command '{}' is not found {}", site.section, r->program, where));
    d.help = r->searched ? "install it, use an absolute path, or set PATH in the program's environment="
                         : "check the path (Supervisor checks a relative command from supervisord's own working directory)";
  }
}

}  // namespace proctor::lint
