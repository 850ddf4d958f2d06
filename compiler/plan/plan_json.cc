#include "compiler/plan/plan_json.h"

#include <fmt/format.h>

#include "compiler/plan/group_hash.h"
#include "compiler/plan/plan_schema.h"

namespace proctor::plan {

using nlohmann::json;
using model::Autorestart;
using model::GroupConfig;
using model::LogChannel;

namespace {

template <class T>
json opt(const std::optional<T>& v) {
  return v ? json(*v) : json(nullptr);
}

json env_object(const model::EnvList& env) {
  json::object_t o;
  for (const auto& [k, v] : env) o.insert_or_assign(k, v);
  return json(std::move(o));
}

// One per process and group: emplaced, as process_json's members are.
json location(const SourceRange& r, const SourceManager& sm) {
  json::object_t o;
  if (!r.valid() || r.begin.file >= sm.size()) {
    o.emplace("file", "");
    o.emplace("line", 1);
  } else {
    o.emplace("file", sm.name(r.begin.file));
    o.emplace("line", r.begin.line);
  }
  return json(std::move(o));
}

json supervisord_json(const model::SupervisordConfig& s) {
  return {{"logfile", s.logfile},       {"logfile_maxbytes", s.logfile_maxbytes},
          {"logfile_backups", s.logfile_backups}, {"loglevel", s.loglevel},
          {"pidfile", s.pidfile},       {"umask", s.umask},
          {"nodaemon", s.nodaemon},     {"silent", s.silent},
          {"minfds", s.minfds},         {"minprocs", s.minprocs},
          {"nocleanup", s.nocleanup},   {"childlogdir", s.childlogdir},
          {"user", opt(s.user)},        {"uid", opt(s.uid)},
          {"gid", opt(s.gid)},          {"directory", opt(s.directory)},
          {"strip_ansi", s.strip_ansi}, {"environment", env_object(s.environment)},
          {"identifier", s.identifier}};
}

json logfile_json(const LogChannel& c) {
  switch (c.kind) {
    case LogChannel::Kind::kNone: return nullptr;
    case LogChannel::Kind::kAuto: return "AUTO";
    case LogChannel::Kind::kPath: return c.path;
  }
  return nullptr;
}

void channel_json(json::object_t& p, std::string_view ch, const LogChannel& c) {
  auto key = [&](std::string_view suffix) { return std::string(ch).append(suffix); };
  p.emplace(key("_logfile"), logfile_json(c));
  p.emplace(key("_logfile_maxbytes"), c.maxbytes);
  p.emplace(key("_logfile_backups"), c.backups);
  p.emplace(key("_capture_maxbytes"), c.capture_maxbytes);
  p.emplace(key("_events_enabled"), c.events_enabled);
  p.emplace(key("_syslog"), c.syslog);
}

json autorestart_json(Autorestart a) {
  if (a == Autorestart::kUnexpected) return "unexpected";
  return a == Autorestart::kTrue;
}

// Without "source", which group_json adds after hashing the settings. One
// process per program makes this the plan's hottest object: members are
// emplaced into the map directly, where an initializer list would build a
// two-element array per key first.
json process_json(const model::ProcessConfig& p) {
  json::object_t j;
  j.emplace("section", p.section);
  j.emplace("name", p.name);
  j.emplace("command", p.command);
  j.emplace("directory", opt(p.directory));
  j.emplace("umask", opt(p.umask));
  j.emplace("priority", p.priority);
  j.emplace("autostart", p.autostart);
  j.emplace("autorestart", autorestart_json(p.autorestart));
  j.emplace("startsecs", p.startsecs);
  j.emplace("startretries", p.startretries);
  j.emplace("user", opt(p.user));
  j.emplace("uid", opt(p.uid));
  j.emplace("stopsignal", opt(model::signal_name(p.stopsignal)));
  j.emplace("stopsignal_number", p.stopsignal);
  j.emplace("stopwaitsecs", p.stopwaitsecs);
  j.emplace("stopasgroup", p.stopasgroup);
  j.emplace("killasgroup", p.killasgroup);
  j.emplace("exitcodes", p.exitcodes);
  j.emplace("redirect_stderr", p.redirect_stderr);
  j.emplace("environment", env_object(p.environment));
  j.emplace("serverurl", opt(p.serverurl));
  channel_json(j, "stdout", p.stdout_log);
  channel_json(j, "stderr", p.stderr_log);
  return json(std::move(j));
}

json owner_json(const std::optional<std::pair<std::int64_t, std::int64_t>>& o) {
  if (!o) return nullptr;
  return json::array({o->first, o->second});
}

}  // namespace

// The settings are built first and hashed as they are, so the hash needs no
// copy of the group with its locations taken out again.
json group_json(const GroupConfig& g, const SourceManager& sm) {
  json j = {{"name", g.name}, {"priority", g.priority}, {"processes", json::array()},
            {"depends_on", g.depends_on}};
  json& processes = j["processes"];
  for (const auto& p : g.processes) processes.push_back(process_json(p));
  switch (g.type) {
    case GroupConfig::Type::kProcess: j["type"] = "process"; break;
    case GroupConfig::Type::kEventListener:
      j["type"] = "eventlistener";
      j["buffer_size"] = g.buffer_size;
      j["events"] = g.events;
      j["result_handler"] = g.result_handler;
      break;
    case GroupConfig::Type::kFcgi:
      j["type"] = "fcgi";
      j["socket"] = g.socket.url;
      j["socket_backlog"] = opt(g.socket.backlog);
      j["socket_mode"] = opt(g.socket.mode);
      j["socket_owner"] = owner_json(g.socket.owner);
      break;
  }
  j["hash"] = settings_hash(j);
  j["source"] = location(g.source, sm);
  for (std::size_t i = 0; i < g.processes.size(); ++i)
    processes[i]["source"] = location(g.processes[i].source, sm);
  return j;
}

namespace {

json server_json(const model::ServerConfig& s) {
  json j = {{"section", s.section},
            {"name", opt(s.name)},
            {"username", opt(s.username)},
            {"password", opt(s.password)},
            {"family", s.inet ? "inet" : "unix"}};
  if (s.inet) {
    j["host"] = s.host;
    j["port"] = s.port;
  } else {
    j["file"] = s.file;
    j["chmod"] = s.chmod;
    j["chown"] = json::array({s.chown.first, s.chown.second});
  }
  return j;
}

json plugins_json(const std::vector<model::PluginConfig>& plugins) {
  json a = json::array();
  for (const auto& p : plugins)
    a.push_back({{"name", p.name}, {"factory", p.factory}, {"extras", env_object(p.extras)}});
  return a;
}

json supervisorctl_json(const std::optional<model::SupervisorctlConfig>& c) {
  if (!c) return nullptr;
  if (c->error) return {{"error", *c->error}};
  return {{"serverurl", c->serverurl},     {"username", opt(c->username)},
          {"password", opt(c->password)},  {"prompt", c->prompt},
          {"history_file", opt(c->history_file)}, {"ctlplugins", plugins_json(c->ctlplugins)}};
}

json named_server(const std::vector<model::ServerConfig>& servers, std::string_view section) {
  for (const auto& s : servers)
    if (s.section == section) return server_json(s);
  return nullptr;
}

}  // namespace

json plan_header(const model::Config& c) {
  json j;
  j["plan_version"] = kPlanVersion;
  j["supervisor_version"] = "4.2.5";
  j["configfile"] = c.configfile;
  j["here"] = c.here;
  j["includes"] = c.includes;
  j["parse_warnings"] = c.parse_warnings;
  j["parse_infos"] = c.parse_infos;
  j["supervisord"] = supervisord_json(c.supervisord);
  j["serverurl"] = opt(c.serverurl);
  j["http_servers"] = json::array();
  for (const auto& s : c.servers) j["http_servers"].push_back(server_json(s));
  j["unix_http_server"] = named_server(c.servers, "unix_http_server");
  j["inet_http_server"] = named_server(c.servers, "inet_http_server");
  j["rpcinterfaces"] = plugins_json(c.rpcinterfaces);
  j["groups"] = json::array();
  j["startup_error"] = opt(c.startup_error);
  j["supervisorctl"] = supervisorctl_json(c.supervisorctl);
  j["env_used"] = c.env_used;
  j["dependencies"] = json::array();
  for (const auto& d : c.dependencies) j["dependencies"].push_back({{"from", d.from}, {"to", d.to}});
  j["files"] = json::array();
  for (const auto& f : c.files)
    j["files"].push_back({{"path", f.path}, {"role", f.main ? "main" : "include"}, {"pattern", opt(f.pattern)}});
  return j;
}

json to_json(const model::Config& c, const SourceManager& sm) {
  json j = plan_header(c);
  json& groups = j["groups"];
  for (const auto& g : c.groups) groups.push_back(group_json(g, sm));
  return j;
}

std::string dump_plan_value(const json& value) {
  return value.dump(2, ' ', true, json::error_handler_t::replace);
}

std::string dump_plan(const json& plan) { return dump_plan_value(plan) + "\n"; }

Expected<json> parse_plan(const std::string& text) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded()) return Expected<json>::failure("the plan is not valid JSON");
  auto violations = validate_plan(j);
  if (!violations.empty())
    return Expected<json>::failure(fmt::format("the plan does not match plan.schema.json at '{}': {}",
                                               violations.front().json_pointer,
                                               violations.front().message));
  return j;
}

}  // namespace proctor::plan
