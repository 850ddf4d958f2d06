#pragma once
// One [eventlistener:x] pool, as Supervisor's EventListenerPool runs it:
// the events it subscribed to wait in a buffer of `buffer_size` (the
// oldest is dropped, and logged, when it is full); the oldest goes to a
// RUNNING listener in the READY state, one event per listener at a time;
// a rejected event, or the event of a listener that died busy, goes back
// to the head of the buffer. Pure: the daemon reports the listeners'
// states and output and carries the envelopes to their stdin.

#include <cstdint>
#include <deque>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/events/event.h"
#include "runtime/events/listener_protocol.h"
#include "runtime/events/log_line.h"

namespace proctor::runtime::events {

struct PoolConfig {
  std::string name;
  std::size_t buffer_size = 10;
  std::vector<EventType> events;  ///< the `events=` list, in order
  std::string server = "supervisor";  ///< [supervisord] identifier, the envelope's `server:`
};

/// Supervisor's new_serial(): the first number handed out is 0.
class SerialCounter {
 public:
  std::uint64_t next() { return static_cast<std::uint64_t>(++last_); }

 private:
  std::int64_t last_ = -1;
};

/// Writes an envelope to listener `index`'s stdin; false when its pipe is
/// closed (EPIPE), and the pool tries the next listener.
using EnvelopeWriter = std::function<bool(std::size_t index, std::string_view envelope)>;

/// "ver:3.0 server:S serial:N pool:P poolserial:N eventname:E len:N\n" + payload.
std::string event_envelope(const Event& e, std::string_view server, std::string_view pool);

class EventPool {
 public:
  EventPool(PoolConfig config, std::vector<std::string> listener_names);

  const PoolConfig& config() const { return config_; }
  std::size_t listener_count() const { return listeners_.size(); }
  ListenerState listener_state(std::size_t i) const { return listeners_[i].protocol.state(); }
  std::size_t buffered() const { return buffer_.size(); }

  /// How many of the pool's subscriptions `t` falls under; Supervisor
  /// subscribes once per `events=` entry and accepts the event each time.
  int subscriptions_matching(EventType t) const;
  /// _acceptEvent: gives serials on first sight, then buffers the event.
  void accept(const EventPtr& e, SerialCounter& global, bool head, LogLines& log);
  /// dispatch(): hands buffered events to READY running listeners until
  /// none is left or no listener can take one (that event is re-buffered).
  void dispatch(const EnvelopeWriter& write, SerialCounter& global, LogLines& log);

  /// Listener `i` was spawned: a fresh protocol, ACKNOWLEDGED.
  void listener_spawned(std::size_t i);
  /// Listener `i` entered (or left) Supervisor's RUNNING process state.
  void listener_running(std::size_t i, bool running) { listeners_[i].running = running; }
  /// Bytes from listener `i`'s stdout.
  void listener_output(std::size_t i, std::string_view bytes, SerialCounter& global, LogLines& log);
  /// Listener `i` exited: an event it was busy with is re-buffered.
  void listener_exited(std::size_t i, SerialCounter& global, LogLines& log);

 private:
  struct Listener {
    std::string name;
    ListenerProtocol protocol;
    EventPtr event;  ///< the event it is busy with
    bool running = false;
  };
  bool send(const EventPtr& e, const EnvelopeWriter& write, LogLines& log);
  void rebuffer(Listener& l, SerialCounter& global, LogLines& log);

  PoolConfig config_;
  std::vector<Listener> listeners_;
  std::deque<EventPtr> buffer_;
  SerialCounter pool_serial_;
};

}  // namespace proctor::runtime::events
