#pragma once
// The plan's canonical text for a compiled config, built without the whole
// plan as one JSON tree: groups are converted, schema-checked and printed a
// batch at a time, on every core, and only their text is kept. The result
// is byte for byte dump_plan(to_json(config, sm)); a 10,000-program config
// needs a fraction of the time and memory of that route.

#include <string>
#include <vector>

#include "compiler/base/source.h"
#include "compiler/model/config.h"
#include "compiler/plan/plan_schema.h"

namespace proctor::plan {

struct PlanText {
  /// The text in order; write them one after the other. Empty when the
  /// plan violates its schema.
  std::vector<std::string> chunks;
  /// What the schema rejected (pointers into the whole plan); a producer
  /// bug, never the user's.
  std::vector<SchemaViolation> violations;
};

/// Every part of the plan is validated (the header against the plan
/// schema, each group against its group definition) before any text is
/// returned. `threads` caps the worker count (0: one per core).
PlanText plan_text(const model::Config& config, const SourceManager& sm, unsigned threads = 0);

}  // namespace proctor::plan
