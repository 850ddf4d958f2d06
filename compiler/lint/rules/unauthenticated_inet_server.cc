// P3015: an [inet_http_server] reachable from other machines without a
// password lets anyone who can connect start, stop and reconfigure every
// program (and so run commands as supervisord's user).

#include <fmt/format.h>

#include "compiler/lint/rules/runtime_rules.h"

namespace proctor::lint {

namespace {

// datatypes.inet_address: "HOST:PORT" split at the last ':', or "PORT".
std::string raw_host(std::string_view port) {
  auto colon = port.rfind(':');
  std::string host = colon == std::string_view::npos ? "" : lower(port.substr(0, colon));
  return host == "*" ? "" : host;
}

bool is_loopback(const std::string& host) {
  return host == "localhost" || host == "::1" || host == "[::1]" || host.starts_with("127.");
}

const model::ServerConfig* compiled(const LintInput& in, const std::string& section) {
  if (!in.config) return nullptr;
  for (const auto& s : in.config->servers)
    if (s.section == section) return &s;
  return nullptr;
}

}  // namespace

void check_unauthenticated_inet_server(const LintInput& in, DiagSink& sink) {
  for (const auto& s : known_sections(in.store)) {
    if (s.kind != model::SectionKind::kInetHttpServer) continue;
    const auto* server = compiled(in, s.name);
    const auto* port = option(in, s.name, "port");
    if (!server && !port) continue;  // no port: P2032 already
    std::string host = server ? server->host : raw_host(port->value);
    bool auth = server ? server->username.has_value() || server->password.has_value()
                       : option(in, s.name, "username") || option(in, s.name, "password");
    if (auth || is_loopback(host)) continue;
    std::string where = host.empty() ? "every interface" : "'" + host + "'";
    auto& d = sink.report(DiagCode::P3015, option_range(in, s.name, "port"),
                          fmt::format("[{}] listens on {} without a username and password", s.name, where));
    d.notes.push_back({"anyone who can reach the port can stop, start and reconfigure every "
                       "program, which runs commands as supervisord's user", {}});
    d.help = "bind to 127.0.0.1 (port=127.0.0.1:9001) or set username= and password={SHA}<sha1 hex>";
  }
}

}  // namespace proctor::lint
