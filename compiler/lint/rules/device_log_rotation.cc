// P3010: with *_logfile_maxbytes > 0 (50MB by default) Supervisor logs
// through its RotatingFileHandler, which calls tell() on the stream after
// every write; on a pipe or terminal such as /dev/stdout that fails with
// "Illegal seek" and the output is lost. Containers log this way all the
// time. Works on the raw values too, as the config is often refused here
// for host reasons (missing users or log directories).

#include <fmt/format.h>

#include "compiler/lint/rules/structure_rules.h"

namespace proctor::lint {

namespace {

std::string bytes_text(std::int64_t n) {
  if (n >= 1024 * 1024 && n % (1024 * 1024) == 0) return fmt::format("{}MB", n / (1024 * 1024));
  if (n >= 1024 && n % 1024 == 0) return fmt::format("{}KB", n / 1024);
  return std::to_string(n);
}

}  // namespace

void check_device_log_rotation(const LintInput& in, DiagSink& sink) {
  for (const LogUse& u : log_uses(in)) {
    if (!is_std_stream(u.path) || u.maxbytes <= 0) continue;
    std::string max_key = u.key + "_maxbytes";
    bool set = option(in, u.section, max_key) != nullptr;
    auto& d = sink.report(DiagCode::P3010, option_range(in, u.section, set ? max_key : u.key),
                          fmt::format("[{}] {} is {} but {} is {}{}: Supervisor's log rotation "
                                      "fails on it with 'Illegal seek'",
                                      u.section, u.key, u.path, max_key, bytes_text(u.maxbytes),
                                      set ? "" : " (the default)"));
    d.help = fmt::format("set {}=0", max_key);
  }
}

}  // namespace proctor::lint
