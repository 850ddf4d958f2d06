#pragma once
// A plan whose group objects are built only when asked for. A daemon that
// rereads a large config in which few groups changed finds them by their
// content hashes; only those need a plan object (diff.h's diff_running, the
// runtime's Supervisor::reread and adopt_plan).

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "compiler/base/source.h"
#include "compiler/model/config.h"

namespace proctor::plan {

/// One group: its name, its plan `hash` and a way to get its plan object.
struct LazyGroup {
  std::string name;
  std::string hash;  ///< empty when unknown: the group is always compared
  std::function<nlohmann::json()> config;
};

struct LazyPlan {
  nlohmann::json settings;        ///< the plan without "groups"
  std::vector<LazyGroup> groups;  ///< in plan order, duplicate names kept
};

/// A plan already built, seen as a LazyPlan: the settings are copied, the
/// groups refer into `plan`, which must outlive the result.
LazyPlan lazy_view(const nlohmann::json& plan);

/// What the compiler returned, kept alive for as long as a LazyPlan made of
/// it can still build group objects.
struct CompiledConfig {
  SourceManager sm;
  model::Config config;
};

/// The plan to_json(compiled->config, compiled->sm) would give: its settings
/// built now, each group's hash computed from the model (group_hash) and its
/// object built by group_json on each call of `config`.
LazyPlan lazy_plan(std::shared_ptr<const CompiledConfig> compiled);

}  // namespace proctor::plan
