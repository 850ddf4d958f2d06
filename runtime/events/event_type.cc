#include "runtime/events/event_type.h"

#include <array>
#include <utility>

namespace proctor::runtime::events {

namespace {

using T = EventType;

struct TypeInfo {
  EventType type;
  std::string_view name;
  std::optional<EventType> parent;
};

constexpr std::array<TypeInfo, 27> kTypes{{
    {T::kEvent, "EVENT", std::nullopt},
    {T::kProcessState, "PROCESS_STATE", T::kEvent},
    {T::kProcessStateStopped, "PROCESS_STATE_STOPPED", T::kProcessState},
    {T::kProcessStateExited, "PROCESS_STATE_EXITED", T::kProcessState},
    {T::kProcessStateStarting, "PROCESS_STATE_STARTING", T::kProcessState},
    {T::kProcessStateStopping, "PROCESS_STATE_STOPPING", T::kProcessState},
    {T::kProcessStateBackoff, "PROCESS_STATE_BACKOFF", T::kProcessState},
    {T::kProcessStateFatal, "PROCESS_STATE_FATAL", T::kProcessState},
    {T::kProcessStateRunning, "PROCESS_STATE_RUNNING", T::kProcessState},
    {T::kProcessStateUnknown, "PROCESS_STATE_UNKNOWN", T::kProcessState},
    {T::kProcessCommunication, "PROCESS_COMMUNICATION", T::kEvent},
    {T::kProcessCommunicationStdout, "PROCESS_COMMUNICATION_STDOUT", T::kProcessCommunication},
    {T::kProcessCommunicationStderr, "PROCESS_COMMUNICATION_STDERR", T::kProcessCommunication},
    {T::kProcessLog, "PROCESS_LOG", T::kEvent},
    {T::kProcessLogStdout, "PROCESS_LOG_STDOUT", T::kProcessLog},
    {T::kProcessLogStderr, "PROCESS_LOG_STDERR", T::kProcessLog},
    {T::kRemoteCommunication, "REMOTE_COMMUNICATION", T::kEvent},
    {T::kSupervisorStateChange, "SUPERVISOR_STATE_CHANGE", T::kEvent},
    {T::kSupervisorStateChangeRunning, "SUPERVISOR_STATE_CHANGE_RUNNING", T::kSupervisorStateChange},
    {T::kSupervisorStateChangeStopping, "SUPERVISOR_STATE_CHANGE_STOPPING", T::kSupervisorStateChange},
    {T::kTick, "TICK", T::kEvent},
    {T::kTick5, "TICK_5", T::kTick},
    {T::kTick60, "TICK_60", T::kTick},
    {T::kTick3600, "TICK_3600", T::kTick},
    {T::kProcessGroup, "PROCESS_GROUP", T::kEvent},
    {T::kProcessGroupAdded, "PROCESS_GROUP_ADDED", T::kProcessGroup},
    {T::kProcessGroupRemoved, "PROCESS_GROUP_REMOVED", T::kProcessGroup},
}};

const TypeInfo& info(EventType t) { return kTypes[static_cast<std::size_t>(t)]; }

}  // namespace

std::string_view event_name(EventType t) { return info(t).name; }

std::optional<EventType> event_type_named(std::string_view name) {
  for (const auto& i : kTypes)
    if (i.name == name) return i.type;
  return std::nullopt;
}

std::optional<EventType> parent_type(EventType t) { return info(t).parent; }

bool is_a(EventType t, EventType subscription) {
  for (std::optional<EventType> cur = t; cur; cur = parent_type(*cur))
    if (*cur == subscription) return true;
  return false;
}

}  // namespace proctor::runtime::events
