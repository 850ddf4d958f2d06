#include "runtime/events/tick_schedule.h"

#include <cmath>

namespace proctor::runtime::events {

namespace {

struct TickKind {
  EventType type;
  int period;
};
constexpr TickKind kTicks[] = {{EventType::kTick5, 5}, {EventType::kTick60, 60}, {EventType::kTick3600, 3600}};

// supervisor.supervisord.timeslice: int(when - (when % period)).
std::int64_t timeslice(int period, double when) {
  return static_cast<std::int64_t>(when - std::fmod(when, period));
}

}  // namespace

std::vector<std::pair<EventType, std::int64_t>> TickSchedule::due(double now) {
  std::vector<std::pair<EventType, std::int64_t>> out;
  for (const auto& t : kTicks) {
    std::int64_t slice = timeslice(t.period, now);
    auto [it, first] = last_.try_emplace(t.period, slice);
    if (first || it->second == slice) continue;
    it->second = slice;
    out.emplace_back(t.type, slice);
  }
  return out;
}

// The smallest period divides the others, so its next slice is the next
// moment any of them can roll over.
double TickSchedule::next(double now) { return static_cast<double>(timeslice(5, now) + 5); }

}  // namespace proctor::runtime::events
