// P3016: a server password written in clear text is readable by anyone who
// can read the config (often world-readable in /etc). Servers accept
// {SHA}<hex sha1>; [supervisorctl] must send the real password, so it is
// exempt, as is a password taken from the environment.

#include <fmt/format.h>

#include "compiler/lint/rules/runtime_rules.h"

namespace proctor::lint {

void check_plaintext_password(const LintInput& in, DiagSink& sink) {
  for (const auto& s : known_sections(in.store)) {
    if (s.kind != model::SectionKind::kInetHttpServer && s.kind != model::SectionKind::kUnixHttpServer)
      continue;
    const auto* pw = option(in, s.name, "password");
    if (!pw || pw->value.starts_with("{SHA}") || pw->value.find("%(ENV_") != std::string::npos) continue;
    auto& d = sink.report(DiagCode::P3016, option_range(in, s.name, "password"),
                          fmt::format("[{}] password is stored in clear text", s.name));
    d.help = "write password={SHA} followed by the SHA-1 hex digest: printf %s 'secret' | sha1sum";
  }
}

}  // namespace proctor::lint
