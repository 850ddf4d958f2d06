// P3011: a log file with maxbytes=0 is never rotated by Supervisor and
// grows until the disk is full. (AUTO logs with maxbytes=0 are the
// compiler's P2103; devices such as /dev/stdout must use 0, see P3010.)

#include <fmt/format.h>

#include "compiler/lint/rules/structure_rules.h"

namespace proctor::lint {

void check_unbounded_log(const LintInput& in, DiagSink& sink) {
  for (const LogUse& u : log_uses(in)) {
    if (is_special_file(u.path) || u.maxbytes > 0) continue;
    std::string max_key = u.key + "_maxbytes";
    auto& d = sink.report(DiagCode::P3011, option_range(in, u.section, max_key),
                          fmt::format("[{}] {} {} is never rotated ({}={}), so it grows without "
                                      "limit",
                                      u.section, u.key, u.path, max_key, u.maxbytes));
    d.help = fmt::format("set {} to a limit such as 50MB, or rotate the file with logrotate "
                         "(copytruncate) and suppress this warning",
                         max_key);
  }
}

}  // namespace proctor::lint
