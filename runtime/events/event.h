#pragma once
// One event as Supervisor's event classes render it: its type and the
// payload() text, fixed when the event is raised (Supervisor renders pids
// and tries eagerly too). Serials are given on the first pool that
// accepts it and kept when a pool re-buffers it.

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "runtime/events/event_type.h"

namespace proctor::runtime::events {

struct Event {
  EventType type;
  std::string payload;
  std::optional<std::uint64_t> serial;                  ///< GlobalSerial, once accepted
  std::map<std::string, std::uint64_t> pool_serials;    ///< by pool name
};
using EventPtr = std::shared_ptr<Event>;

/// Where a process event comes from: Supervisor's config.name and group name.
struct ProcessRef {
  std::string name;
  std::string group;
};

/// PROCESS_STATE_*: "processname:x groupname:g from_state:S" plus the
/// fields of `to`'s class (tries, expected and pid, or pid).
std::string process_state_payload(EventType to, const ProcessRef& p, std::string_view from_state,
                                  bool expected, int pid, int tries);
/// PROCESS_LOG_STDOUT/STDERR: a header line, then the data as logged.
std::string process_log_payload(const ProcessRef& p, int pid, std::string_view channel,
                                std::string_view data);
/// PROCESS_COMMUNICATION_STDOUT/STDERR: the text between the capture tokens.
std::string process_communication_payload(const ProcessRef& p, int pid, std::string_view data);
/// REMOTE_COMMUNICATION from supervisor.sendRemoteCommEvent(type, data).
std::string remote_communication_payload(std::string_view type, std::string_view data);
/// TICK_*: `when` is the start of the period that just began.
std::string tick_payload(std::int64_t when);
/// PROCESS_GROUP_ADDED/REMOVED.
std::string process_group_payload(std::string_view group);

}  // namespace proctor::runtime::events
