#pragma once
// When TICK_5, TICK_60 and TICK_3600 are due, as supervisord.tick() decides:
// an event each time the current period's slice (the time rounded down to
// a multiple of the period) changes; the first look only notes the slice.

#include <cstdint>
#include <map>
#include <utility>
#include <vector>

#include "runtime/events/event_type.h"

namespace proctor::runtime::events {

class TickSchedule {
 public:
  /// The tick events whose period rolled over since the last call, each
  /// with its `when` (the slice that began).
  std::vector<std::pair<EventType, std::int64_t>> due(double now);
  /// The time the next period of any tick type begins.
  static double next(double now);

 private:
  std::map<int, std::int64_t> last_;
};

}  // namespace proctor::runtime::events
