#pragma once
// Reading many independent sections on every core while the result stays
// exactly that of a plain loop: the same diagnostics in the same order,
// the same warnings and ENV_ names, whatever the thread timing.

#include <cstddef>
#include <functional>

#include "compiler/model/context.h"

namespace proctor::model {

/// Calls read(c, i) for every i in [0, count). Consecutive indices form
/// batches; each batch runs on a context of its own that shares ctx's
/// store (read-only), sees the host through a lock, and has its own sink,
/// env_used and parse_warnings, which are merged into ctx batch by batch in
/// index order once all are done. `read` may write only to what belongs to
/// index i. ctx.threads caps the threads (0: one per core).
void read_sections_in_parallel(CompileContext& ctx, std::size_t count,
                               const std::function<void(CompileContext& c, std::size_t i)>& read);

}  // namespace proctor::model
