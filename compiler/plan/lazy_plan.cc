#include "compiler/plan/lazy_plan.h"

#include "compiler/plan/group_hash.h"
#include "compiler/plan/plan_json.h"

namespace proctor::plan {

using nlohmann::json;

LazyPlan lazy_view(const json& plan) {
  LazyPlan lazy{json::object(), {}};
  for (const auto& [key, value] : plan.items())
    if (key != "groups") lazy.settings[key] = value;
  for (const json& g : plan.at("groups"))
    lazy.groups.push_back({g.at("name").get<std::string>(), g.value("hash", std::string()), [&g] { return g; }});
  return lazy;
}

LazyPlan lazy_plan(std::shared_ptr<const CompiledConfig> compiled) {
  LazyPlan lazy{plan_header(compiled->config), {}};
  lazy.settings.erase("groups");
  const auto& groups = compiled->config.groups;
  lazy.groups.reserve(groups.size());
  for (std::size_t i = 0; i < groups.size(); ++i)
    lazy.groups.push_back({groups[i].name, group_hash(groups[i]),
                           [compiled, i] { return group_json(compiled->config.groups[i], compiled->sm); }});
  return lazy;
}

}  // namespace proctor::plan
