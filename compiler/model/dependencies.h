#pragma once
// depends_on = a, b: proctor's extension (other supervisord implementations
// offer it; Supervisor ignores the unknown key). Names are programs: the
// text after "program:", "fcgi-program:" or "eventlistener:". On a
// [group:x] it applies to every member.

#include "compiler/model/config.h"
#include "compiler/model/context.h"

namespace proctor::model {

/// Fills config.dependencies and each group's depends_on; reports unknown
/// targets (P4001) and cycles, spelled out as "a -> b -> a" (P4002).
void resolve_dependencies(CompileContext& ctx, Config& config);

}  // namespace proctor::model
