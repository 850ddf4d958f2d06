#include "runtime/events/event_bus.h"

#include <algorithm>

namespace proctor::runtime::events {

void EventBus::add_pool(PoolConfig config, std::vector<std::string> listener_names) {
  pools_.push_back(std::make_unique<EventPool>(std::move(config), std::move(listener_names)));
}

void EventBus::remove_pool(std::string_view name) {
  std::erase_if(pools_, [&](const auto& p) { return p->config().name == name; });
}

EventPool* EventBus::pool(std::string_view name) {
  for (auto& p : pools_)
    if (p->config().name == name) return p.get();
  return nullptr;
}

bool EventBus::wants(EventType t) const {
  return std::any_of(pools_.begin(), pools_.end(), [&](const auto& p) { return p->subscriptions_matching(t) > 0; });
}

void EventBus::notify(EventType t, std::string payload, LogLines& log) {
  EventPtr e;
  for (auto& p : pools_) {
    int n = p->subscriptions_matching(t);
    if (!n) continue;
    if (!e) e = std::make_shared<Event>(Event{t, std::move(payload), std::nullopt, {}});
    for (int k = 0; k < n; ++k) p->accept(e, serial_, /*head=*/false, log);
  }
}

void EventBus::dispatch(const std::function<bool(const EventPool&, std::size_t, std::string_view)>& write,
                        LogLines& log) {
  for (auto& p : pools_) {
    EventPool& pool = *p;
    pool.dispatch([&](std::size_t i, std::string_view bytes) { return write(pool, i, bytes); }, serial_, log);
  }
}

}  // namespace proctor::runtime::events
