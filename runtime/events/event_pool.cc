#include "runtime/events/event_pool.h"

#include <fmt/format.h>

#include "runtime/events/python_text.h"

namespace proctor::runtime::events {

std::string event_envelope(const Event& e, std::string_view server, std::string_view pool) {
  return fmt::format("ver:3.0 server:{} serial:{} pool:{} poolserial:{} eventname:{} len:{}\n{}", server,
                     e.serial.value_or(0), pool, e.pool_serials.at(std::string(pool)), event_name(e.type),
                     python_str_len(e.payload), e.payload);
}

EventPool::EventPool(PoolConfig config, std::vector<std::string> listener_names) : config_(std::move(config)) {
  for (auto& name : listener_names) listeners_.push_back({name, ListenerProtocol(name), nullptr, false});
}

int EventPool::subscriptions_matching(EventType t) const {
  int n = 0;
  for (EventType sub : config_.events)
    if (is_a(t, sub)) ++n;
  return n;
}

void EventPool::accept(const EventPtr& e, SerialCounter& global, bool head, LogLines& log) {
  if (!e->serial) e->serial = global.next();
  if (!e->pool_serials.contains(config_.name)) {
    e->pool_serials[config_.name] = pool_serial_.next();
  } else {
    log.push_back({"debug", fmt::format("rebuffering event {} for pool {} (buf size={}, max={})", *e->serial,
                                        config_.name, buffer_.size(), config_.buffer_size)});
  }
  if (buffer_.size() >= config_.buffer_size && !buffer_.empty()) {
    log.push_back({"error", fmt::format("pool {} event buffer overflowed, discarding event {}", config_.name,
                                        *buffer_.front()->serial)});
    buffer_.pop_front();
  }
  if (head) buffer_.push_front(e);
  else buffer_.push_back(e);
}

// EventListenerPool.transition: dispatch only when some listener can take an event.
void EventPool::dispatch(const EnvelopeWriter& write, SerialCounter& global, LogLines& log) {
  bool capable = false;
  for (const auto& l : listeners_) capable |= l.running && l.protocol.state() == ListenerState::kReady;
  if (!capable) return;
  while (!buffer_.empty()) {
    EventPtr e = buffer_.front();
    buffer_.pop_front();
    if (!send(e, write, log)) {
      accept(e, global, /*head=*/true, log);
      break;
    }
  }
}

bool EventPool::send(const EventPtr& e, const EnvelopeWriter& write, LogLines& log) {
  for (std::size_t i = 0; i < listeners_.size(); ++i) {
    Listener& l = listeners_[i];
    if (!l.running || l.protocol.state() != ListenerState::kReady) continue;
    if (!write(i, event_envelope(*e, config_.server, config_.name))) {
      log.push_back({"debug", fmt::format("epipe occurred while sending event {} to listener {}, listener state "
                                          "unchanged",
                                          *e->serial, l.name)});
      continue;
    }
    l.protocol.event_sent(log);
    l.event = e;
    log.push_back({"debug", fmt::format("event {} sent to listener {}", *e->serial, l.name)});
    return true;
  }
  return false;
}

void EventPool::listener_spawned(std::size_t i) {
  Listener& l = listeners_[i];
  l.protocol = ListenerProtocol(l.name);
  l.event = nullptr;
}

void EventPool::listener_output(std::size_t i, std::string_view bytes, SerialCounter& global, LogLines& log) {
  Listener& l = listeners_[i];
  for (Verdict v : l.protocol.feed(bytes, log)) {
    if (v == Verdict::kRejected) rebuffer(l, global, log);
    l.event = nullptr;
  }
}

void EventPool::listener_exited(std::size_t i, SerialCounter& global, LogLines& log) {
  Listener& l = listeners_[i];
  l.running = false;
  rebuffer(l, global, log);
  l.event = nullptr;
}

void EventPool::rebuffer(Listener& l, SerialCounter& global, LogLines& log) {
  if (l.event) accept(l.event, global, /*head=*/true, log);
}

}  // namespace proctor::runtime::events
