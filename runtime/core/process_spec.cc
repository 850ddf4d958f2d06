#include "runtime/core/process_spec.h"

#include <algorithm>

namespace proctor::runtime {

using nlohmann::json;

namespace {

template <class T>
std::optional<T> opt(const json& j, const char* key) {
  if (!j.contains(key) || j[key].is_null()) return std::nullopt;
  return j[key].get<T>();
}

LogSpec log_spec(const json& p, const std::string& ch) {
  LogSpec l;
  l.file = opt<std::string>(p, (ch + "_logfile").c_str());
  l.maxbytes = p.value(ch + "_logfile_maxbytes", std::int64_t{0});
  l.backups = p.value(ch + "_logfile_backups", std::int64_t{0});
  l.syslog = p.value(ch + "_syslog", false);
  return l;
}

}  // namespace

bool ProcessSpec::expected_exit(int status) const {
  return std::find(exitcodes.begin(), exitcodes.end(), status) != exitcodes.end();
}

ProcessSpec process_spec_from_plan(const json& p, const std::string& group) {
  ProcessSpec s;
  s.name = p.at("name");
  s.group = group;
  s.command = p.at("command");
  s.directory = opt<std::string>(p, "directory");
  s.umask = opt<std::int64_t>(p, "umask");
  s.uid = opt<std::int64_t>(p, "uid");
  s.priority = p.at("priority");
  s.autostart = p.at("autostart");
  const json& ar = p.at("autorestart");
  s.autorestart = ar.is_string() ? Autorestart::kUnexpected
                                 : (ar.get<bool>() ? Autorestart::kTrue : Autorestart::kFalse);
  s.startsecs = p.at("startsecs").get<double>();
  s.startretries = p.at("startretries");
  s.stopsignal = p.at("stopsignal_number");
  s.stopwaitsecs = p.at("stopwaitsecs").get<double>();
  s.stopasgroup = p.at("stopasgroup");
  s.killasgroup = p.at("killasgroup");
  s.exitcodes = p.at("exitcodes").get<std::vector<int>>();
  s.redirect_stderr = p.at("redirect_stderr");
  s.stdout_log = log_spec(p, "stdout");
  s.stderr_log = log_spec(p, "stderr");
  s.stdout_events = p.value("stdout_events_enabled", false);
  s.stderr_events = p.value("stderr_events_enabled", false);
  s.stdout_capture_maxbytes = p.value("stdout_capture_maxbytes", std::int64_t{0});
  s.stderr_capture_maxbytes = p.value("stderr_capture_maxbytes", std::int64_t{0});
  for (const auto& [k, v] : p.at("environment").items()) s.environment.emplace_back(k, v.get<std::string>());
  s.serverurl = opt<std::string>(p, "serverurl");
  return s;
}

}  // namespace proctor::runtime
