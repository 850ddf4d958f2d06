#pragma once
// A line for supervisord's main log, produced by the pure event code and
// written by the daemon.

#include <string>
#include <vector>

namespace proctor::runtime::events {

struct LogLine {
  std::string level;  ///< "debug", "info", "warn", "error"
  std::string message;
};
using LogLines = std::vector<LogLine>;

}  // namespace proctor::runtime::events
