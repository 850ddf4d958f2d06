#pragma once
// Supervisor's events.notify() with the pools subscribed to it: an event
// goes to every pool whose `events=` covers its type, in the order the
// pools were added, and takes the next global serial when the first pool
// accepts it. Events no pool wants are never built.

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/events/event_pool.h"

namespace proctor::runtime::events {

class EventBus {
 public:
  void add_pool(PoolConfig config, std::vector<std::string> listener_names);
  void remove_pool(std::string_view name);
  EventPool* pool(std::string_view name);

  /// True when some pool subscribes to `t` (so the caller should build it).
  bool wants(EventType t) const;
  /// notify(): buffers the event in every subscribed pool.
  void notify(EventType t, std::string payload, LogLines& log);
  /// Hands buffered events of every pool to their READY listeners.
  void dispatch(const std::function<bool(const EventPool&, std::size_t, std::string_view)>& write, LogLines& log);
  SerialCounter& serial() { return serial_; }

 private:
  std::vector<std::unique_ptr<EventPool>> pools_;
  SerialCounter serial_;
};

}  // namespace proctor::runtime::events
