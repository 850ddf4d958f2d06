// P3013: startsecs is how long a process must stay up before Supervisor
// calls it RUNNING. Values of minutes or hours (often a timeout in the
// wrong unit, or a confusion with stopwaitsecs) leave the process in
// STARTING that long, hide crash loops and block `supervisorctl start`.

#include <fmt/format.h>

#include "compiler/lint/rules/structure_rules.h"

namespace proctor::lint {

namespace {

constexpr std::int64_t kHour = 3600;
constexpr std::int64_t kMinute = 60;

bool implausible(const model::ProcessConfig& p) {
  return p.startsecs > kHour || (p.startsecs > kMinute && p.startsecs > 10 * p.stopwaitsecs);
}

}  // namespace

void check_implausible_startsecs(const LintInput& in, DiagSink& sink) {
  if (!in.config) return;
  for (const auto& g : in.config->groups)
    for (const auto& p : g.processes) {
      if (!implausible(p) || !option(in, p.section, "startsecs")) continue;
      auto& d = sink.report(DiagCode::P3013, option_range(in, p.section, "startsecs"),
                            fmt::format("[{}] startsecs={}: the process counts as STARTING, not "
                                        "RUNNING, for {} minutes after each start",
                                        p.section, p.startsecs, p.startsecs / kMinute));
      d.notes.push_back({"startsecs is how long the process must stay up to count as started; "
                         "a crash in that time is retried as a failed start",
                         {}});
      d.help = "use a few seconds (the default is 1); stopwaitsecs is the stop timeout";
    }
}

}  // namespace proctor::lint
