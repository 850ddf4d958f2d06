// server_configs_from_parser (every section whose name starts with
// inet_http_server or unix_http_server), get_plugins for [rpcinterface:x],
// and supervisorctl's own reading of the main file.

#include <fmt/format.h>

#include <algorithm>

#include "compiler/model/importable.h"
#include "compiler/model/paths.h"
#include "compiler/model/sections.h"

namespace proctor::model {

namespace {

std::optional<std::string> name_after_colon(const std::string& section) {
  auto colon = section.find(':');
  if (colon == std::string::npos) return std::nullopt;
  return section.substr(colon + 1);
}

void read_auth(SectionReader& r, ServerConfig& c) {
  FormatMapping none;
  c.username = r.get("username", none);
  c.password = r.get("password", none);
  if (c.username.has_value() != c.password.has_value())
    r.fail(DiagCode::P2031, c.username ? "username" : "password",
           "username and password must be set together")
        .help = c.username ? "add password=" : "add username=";
}

// datatypes.inet_address: "HOST:PORT" (split at the last ':') or "PORT".
void read_port(SectionReader& r, ServerConfig& c, const std::string& text) {
  std::string_view s(text);
  auto colon = s.rfind(':');
  std::string_view port = colon == std::string_view::npos ? s : s.substr(colon + 1);
  if (colon != std::string_view::npos) {
    c.host = std::string(s.substr(0, colon));
    std::transform(c.host.begin(), c.host.end(), c.host.begin(), ::tolower);
  }
  if (c.host == "*") c.host.clear();
  auto n = py_int(port);
  if (!n || *n < 1 || *n > 65535) {
    r.fail(DiagCode::P2033, "port", fmt::format("expected [host:]port with a port in 1-65535, found '{}'", text))
        .help = "for example: port=127.0.0.1:9001";
    return;
  }
  c.port = *n;
}

}  // namespace

std::vector<ServerConfig> read_servers(CompileContext& ctx) {
  std::vector<ServerConfig> out;
  const auto sections = ctx.store.section_names();
  for (const auto& section : sections) {
    if (!section.starts_with("inet_http_server")) continue;
    SectionReader r(ctx, section, SectionKind::kInetHttpServer);
    ServerConfig c;
    c.section = section;
    c.name = name_after_colon(section);
    read_auth(r, c);
    if (auto port = r.get("port", {})) read_port(r, c, *port);
    else r.fail(DiagCode::P2032, "port", "an inet HTTP server needs a port").help = "add port=127.0.0.1:9001";
    out.push_back(std::move(c));
  }
  for (const auto& section : sections) {
    if (!section.starts_with("unix_http_server")) continue;
    SectionReader r(ctx, section, SectionKind::kUnixHttpServer);
    ServerConfig c;
    c.inet = false;
    c.section = section;
    c.name = name_after_colon(section);
    FormatMapping here;
    here.set("here", ctx.here);
    if (auto file = r.get("file", here)) {
      c.file = absolute_normalized(expand_home(py_strip(*file), ctx.host), ctx.cwd);
    } else {
      r.fail(DiagCode::P2034, "file", "a unix HTTP server needs a socket file")
          .help = "add file=/run/supervisor.sock";
    }
    read_auth(r, c);
    if (auto chown = r.get("chown", {})) {
      if (auto ug = lookup_user_group(ctx.host, *chown)) c.chown = *ug;
      else r.fail(DiagCode::P2035, "chown", ug.error());
    }
    c.chmod = r.typed<std::int64_t>("chmod", {}, octal, DiagCode::P2036).value_or(0700);
    out.push_back(std::move(c));
  }
  return out;
}

std::vector<PluginConfig> read_plugins(CompileContext& ctx, const syntax::IniStore& store,
                                       std::string_view prefix, std::string_view factory_key,
                                       SectionKind kind) {
  std::vector<PluginConfig> out;
  for (const auto& section : store.section_names()) {
    if (!section.starts_with(prefix)) continue;
    SectionReader r(ctx, section, kind);
    PluginConfig p;
    p.name = section.substr(section.find(':') + 1);
    auto spec = r.get(factory_key, {});
    if (!spec) {
      r.fail(DiagCode::P2022, factory_key, fmt::format("no {} is set", factory_key))
          .help = fmt::format("add {} = supervisor.rpcinterface:make_main_rpcinterface", factory_key);
      continue;
    }
    if (auto c = resolve_import(*spec)) {
      p.factory = std::string(c->qualified);
    } else {
      r.fail(DiagCode::P2023, factory_key,
             fmt::format("'{}' cannot be imported by Supervisor here", *spec));
      continue;
    }
    for (const auto* o : store.items(section)) {
      if (o->key == factory_key) continue;
      if (auto v = r.get(o->key, {})) p.extras.emplace_back(o->key, *v);
    }
    out.push_back(std::move(p));
  }
  return out;
}

std::vector<PluginConfig> read_rpcinterfaces(CompileContext& ctx) {
  return read_plugins(ctx, ctx.store, "rpcinterface:", "supervisor.rpcinterface_factory",
                      SectionKind::kRpcInterface);
}

}  // namespace proctor::model
