// getProcessInfo's struct and description, the way rpcinterface.py builds
// them (supervisorctl prints `description` verbatim in `status`).

#include <fmt/format.h>

#include <ctime>

#include "runtime/daemon/rpc_interface.h"

namespace proctor::daemon {

using rpc::Value;
using runtime::ProcessFsm;
using runtime::ProcessState;

namespace {

// str(datetime.timedelta): "0:00:05", "1 day, 2:03:04", "3 days, ...".
std::string timedelta_text(std::int64_t seconds) {
  if (seconds < 0) seconds = 0;
  std::int64_t days = seconds / 86400, rest = seconds % 86400;
  std::string hms = fmt::format("{}:{:02}:{:02}", rest / 3600, (rest % 3600) / 60, rest % 60);
  if (!days) return hms;
  return fmt::format("{} day{}, {}", days, days == 1 ? "" : "s", hms);
}

// strftime('%b %d %I:%M %p') of the local stop time.
std::string stop_time_text(std::int64_t stop) {
  std::time_t t = stop;
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%b %d %I:%M %p", &tm);
  return buf;
}

std::string describe(const ProcessFsm& p, std::int64_t start, std::int64_t stop, std::int64_t now) {
  switch (p.state()) {
    case ProcessState::kRunning:
      return fmt::format("pid {}, uptime {}", p.pid(), timedelta_text(now - start));
    case ProcessState::kFatal:
    case ProcessState::kBackoff:
      return p.spawnerr().empty() ? fmt::format("unknown error (try \"tail {}\")", p.spec().name)
                                  : p.spawnerr();
    case ProcessState::kStopped:
    case ProcessState::kExited: return start ? stop_time_text(stop) : "Not started";
    default: return "";
  }
}

}  // namespace

Value RpcInterface::process_info(const ProcessFsm& p) {
  auto start = static_cast<std::int64_t>(p.laststart());
  auto stop = static_cast<std::int64_t>(p.laststop());
  auto now = static_cast<std::int64_t>(ctx_.now());
  std::string out_log = ctx_.log_path(p, Channel::kStdout);
  std::string err_log = ctx_.log_path(p, Channel::kStderr);
  return Value::structure({{"name", p.spec().name},
                           {"group", p.spec().group},
                           {"start", start},
                           {"stop", stop},
                           {"now", now},
                           {"state", static_cast<int>(p.state())},
                           {"statename", runtime::state_name(p.state())},
                           {"spawnerr", p.spawnerr()},
                           {"exitstatus", p.exitstatus()},
                           {"logfile", out_log},
                           {"stdout_logfile", out_log},
                           {"stderr_logfile", err_log},
                           {"pid", p.pid()},
                           {"description", describe(p, start, stop, now)}});
}

}  // namespace proctor::daemon
