#pragma once
// Supervisor's event types (events.py EventTypes) as a tree: a listener
// subscribed to an abstract type such as PROCESS_STATE or EVENT receives
// every type below it, as Supervisor's isinstance() check gives it.

#include <optional>
#include <string_view>

namespace proctor::runtime::events {

enum class EventType {
  kEvent,
  kProcessState,
  kProcessStateStopped,
  kProcessStateExited,
  kProcessStateStarting,
  kProcessStateStopping,
  kProcessStateBackoff,
  kProcessStateFatal,
  kProcessStateRunning,
  kProcessStateUnknown,
  kProcessCommunication,
  kProcessCommunicationStdout,
  kProcessCommunicationStderr,
  kProcessLog,
  kProcessLogStdout,
  kProcessLogStderr,
  kRemoteCommunication,
  kSupervisorStateChange,
  kSupervisorStateChangeRunning,
  kSupervisorStateChangeStopping,
  kTick,
  kTick5,
  kTick60,
  kTick3600,
  kProcessGroup,
  kProcessGroupAdded,
  kProcessGroupRemoved,
};

/// The name Supervisor puts in the `eventname:` header, e.g. "TICK_5".
std::string_view event_name(EventType t);
/// The type named `name` in an `events=` list, or nullopt.
std::optional<EventType> event_type_named(std::string_view name);
/// The abstract type directly above `t`; EVENT has none.
std::optional<EventType> parent_type(EventType t);
/// True when a pool subscribed to `subscription` receives events of type `t`.
bool is_a(EventType t, EventType subscription);

}  // namespace proctor::runtime::events
