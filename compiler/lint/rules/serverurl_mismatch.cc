// P3020: supervisorctl connects to [supervisorctl] serverurl (default
// http://localhost:9001). When it names a socket or port none of this
// config's servers listens on, supervisorctl cannot reach this supervisord
// (or, worse, reaches another one).

#include <fmt/format.h>

#include "compiler/lint/rules/runtime_rules.h"
#include "compiler/model/paths.h"

namespace proctor::lint {

namespace {

struct Server {
  bool inet;
  std::string host;  ///< inet: lower-case, "" = every interface
  std::int64_t port = 0;
  std::string file;  ///< unix: absolute
};

std::int64_t to_port(std::string_view s) {
  if (s.empty() || s.size() > 5 || s.find_first_not_of("0123456789") != std::string_view::npos) return -1;
  return std::stoll(std::string(s));
}

std::vector<Server> servers(const LintInput& in, const std::string& cwd) {
  std::vector<Server> out;
  if (in.config) {
    for (const auto& s : in.config->servers) out.push_back({s.inet, s.host, s.port, s.file});
    return out;
  }
  for (const auto& s : known_sections(in.store)) {
    if (s.kind == model::SectionKind::kInetHttpServer) {
      const auto* p = option(in, s.name, "port");
      if (!p) continue;
      auto colon = p->value.rfind(':');
      std::string host = colon == std::string::npos ? "" : lower(p->value.substr(0, colon));
      out.push_back({true, host == "*" ? "" : host,
                     to_port(colon == std::string::npos ? p->value : p->value.substr(colon + 1)), ""});
    } else if (s.kind == model::SectionKind::kUnixHttpServer) {
      if (const auto* f = option(in, s.name, "file"))
        out.push_back({false, "", 0, model::absolute_normalized(f->value, cwd)});
    }
  }
  return out;
}

bool local(const std::string& h) { return h == "localhost" || h == "127.0.0.1"; }

bool host_matches(const std::string& server, const std::string& url) {
  if (server.empty() || server == "0.0.0.0" || server == "::") return true;
  return server == url || (local(server) && local(url));
}

// http://host[:port][/...]; nullopt port when unparsable.
std::pair<std::string, std::int64_t> parse_http(std::string_view url) {
  url.remove_prefix(url.find("://") + 3);
  url = url.substr(0, url.find('/'));
  std::string_view host = url, port;
  if (url.starts_with("[")) {
    auto close = url.find(']');
    host = url.substr(1, close == std::string_view::npos ? url.size() - 1 : close - 1);
    if (close != std::string_view::npos && close + 1 < url.size() && url[close + 1] == ':') port = url.substr(close + 2);
  } else if (auto colon = url.rfind(':'); colon != std::string_view::npos) {
    host = url.substr(0, colon);
    port = url.substr(colon + 1);
  }
  return {lower(host), port.empty() ? 80 : to_port(port)};
}

// The serverurl supervisorctl will use, and where it came from.
std::optional<std::string> effective_url(const LintInput& in) {
  if (in.config && in.config->supervisorctl && !in.config->supervisorctl->error &&
      !in.config->supervisorctl->serverurl.empty())
    return in.config->supervisorctl->serverurl;
  const auto* o = in.store.get("supervisorctl", "serverurl");
  if (!o || o->value.empty()) return "http://localhost:9001";
  if (o->value.find("%(") != std::string::npos) return std::nullopt;  // cannot expand without a Config
  return o->value;
}

std::optional<std::string> mismatch(const std::string& url, const std::vector<Server>& all,
                                    const std::string& cwd) {
  std::string l = lower(url);
  if (l.starts_with("unix://")) {
    std::string path = model::absolute_normalized(url.substr(7), cwd);
    for (const auto& s : all)
      if (!s.inet && s.file == path) return std::nullopt;
    return fmt::format("no [unix_http_server] listens on {}", path);
  }
  if (!l.starts_with("http://") && !l.starts_with("https://")) return std::nullopt;
  auto [host, port] = parse_http(url);
  if (port < 0) return std::nullopt;
  for (const auto& s : all)
    if (s.inet && s.port == port && host_matches(s.host, host)) return std::nullopt;
  return fmt::format("no [inet_http_server] listens on {}:{}", host, port);
}

std::string listening(const std::vector<Server>& all) {
  std::string out;
  for (const auto& s : all)
    out += (out.empty() ? "" : ", ") +
           (s.inet ? fmt::format("{}:{}", s.host.empty() ? "*" : s.host, s.port) : "unix://" + s.file);
  return out.empty() ? "this config defines no HTTP server" : "this config listens on " + out;
}

}  // namespace

void check_serverurl_mismatch(const LintInput& in, DiagSink& sink) {
  if (!in.store.has_section("supervisorctl")) return;
  auto url = effective_url(in);
  if (!url) return;
  std::string cwd = in.config ? in.config->cwd : in.host.cwd();
  auto all = servers(in, cwd);
  auto why = mismatch(*url, all, cwd);
  if (!why) return;
  bool given = in.store.get("supervisorctl", "serverurl") != nullptr;
  auto& d = sink.report(DiagCode::P3020, option_range(in, "supervisorctl", "serverurl"),
                        fmt::format("supervisorctl would connect to {}{}, but {}", *url,
                                    given ? "" : " (the default serverurl)", *why));
  d.notes.push_back({listening(all), {}});
  d.help = "point [supervisorctl] serverurl at one of this config's servers";
}

}  // namespace proctor::lint
