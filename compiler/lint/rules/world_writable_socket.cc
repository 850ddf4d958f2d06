// P3017: connecting to supervisord's unix socket needs write permission on
// it; with chmod allowing "others" to write and no username, every local
// user can control every program.

#include <fmt/format.h>

#include "compiler/lint/rules/runtime_rules.h"

namespace proctor::lint {

namespace {

std::optional<std::int64_t> raw_octal(const std::string& text) {
  if (text.empty() || text.size() > 12) return std::nullopt;
  std::int64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '7') return std::nullopt;
    v = v * 8 + (c - '0');
  }
  return v;
}

std::optional<std::int64_t> socket_mode(const LintInput& in, const std::string& section) {
  if (in.config)
    for (const auto& s : in.config->servers)
      if (s.section == section) return s.chmod;
  const auto* o = option(in, section, "chmod");
  return o ? raw_octal(std::string(o->value)) : std::optional<std::int64_t>(0700);
}

}  // namespace

void check_world_writable_socket(const LintInput& in, DiagSink& sink) {
  for (const auto& s : known_sections(in.store)) {
    if (s.kind != model::SectionKind::kUnixHttpServer || option(in, s.name, "username")) continue;
    auto mode = socket_mode(in, s.name);
    if (!mode || !(*mode & 02)) continue;
    auto& d = sink.report(DiagCode::P3017, option_range(in, s.name, "chmod"),
                          fmt::format("[{}] chmod={:o} lets every user on the host write to the "
                                      "socket, and there is no username",
                                      s.name, *mode));
    d.notes.push_back({"whoever can write to the socket can stop, start and reconfigure every program", {}});
    d.help = "use chmod=0700 (or 0770 with chown=user:group), or set username and password";
  }
}

}  // namespace proctor::lint
