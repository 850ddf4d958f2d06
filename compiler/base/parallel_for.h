#pragma once
// The one way the compiler uses several cores: independent items handed
// out in index order to a few threads, the caller's among them. Callers
// keep each item's output in its own slot and combine the slots in index
// order afterwards, so results never depend on thread timing.

#include <cstddef>
#include <functional>

namespace proctor {

/// Calls work(i) for every i in [0, count) on up to `threads` threads (0:
/// one per core) and returns when all calls have returned. Items are handed
/// out one at a time, so callers batch small items themselves.
void parallel_for(std::size_t count, unsigned threads, const std::function<void(std::size_t)>& work);

}  // namespace proctor
