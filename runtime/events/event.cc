#include "runtime/events/event.h"

#include <fmt/format.h>

#include "runtime/events/python_text.h"

namespace proctor::runtime::events {

std::string process_state_payload(EventType to, const ProcessRef& p, std::string_view from_state,
                                  bool expected, int pid, int tries) {
  std::string out = fmt::format("processname:{} groupname:{} from_state:{}", p.name, p.group, from_state);
  switch (to) {
    case EventType::kProcessStateStarting:
    case EventType::kProcessStateBackoff:
      out += fmt::format(" tries:{}", tries);
      break;
    case EventType::kProcessStateExited:
      out += fmt::format(" expected:{} pid:{}", expected ? 1 : 0, pid);
      break;
    case EventType::kProcessStateRunning:
    case EventType::kProcessStateStopping:
    case EventType::kProcessStateStopped:
      out += fmt::format(" pid:{}", pid);
      break;
    default:
      break;
  }
  return out;
}

std::string process_log_payload(const ProcessRef& p, int pid, std::string_view channel,
                                std::string_view data) {
  return fmt::format("processname:{} groupname:{} pid:{} channel:{}\n{}", p.name, p.group, pid, channel,
                     decoded_or_repr(data));
}

std::string process_communication_payload(const ProcessRef& p, int pid, std::string_view data) {
  return fmt::format("processname:{} groupname:{} pid:{}\n{}", p.name, p.group, pid, decoded_or_repr(data));
}

std::string remote_communication_payload(std::string_view type, std::string_view data) {
  return fmt::format("type:{}\n{}", type, data);
}

std::string tick_payload(std::int64_t when) { return fmt::format("when:{}", when); }

std::string process_group_payload(std::string_view group) { return fmt::format("groupname:{}\n", group); }

}  // namespace proctor::runtime::events
