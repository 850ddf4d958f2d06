// P3012: exitcodes only decides whether an exit was "expected", which
// matters for autorestart=unexpected; with autorestart=false Supervisor
// never restarts the process, so the list changes nothing but a word in
// the log and the PROCESS_STATE_EXITED event.

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "compiler/lint/rules/structure_rules.h"

namespace proctor::lint {

void check_exitcodes_without_autorestart(const LintInput& in, DiagSink& sink) {
  if (!in.config) return;
  for (const auto& g : in.config->groups)
    for (const auto& p : g.processes) {
      if (p.autorestart != model::Autorestart::kFalse) continue;
      if (!option(in, p.section, "exitcodes") || p.exitcodes == std::vector<int>{0}) continue;
      auto& d = sink.report(DiagCode::P3012, option_range(in, p.section, "exitcodes"),
                            fmt::format("[{}] exitcodes={} has no effect on restarts: autorestart "
                                        "is false",
                                        p.section, fmt::join(p.exitcodes, ",")));
      d.help = "use autorestart=unexpected to restart on other exit codes, or remove exitcodes";
    }
}

}  // namespace proctor::lint
