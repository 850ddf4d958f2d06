#pragma once
// What the runtime needs to know about one process, read from a plan's
// process object (the oracle's field names and encodings).

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace proctor::runtime {

enum class Autorestart { kFalse, kTrue, kUnexpected };

struct LogSpec {
  std::optional<std::string> file;  ///< nullopt = NONE; "AUTO" resolved by the executor
  std::int64_t maxbytes = 0;
  std::int64_t backups = 0;
  bool syslog = false;
};

struct ProcessSpec {
  std::string name;
  std::string group;
  std::string command;
  std::optional<std::string> directory;
  std::optional<std::int64_t> umask;
  std::optional<std::int64_t> uid;
  std::int64_t priority = 999;
  bool autostart = true;
  Autorestart autorestart = Autorestart::kUnexpected;
  double startsecs = 1;
  std::int64_t startretries = 3;
  int stopsignal = 15;
  double stopwaitsecs = 10;
  bool stopasgroup = false;
  bool killasgroup = false;
  std::vector<int> exitcodes{0};
  bool redirect_stderr = false;
  LogSpec stdout_log, stderr_log;
  bool stdout_events = false, stderr_events = false;  ///< *_events_enabled: PROCESS_LOG_* events
  std::int64_t stdout_capture_maxbytes = 0, stderr_capture_maxbytes = 0;
  std::vector<std::pair<std::string, std::string>> environment;
  std::optional<std::string> serverurl;

  bool expected_exit(int status) const;
};

/// Reads a plan process object; `group` is its group's name.
ProcessSpec process_spec_from_plan(const nlohmann::json& process, const std::string& group);

}  // namespace proctor::runtime
